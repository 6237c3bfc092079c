import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QuotaLimits, Quotas } from '../../src/core/quota.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';
import { type RedisServer, startRedis } from '../store/redis-server.ts';

/** Two bot processes taking quotas of the same server and people at the same instant, through one Redis. */

let redis: RedisServer;
let round = 0;
/** The key prefix of the latest race, to read its counters afterwards. */
let current = '';
const log = createLogger({ level: 'silent', secrets: [], pretty: false });

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(async () => {
	await redis?.stop();
});

interface Racer {
	child: ChildProcess;
	ready: Promise<void>;
	result: Promise<string[]>;
}

function racer(prefix: string, limits: QuotaLimits, users: string[], takes: number): Racer {
	const child = spawn(process.execPath, [join(import.meta.dirname, 'quota-child.ts')], {
		env: {
			PATH: process.env.PATH ?? '',
			STORE_URL: redis.url,
			STORE_PREFIX: prefix,
			QUOTA_LIMITS: JSON.stringify(limits),
			QUOTA_USERS: users.join(','),
			QUOTA_TAKES: String(takes),
		},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let out = '';
	let err = '';
	child.stderr?.on('data', (d: Buffer) => {
		err += d.toString();
	});
	const ready = new Promise<void>((resolve, reject) => {
		child.stdout?.on('data', (d: Buffer) => {
			out += d.toString();
			if (out.includes('waiting\n')) resolve();
		});
		child.once('exit', () => reject(new Error(`quota child exited early: ${err}`)));
	});
	const result = new Promise<string[]>((resolve, reject) => {
		child.once('exit', (code) => {
			const line = out.split('\n').find((l) => l.startsWith('['));
			if (code === 0 && line) resolve(JSON.parse(line) as string[]);
			else reject(new Error(`quota child failed (${code}): ${out}${err}`));
		});
	});
	return { child, ready, result };
}

/** Starts two processes, lets both reach the starting line, then fires both bursts together. */
async function race(limits: QuotaLimits, users: string[], takesEach: number): Promise<string[]> {
	const prefix = `race${++round}`;
	current = prefix;
	const racers = [racer(prefix, limits, users, takesEach), racer(prefix, limits, users, takesEach)];
	await Promise.all(racers.map((r) => r.ready));
	for (const r of racers) r.child.stdin?.write('go\n');
	return (await Promise.all(racers.map((r) => r.result))).flat();
}

describe('quotas under a burst from two processes', () => {
	it('GIVEN 40 simultaneous requests for one server from two processes THEN exactly the server limit is granted', async () => {
		const outcomes = await race({ cooldownSec: 0, userDaily: 0, guildDaily: 7 }, ['a', 'b', 'c', 'd'], 20);
		expect(outcomes.filter((o) => o === 'granted')).toHaveLength(7);
		expect(outcomes.filter((o) => o === 'quota.guild')).toHaveLength(33);
	});

	it('GIVEN one person clicking in both processes at once THEN the personal limit holds and the server count is not inflated by refusals', async () => {
		const outcomes = await race({ cooldownSec: 0, userDaily: 3, guildDaily: 5 }, ['a'], 15);
		expect(outcomes.filter((o) => o === 'granted')).toHaveLength(3);
		expect(outcomes.filter((o) => o === 'quota.user')).toHaveLength(27);
		const store = await openStore(redis.url, { log, prefix: current });
		expect(await new Quotas(store).used('guild-1', 'a')).toEqual({ user: 3, guild: 3 });
		await store.close();
	});

	it('GIVEN a cooldown and simultaneous clicks from two processes THEN exactly one generation starts', async () => {
		const outcomes = await race({ cooldownSec: 60, userDaily: 0, guildDaily: 0 }, ['a'], 10);
		expect(outcomes.filter((o) => o === 'granted')).toHaveLength(1);
		expect(outcomes.filter((o) => o === 'quota.cooldown')).toHaveLength(19);
	});
});
