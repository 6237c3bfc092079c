import { once } from 'node:events';
import process from 'node:process';
import { UserError } from '../../src/core/errors.ts';
import { type QuotaLimits, Quotas } from '../../src/core/quota.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';

/**
 * One bot process's quota path (the real Quotas over the real Redis store), for the cross-process race test:
 * waits for `go` on stdin, then takes QUOTA_TAKES quotas at once for QUOTA_USERS in one guild and prints
 * one line of JSON: how each attempt ended (`granted` or the refusal's id).
 */
const env = process.env;
const log = createLogger({ level: 'silent', secrets: [], pretty: false });
const store = await openStore(env.STORE_URL ?? '', { log, prefix: env.STORE_PREFIX ?? 'songbot' });
const quotas = new Quotas(store);
const limits = JSON.parse(env.QUOTA_LIMITS ?? '{}') as QuotaLimits;
const users = (env.QUOTA_USERS ?? 'u1').split(',');
process.stdout.write('waiting\n');
await once(process.stdin, 'data');
const outcomes = await Promise.all(
	Array.from({ length: Number(env.QUOTA_TAKES ?? 1) }, (_, i) =>
		quotas.take('guild-1', users[i % users.length] ?? 'u1', limits).then(
			() => 'granted',
			(error: unknown) => (error instanceof UserError ? error.id : `error: ${String(error)}`),
		),
	),
);
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
await store.close();
process.exit(0);
