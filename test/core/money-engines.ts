import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Store } from '../../src/core/store.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';
import { type RedisServer, startRedis } from '../store/redis-server.ts';

/**
 * The real storage engines for the money tests (quotas, request claims, in-flight caps): a fresh SQLite file or
 * Redis key prefix per call, on a throwaway redis-server. Call once at the top of a test file.
 */
export function moneyEngines(): { names: string[]; open(engine: string): Promise<Store> } {
	const log = createLogger({ level: 'silent', secrets: [], pretty: false });
	const dir = mkdtempSync(join(tmpdir(), 'songbot-money-'));
	let redis: RedisServer | undefined;
	let counter = 0;
	const opened: Store[] = [];
	beforeAll(async () => {
		redis = await startRedis();
	});
	afterAll(async () => {
		for (const store of opened) await store.close().catch(() => {});
		await redis?.stop();
		rmSync(dir, { recursive: true, force: true });
	});
	return {
		names: ['sqlite', 'redis'],
		async open(engine) {
			counter += 1;
			const store =
				engine === 'sqlite'
					? await openStore(`sqlite://${join(dir, `m${counter}`, 'songbot.sqlite')}`, { log })
					: await openStore((redis as RedisServer).url, { log, prefix: `m${counter}` });
			opened.push(store);
			return store;
		},
	};
}
