import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTracker } from '../../src/core/tracker.ts';
import { MemorySink } from './scripted.ts';
import { log, options, setup, song, who } from './tracker-setup.ts';

beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
	vi.useRealTimers();
});

describe('tracker delivery', () => {
	it('GIVEN a post whose answer was lost THEN the retry finds the message by its marker and does not post again', async () => {
		const { provider, sink, tracker } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		sink.loseAnswers = 1;
		provider.set(id, 'first');
		await vi.advanceTimersByTimeAsync(5_000);
		await tracker.idle();
		await vi.advanceTimersByTimeAsync(10_000);
		await tracker.idle();
		expect(sink.posts).toHaveLength(1);
		expect(sink.lookups).toEqual([`songbot:${id}:${id}-a`]);
		const clip = (await tracker.get(id))?.clips[0];
		expect(clip?.delivery).toMatchObject({ status: 'delivered', messageId: 'm1', recovered: true });
		await tracker.stop();
	});

	it('GIVEN two takes finishing one after the other THEN each costs one write besides the report that finished it, and neither is looked for in the channel', async () => {
		const { provider, sink, store, tracker } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		await vi.advanceTimersByTimeAsync(5_000);
		await tracker.idle();
		const saves: string[] = [];
		const save = store.saveTask.bind(store);
		store.saveTask = async (record, previous) => {
			if (record.id === id) saves.push(record.clips.map((c) => c.delivery?.status ?? c.state).join(','));
			return save(record, previous);
		};
		provider.set(id, 'first');
		await vi.advanceTimersByTimeAsync(5_000);
		await tracker.idle();
		provider.set(id, 'done');
		await vi.advanceTimersByTimeAsync(30_000);
		await tracker.idle();
		expect(sink.posts.map((p) => p.marker)).toEqual([`songbot:${id}:${id}-a`, `songbot:${id}:${id}-b`]);
		expect(sink.lookups).toEqual([]);
		// The posting marker rides on the report that made the take complete: report, delivered; report, delivered; settled.
		expect(saves).toEqual([
			'posting,streaming',
			'delivered,streaming',
			'delivered,posting',
			'delivered,delivered',
			'delivered,delivered',
		]);
		expect((await tracker.get(id))?.settledAt).toBeDefined();
		await tracker.stop();
	});

	it('GIVEN Discord down for a while THEN the take is posted once it is back', async () => {
		const { provider, sink, tracker } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		sink.failPosts = 2;
		provider.set(id, 'first');
		await vi.advanceTimersByTimeAsync(60_000);
		await tracker.idle();
		expect(sink.posts.map((p) => p.marker)).toEqual([`songbot:${id}:${id}-a`]);
		await tracker.stop();
	});

	it('GIVEN Discord never accepts the post THEN the take is given up after the last attempt and the user told', async () => {
		const { provider, sink, tracker } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		sink.failPosts = 100;
		provider.set(id, 'partial');
		await vi.advanceTimersByTimeAsync(10 * 60_000);
		await tracker.idle();
		expect(sink.events()).toContainEqual(expect.objectContaining({ type: 'delivery-failed', take: 1 }));
		expect(tracker.activeCount()).toBe(0);
		await tracker.stop();
	});

	it('GIVEN the audio download keeps failing THEN the take is posted with the provider link instead', async () => {
		const { provider, sink, tracker, audio } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		audio.failures = 10;
		provider.set(id, 'partial');
		await vi.advanceTimersByTimeAsync(5 * 60_000);
		await tracker.idle();
		expect(sink.posts).toEqual([
			{ messageId: 'm1', marker: `songbot:${id}:${id}-a`, link: `https://cdn.example/${id}-a.mp3` },
		]);
		await tracker.stop();
	});

	it('GIVEN the tracker message is slow to show a finished song while both takes are posted THEN its last update still shows the song delivered', async () => {
		const { provider, sink, tracker } = setup();
		let letGo = () => {};
		const held = new Promise<void>((resolve) => {
			letGo = resolve;
		});
		const update = sink.update.bind(sink);
		let holding = true;
		// Discord is slow with the edit that shows the song finished; the takes are posted meanwhile.
		sink.update = async (task, events) => {
			if (holding && task.state.status === 'finished') {
				holding = false;
				await held;
			}
			return update(task, events);
		};
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		provider.set(id, 'done');
		await vi.advanceTimersByTimeAsync(5_000);
		while (sink.posts.length < 2) await vi.advanceTimersByTimeAsync(100);
		expect(holding).toBe(false);
		letGo();
		await tracker.idle();
		expect(sink.updates.at(-1)?.task.state.status).toBe('delivered');
		expect(tracker.activeCount()).toBe(0);
		await tracker.stop();
	});

	it('GIVEN a take downloaded THEN it is posted with the local file', async () => {
		const { provider, sink, tracker, audio } = setup();
		await tracker.start();
		const { id } = await tracker.submit({ request: song, ...who });
		provider.set(id, 'partial');
		await vi.advanceTimersByTimeAsync(5_000);
		await tracker.idle();
		expect(audio.downloads).toEqual([`${id}-a`]);
		expect(sink.posts[0]?.file).toEqual({ path: `/audio/${id}/${id}-a.mp3`, bytes: 1234 });
		await tracker.stop();
	});
});

describe('tracker resume', () => {
	it('GIVEN a restart with a running task and an undelivered take THEN polling resumes and the take is posted once', async () => {
		const first = setup();
		await first.tracker.start();
		const a = await first.tracker.submit({ request: song, ...who });
		const b = await first.tracker.submit({ request: song, ...who });
		first.sink.failPosts = 100;
		first.provider.set(a.id, 'partial');
		first.provider.set(b.id, 'running');
		await vi.advanceTimersByTimeAsync(5_000);
		await first.tracker.stop();
		expect(first.sink.posts).toEqual([]);

		const sink = new MemorySink();
		const second = createTracker({
			provider: first.provider,
			store: first.store,
			sink,
			audio: first.audio,
			log,
			options,
		});
		await second.start();
		expect(second.activeCount()).toBe(2);
		expect(sink.updates.map((u) => u.task.id).sort()).toEqual([a.id, b.id].sort());
		first.provider.set(b.id, 'done');
		await vi.advanceTimersByTimeAsync(60_000);
		await second.idle();
		expect(sink.markers()).toEqual([
			`songbot:${a.id}:${a.id}-a`,
			`songbot:${b.id}:${b.id}-a`,
			`songbot:${b.id}:${b.id}-b`,
		]);
		expect(second.activeCount()).toBe(0);
		await second.stop();
	});

	it('GIVEN the bot was down longer than the overall timeout WHEN the song finished meanwhile THEN it is delivered, not failed', async () => {
		const first = setup();
		await first.tracker.start();
		const { id } = await first.tracker.submit({ request: song, ...who });
		await first.tracker.stop();
		vi.advanceTimersByTime(2 * 3_600_000);
		first.provider.set(id, 'done');
		const sink = new MemorySink();
		const second = createTracker({ ...first, sink, log, options });
		await second.start();
		await vi.advanceTimersByTimeAsync(1_000);
		await second.idle();
		expect(sink.events().map((e) => e.type)).not.toContain('failed');
		expect(sink.posts).toHaveLength(2);
		await second.stop();
	});

	it('GIVEN retention WHEN old settled songs exist at start THEN they are pruned with their audio', async () => {
		const first = setup();
		await first.tracker.start();
		const { id } = await first.tracker.submit({ request: song, ...who });
		first.provider.set(id, 'done');
		await vi.advanceTimersByTimeAsync(5_000);
		await first.tracker.idle();
		await first.tracker.stop();
		expect(await first.store.listLibrary('g1', { limit: 10 })).toHaveLength(1);
		vi.advanceTimersByTime(31 * 86_400_000);
		const second = createTracker({ ...first, log, options: { ...options, retentionMs: 30 * 86_400_000 } });
		await second.start();
		expect(await first.store.getTask(id)).toBeUndefined();
		expect(await first.store.listLibrary('g1', { limit: 10 })).toEqual([]);
		expect(first.audio.removed).toEqual([id]);
		await second.stop();
	});
});
