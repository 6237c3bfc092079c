import { createClient } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../src/core/inbox.ts';
import { createLogger } from '../../src/log.ts';
import { openRedisCoordination, type RedisCoordination } from '../../src/store/redis-coordination.ts';
import { type RedisServer, startRedis } from './redis-server.ts';

const log = createLogger({ level: 'silent', secrets: [], pretty: false });
let redis: RedisServer;
let counter = 0;
const opened: RedisCoordination[] = [];

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(async () => {
	for (const c of opened) await c.close();
	await redis.stop();
});

/** Two processes' views of the same Redis (separate connections, one key prefix). */
async function pair(): Promise<[RedisCoordination, RedisCoordination]> {
	const prefix = `c${++counter}`;
	const a = await openRedisCoordination(redis.url, { log, prefix });
	const b = await openRedisCoordination(redis.url, { log, prefix });
	opened.push(a, b);
	return [a, b];
}

const item = (taskId: string, status = 'running'): InboxItem => ({
	snapshot: { taskId, kind: 'music', status: status as InboxItem['snapshot']['status'], clips: [] },
	source: 'callback',
	family: 'sunoapi',
});

describe('leases on Redis', () => {
	it('GIVEN a lease held by one process THEN another cannot take or free it, and the holder renews and releases it', async () => {
		const [a, b] = await pair();
		expect(await a.leases.acquire('t1', 'a', 10_000)).toBe(true);
		expect(await b.leases.acquire('t1', 'b', 10_000)).toBe(false);
		expect(await a.leases.acquire('t1', 'a', 10_000)).toBe(true);
		await b.leases.release('t1', 'b');
		expect(await b.leases.holders(['t1', 't2'])).toEqual(['a', undefined]);
		expect(await a.leases.renew(['t1', 't2'], 'a', 10_000)).toEqual([true, false]);
		await a.leases.release('t1', 'a');
		expect(await b.leases.acquire('t1', 'b', 10_000)).toBe(true);
	});

	it('GIVEN a holder that stops renewing THEN its lease expires and another process takes it; a late renewal fails', async () => {
		const [a, b] = await pair();
		expect(await a.leases.acquire('t1', 'a', 150)).toBe(true);
		await expect.poll(() => b.leases.acquire('t1', 'b', 10_000), { timeout: 2_000, interval: 50 }).toBe(true);
		expect(await a.leases.renew(['t1'], 'a', 10_000)).toEqual([false]);
		await a.leases.release('t1', 'a');
		expect(await a.leases.holders(['t1'])).toEqual(['b']);
	});
});

describe('inbox on Redis', () => {
	it('GIVEN an update posted by one process THEN the other is woken, reads it, and after the ack nothing waits', async () => {
		const [a, b] = await pair();
		const woken: string[] = [];
		await b.inbox.listen((taskId) => woken.push(taskId));
		await a.inbox.post('t1', item('t1'));
		await expect.poll(() => woken).toEqual(['t1']);
		expect(await b.inbox.waiting()).toEqual(['t1']);
		expect(await b.inbox.peek('t1')).toEqual([item('t1')]);
		await b.inbox.ack('t1', 1);
		expect(await b.inbox.peek('t1')).toEqual([]);
		expect(await a.inbox.waiting()).toEqual([]);
	});

	it('GIVEN an update posted while the holder applies earlier ones THEN the ack keeps it waiting', async () => {
		const [a, b] = await pair();
		await a.inbox.post('t1', item('t1', 'running'));
		const seen = await b.inbox.peek('t1');
		await a.inbox.post('t1', item('t1', 'succeeded'));
		await b.inbox.ack('t1', seen.length);
		expect(await b.inbox.peek('t1')).toEqual([item('t1', 'succeeded')]);
		expect(await b.inbox.waiting()).toEqual(['t1']);
	});

	it('GIVEN an unreadable entry in an inbox THEN it is dropped and the updates behind it are read', async () => {
		const [a] = await pair();
		const raw = createClient({ url: redis.url });
		await raw.connect();
		await raw.rPush(`c${counter}:inbox:t9`, '{"not":"an update"}');
		await raw.close();
		await a.inbox.post('t9', item('t9'));
		expect(await a.inbox.peek('t9')).toEqual([item('t9')]);
		await a.inbox.ack('t9', 1);
		expect(await a.inbox.peek('t9')).toEqual([]);
	});
});
