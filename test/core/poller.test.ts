import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTracker } from '../../src/core/tracker.ts';
import { createProvider } from '../../src/providers/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { MemoryAudio, MemorySink } from './scripted.ts';
import { log, song, who } from './tracker-setup.ts';

/**
 * "The provider no longer knows this song" must come only from the provider saying so, a few times: never from
 * status requests that failed (429, 5xx, timeouts) or from a batch group whose request failed while others
 * were answered. The real family-A adapter against the fake relay on loopback, with real (short) timers.
 */

let fake: FakeProvider;
beforeAll(async () => {
	fake = await startFakeProvider({ family: 'newapi', timeline: { type: 'manual' } });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function start(batchSize: number) {
	const provider = createProvider({
		family: 'newapi',
		baseUrl: fake.baseUrl,
		apiKey: fake.apiKey,
		fetchTimeoutMs: 300,
		retry: { reads: 0 },
		features: { batchSize },
	});
	const store = createMemoryStore();
	const sink = new MemorySink();
	const tracker = createTracker({
		provider,
		store,
		sink,
		audio: new MemoryAudio(),
		log,
		options: {
			timing: { fastMs: 100, slowMs: 250, safetyMs: 250, callbacks: false },
			deadlines: { stallMs: 600_000, taskTimeoutMs: 3_600_000 },
			retentionMs: 0,
		},
	});
	return { tracker, store, sink };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(25);
	}
}

const carries = (r: { body: unknown }, id: string) =>
	((r.body as { ids?: string[] } | undefined)?.ids ?? []).includes(id);
const getsOf = (id: string) => fake.requests.filter((r) => r.method === 'GET' && r.path === `/suno/fetch/${id}`);

describe('polling: only explicit "not found" answers end a song', () => {
	it('GIVEN one task answered 429, one 503, one timing out and one explicitly unknown THEN only the unknown one ends as not found, the others finish once the provider recovers', async () => {
		const { tracker, store, sink } = start(1);
		await tracker.start();
		const ids: string[] = [];
		for (let i = 0; i < 4; i++) ids.push((await tracker.submit({ request: song, ...who })).id);
		const [limited, broken, slow, unknown] = ids as [string, string, string, string];
		// A gateway without the batch route: one GET per task, so each task can get its own answer.
		fake.inject({ on: '/suno/fetch', status: 404, raw: '404 page not found', times: Infinity });
		fake.inject('rate_limited', { on: new RegExp(`/suno/fetch/${limited}$`), times: Infinity });
		fake.inject('unavailable', { on: new RegExp(`/suno/fetch/${broken}$`), times: Infinity });
		fake.inject('slow', { on: new RegExp(`/suno/fetch/${slow}$`), delayMs: 1_000, times: Infinity });
		fake.inject('not_found', { on: new RegExp(`/suno/fetch/${unknown}$`), times: Infinity });

		await until(async () => (await store.getTask(unknown))?.state.status === 'failed', 'the unknown task to end');
		const ended = await store.getTask(unknown);
		expect(ended?.state).toMatchObject({ status: 'failed', failure: { kind: 'not_found' } });
		// "After a few": the provider said it several times, not once.
		expect(getsOf(unknown).length).toBeGreaterThanOrEqual(8);
		// The others were asked about at least as often, and failed every time, yet are still being followed.
		await until(() => getsOf(slow).length >= 8 && getsOf(limited).length >= 8, 'more failed status requests');
		for (const id of [limited, broken, slow]) {
			expect(getsOf(id).length).toBeGreaterThanOrEqual(4);
			expect((await store.getTask(id))?.state.status).toBe('submitted');
		}
		expect(tracker.pollingIds().sort()).toEqual([limited, broken, slow].sort());

		fake.clearFaults();
		for (const id of [limited, broken, slow]) fake.completeTask(id);
		await until(async () => {
			const states = await Promise.all([limited, broken, slow].map(async (id) => (await store.getTask(id))?.state));
			return states.every((s) => s?.status === 'delivered');
		}, 'the recovered tasks to be delivered');
		expect(sink.posts).toHaveLength(6);
		await tracker.stop();
	});

	it('GIVEN a batch fetch where some groups fail with 503 THEN their tasks are never counted as unknown, and all finish', async () => {
		const { tracker, store, sink } = start(1);
		await tracker.start();
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) ids.push((await tracker.submit({ request: song, ...who })).id);
		const [lost, ...answered] = ids as [string, ...string[]];
		// The batch group carrying `lost` always fails; the groups of the other tasks are answered.
		fake.inject('unavailable', { on: '/suno/fetch', match: (r) => carries(r, lost), times: Infinity });
		await until(() => fake.requestsOf('fetch').filter((r) => r.fault).length >= 12, 'twelve failed batch groups');
		for (const id of ids) expect((await store.getTask(id))?.state.status).not.toBe('failed');
		expect(tracker.pollingIds().sort()).toEqual([...ids].sort());
		for (const id of answered) expect(fake.requestsOf('fetch').some((r) => !r.fault && carries(r, id))).toBe(true);
		fake.clearFaults();
		for (const id of ids) fake.completeTask(id);
		await until(async () => {
			const states = await Promise.all(ids.map(async (id) => (await store.getTask(id))?.state.status));
			return states.every((s) => s === 'delivered');
		}, 'every task delivered');
		expect(sink.posts).toHaveLength(6);
		await tracker.stop();
	});
});
