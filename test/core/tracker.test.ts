import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newRecord } from './records.fixtures.ts';
import { options, setup, song, who } from './tracker-setup.ts';

beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
	vi.useRealTimers();
});

describe('tracker polling', () => {
	it('GIVEN many tasks of a batching family THEN every tick asks about all of them in one fetch, and each take is posted once', async () => {
		const { provider, sink, tracker } = setup();
		await tracker.start();
		const ids: string[] = [];
		for (let i = 0; i < 12; i++) ids.push((await tracker.submit({ request: song, ...who })).id);
		await vi.advanceTimersByTimeAsync(5_000);
		for (const id of ids) provider.set(id, 'running');
		await vi.advanceTimersByTimeAsync(5_000);
		for (const id of ids) provider.set(id, 'done');
		await vi.advanceTimersByTimeAsync(10_000);
		await tracker.idle();
		expect(provider.fetches.length).toBeGreaterThanOrEqual(2);
		for (const batch of provider.fetches) expect([...batch].sort()).toEqual([...ids].sort());
		expect(sink.markers()).toEqual(ids.flatMap((id) => [`songbot:${id}:${id}-a`, `songbot:${id}:${id}-b`]).sort());
		const fetchesWhenDone = provider.fetches.length;
		await vi.advanceTimersByTimeAsync(120_000);
		expect(provider.fetches.length).toBe(fetchesWhenDone);
		expect(tracker.activeCount()).toBe(0);
		await tracker.stop();
	});

	it('GIVEN a long task THEN it is polled fast at first and much less often later', async () => {
		const { provider, tracker } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		provider.set(id, 'running');
		await vi.advanceTimersByTimeAsync(60_000);
		const firstMinute = provider.fetches.length;
		await vi.advanceTimersByTimeAsync(9 * 60_000);
		const before = provider.fetches.length;
		await vi.advanceTimersByTimeAsync(60_000);
		const eleventhMinute = provider.fetches.length - before;
		expect(firstMinute).toBeGreaterThanOrEqual(10);
		expect(eleventhMinute).toBeLessThanOrEqual(2);
		await tracker.stop();
	});

	it('GIVEN callbacks are on THEN polling is only a slow safety net, and the callback URL is sent with the submit', async () => {
		const { provider, tracker } = setup({
			timing: { ...options.timing, callbacks: true },
			callbackUrl: 'https://bot.example/callbacks/s3cret/newapi',
		});
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		provider.set(id, 'running');
		await vi.advanceTimersByTimeAsync(5 * 60_000);
		// The intent id in the path lets a callback find the task even when the submit answer is lost.
		expect(provider.submits).toEqual([
			{
				callbackUrl: expect.stringMatching(/^https:\/\/bot\.example\/callbacks\/s3cret\/newapi\/intent-[0-9a-f]{24}$/),
			},
		]);
		expect(provider.fetches.length).toBeGreaterThanOrEqual(4);
		expect(provider.fetches.length).toBeLessThanOrEqual(6);
		await tracker.stop();
	});

	it('GIVEN the provider keeps failing status requests THEN polling backs off instead of hammering it', async () => {
		const { provider, tracker } = setup();
		await tracker.start();
		await tracker.submit({ request: song, ...who });
		provider.fetchError = new Error('503');
		await vi.advanceTimersByTimeAsync(5 * 60_000);
		expect(provider.fetches.length).toBeLessThanOrEqual(14);
		await tracker.stop();
	});
});

describe('tracker reports: one path for polls and callbacks', () => {
	it('GIVEN callbacks and polls mixed, duplicated and reordered THEN each take is posted exactly once', async () => {
		const { provider, sink, tracker } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		provider.set(id, 'first');
		const first = structuredClone(provider.tasks.get(id)!);
		provider.set(id, 'done');
		const done = structuredClone(provider.tasks.get(id)!);
		expect(await tracker.report(done, 'callback')).toBe('applied');
		expect(await tracker.report(first, 'callback')).toBe('unchanged');
		expect(await tracker.report(done, 'callback')).toBe('unchanged');
		await vi.advanceTimersByTimeAsync(15_000);
		await tracker.report(first, 'callback');
		await tracker.idle();
		expect(sink.markers()).toEqual([`songbot:${id}:${id}-a`, `songbot:${id}:${id}-b`]);
		expect(sink.events().filter((e) => e.type === 'take-done')).toHaveLength(2);
		expect(sink.events().filter((e) => e.type === 'finished')).toHaveLength(1);
		await tracker.stop();
	});

	it('GIVEN a report about an unknown task or from another provider family THEN it changes nothing', async () => {
		const { provider, tracker, sink } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		provider.set(id, 'done');
		const done = provider.tasks.get(id)!;
		expect(await tracker.report({ ...done, taskId: 'nope' }, 'callback')).toBe('unknown');
		expect(await tracker.report(done, 'callback', 'sunoapi')).toBe('foreign');
		await tracker.idle();
		expect(sink.posts).toEqual([]);
		expect((await tracker.get(id))?.state.status).toBe('submitted');
		await tracker.stop();
	});
});

describe('tracker: stalls, timeouts and partial results', () => {
	it('GIVEN a stuck task THEN the user is told at the stall timeout with the task id, and it fails cleanly at the overall timeout', async () => {
		const { provider, sink, tracker, store } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		provider.set(id, 'running');
		await vi.advanceTimersByTimeAsync(600_000 + 60_000);
		expect(sink.events()).toContainEqual(expect.objectContaining({ type: 'stalled', taskId: id }));
		expect(tracker.pollingIds()).toEqual([id]);
		await vi.advanceTimersByTimeAsync(3_000_000);
		await tracker.idle();
		expect(sink.events().at(-1)).toEqual({
			type: 'failed',
			failure: {
				kind: 'timeout',
				message: `The music provider did not finish in time (task ${id}).`,
				source: 'timeout',
			},
		});
		expect(tracker.activeCount()).toBe(0);
		expect(await store.listActive()).toEqual([]);
		const polls = provider.fetches.length;
		await vi.advanceTimersByTimeAsync(600_000);
		expect(provider.fetches.length).toBe(polls);
		await tracker.stop();
	});

	it('GIVEN a stalled task WHEN the provider finishes after all THEN the takes are still delivered', async () => {
		const { provider, sink, tracker } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		provider.set(id, 'running');
		await vi.advanceTimersByTimeAsync(700_000);
		provider.set(id, 'done');
		await vi.advanceTimersByTimeAsync(60_000);
		await tracker.idle();
		expect(sink.posts).toHaveLength(2);
		expect(sink.events().map((e) => e.type)).toContain('stalled');
		expect(sink.events().at(-1)).toEqual({ type: 'finished', outcome: 'complete' });
		await tracker.stop();
	});

	it('GIVEN one take fails and the other succeeds THEN the good take is posted and the failure explained', async () => {
		const { provider, sink, tracker } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		provider.set(id, 'partial');
		await vi.advanceTimersByTimeAsync(10_000);
		await tracker.idle();
		expect(sink.markers()).toEqual([`songbot:${id}:${id}-a`]);
		expect(sink.events()).toContainEqual({ type: 'take-failed', take: 2, clipId: `${id}-b`, message: 'take 2 failed' });
		expect(sink.events()).toContainEqual({ type: 'finished', outcome: 'partial' });
		expect((await tracker.get(id))?.state).toMatchObject({ status: 'delivered', outcome: 'partial' });
		await tracker.stop();
	});
});

describe('tracker after a change of provider', () => {
	it('GIVEN an unfinished task of another provider family THEN it is not polled and ends at the overall timeout', async () => {
		const { provider, store, tracker } = setup();
		await store.saveTask(
			newRecord({ id: 'old-family', family: 'sunoapi', createdAt: Date.now(), lastProgressAt: Date.now() }),
		);
		await tracker.start();
		await vi.advanceTimersByTimeAsync(3_600_000 + 60_000);
		await tracker.idle();
		expect(provider.fetches).toEqual([]);
		expect((await tracker.get('old-family'))?.state).toMatchObject({ status: 'failed', failure: { kind: 'timeout' } });
		expect(tracker.activeCount()).toBe(0);
		await tracker.stop();
	});
});
