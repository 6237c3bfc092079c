import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../src/core/errors.ts';
import { intentRecord, moved } from '../../src/core/intent.ts';
import { createTracker } from '../../src/core/tracker.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { MemoryAudio, MemorySink, ScriptedProvider } from './scripted.ts';
import { log, options, setup, song, who } from './tracker-setup.ts';

/**
 * Intents: every request is saved before it leaves the bot, a lost answer is shown and waited for, a callback
 * naming the intent binds the task, and only a provable refusal ends the intent (what gets the quota back).
 */

beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
	vi.useRealTimers();
});

const withCallbacks = {
	timing: { ...options.timing, callbacks: true },
	callbackUrl: 'https://bot.example/callbacks/s3cret/newapi',
};

describe('tracker intents', () => {
	it('GIVEN a submit answered THEN the tracker message shows the task (its id) at once, never the intent it replaced', async () => {
		const { sink, tracker } = setup();
		await tracker.start();
		const task = await tracker.submit({ request: song, ...who });
		await tracker.idle();
		expect(sink.updates.map((u) => [u.task.id, u.task.state.status])).toEqual([[task.id, 'submitted']]);
		await tracker.stop();
	});

	it('GIVEN the submit answer is lost THEN submit resolves with the intent shown as unconfirmed, and the callback naming it binds the task, which is delivered', async () => {
		const { provider, store, sink, tracker } = setup(withCallbacks);
		await tracker.start();
		provider.loseNextAnswer = true;
		const intent = await tracker.submit({ request: song, ...who });
		expect(intent.state).toMatchObject({ status: 'unconfirmed', recovery: 'callback' });
		await tracker.idle();
		expect(sink.events()).toContainEqual({ type: 'answer-lost', recovery: 'callback' });
		expect(sink.updates.at(-1)?.task.state.status).toBe('unconfirmed');
		expect(await store.listActive()).toHaveLength(1);

		// Still unconfirmed long after: no poll can find it, and it is never sent again.
		await vi.advanceTimersByTimeAsync(10 * 60_000);
		expect(provider.submits).toHaveLength(1);
		expect(provider.fetches).toEqual([]);
		expect((await store.getTask(intent.id))?.state.status).toBe('unconfirmed');

		provider.set('t1', 'done');
		const snapshot = provider.tasks.get('t1');
		if (!snapshot) throw new Error('no snapshot');
		expect(await tracker.report(snapshot, 'callback', 'newapi', intent.id)).toBe('applied');
		await vi.advanceTimersByTimeAsync(1_000);
		await tracker.idle();
		expect(await store.getTask('t1')).toMatchObject({ intentId: intent.id, state: { status: 'delivered' } });
		expect((await store.getTask(intent.id))?.state).toMatchObject({ status: 'moved', taskId: 't1' });
		expect(sink.markers()).toEqual(['songbot:t1:t1-a', 'songbot:t1:t1-b']);
		expect(await store.listActive()).toEqual([]);
		// A duplicate callback changes nothing.
		expect(await tracker.report(snapshot, 'callback', 'newapi', intent.id)).toBe('unchanged');
		await tracker.stop();
	});

	it('GIVEN a callback naming the intent arrives before the submit answer THEN the task is bound once and submit returns it', async () => {
		const { provider, store, tracker } = setup(withCallbacks);
		await tracker.start();
		let answer = () => {};
		provider.holdAnswer = new Promise<void>((resolve) => {
			answer = resolve;
		});
		const submitting = tracker.submit({ request: song, ...who });
		await vi.advanceTimersByTimeAsync(0);
		const intentId = /\/(intent-[0-9a-f]+)$/.exec(provider.submits[0]?.callbackUrl ?? '')?.[1] ?? '';
		provider.set('t1', 'running');
		const early = provider.tasks.get('t1');
		if (!early) throw new Error('no snapshot');
		expect(await tracker.report(early, 'callback', 'newapi', intentId)).toBe('applied');
		answer();
		const record = await submitting;
		expect(record).toMatchObject({ id: 't1', intentId, state: { status: 'running' } });
		expect((await store.listActive()).map((r) => r.id)).toEqual(['t1']);
		await tracker.stop();
	});

	it('GIVEN the provider provably refuses THEN submit throws, the intent ends and nothing stays active', async () => {
		const { provider, store, sink, tracker } = setup(withCallbacks);
		await tracker.start();
		provider.submitError = new ProviderError({ kind: 'credits', status: 403 });
		await expect(tracker.submit({ request: song, ...who })).rejects.toMatchObject({ kind: 'credits' });
		await tracker.idle();
		expect(tracker.activeCount()).toBe(0);
		expect(await store.listActive()).toEqual([]);
		// The person is told by the caller (start-song); the sink renders nothing for an intent that never was.
		expect(sink.updates).toEqual([]);
		await tracker.stop();
	});

	it('GIVEN a lost answer and no callbacks THEN the tracker says it cannot follow it, and after the overall timeout ends it plainly', async () => {
		const { provider, store, sink, tracker } = setup();
		await tracker.start();
		provider.loseNextAnswer = true;
		const intent = await tracker.submit({ request: song, ...who });
		expect(intent.state).toMatchObject({ status: 'unconfirmed', recovery: 'none' });
		await vi.advanceTimersByTimeAsync(options.deadlines.taskTimeoutMs + 60_000);
		await tracker.idle();
		const ended = await store.getTask(intent.id);
		expect(ended?.state).toMatchObject({ status: 'failed', failure: { kind: 'timeout', source: 'timeout' } });
		expect(sink.events().find((e) => e.type === 'failed')).toMatchObject({
			failure: { message: expect.stringContaining('never said whether it took this request') },
		});
		expect(ended?.settledAt).toBeDefined();
		expect(provider.submits).toHaveLength(1);
		await tracker.stop();
	});

	it('GIVEN callbacks configured but a provider that never sends them (capabilities.callbacks false, e.g. stock new-api) THEN a lost answer says nothing will come, no callback URL is sent, and songs are polled at full pace', async () => {
		const provider = new ScriptedProvider('newapi');
		provider.capabilities.callbacks = false;
		const store = createMemoryStore();
		const sink = new MemorySink();
		const tracker = createTracker({
			provider,
			store,
			sink,
			audio: new MemoryAudio(),
			log,
			options: { ...options, ...withCallbacks },
			random: () => 0.5,
		});
		await tracker.start();
		provider.loseNextAnswer = true;
		const intent = await tracker.submit({ request: song, ...who });
		expect(intent.state).toMatchObject({ status: 'unconfirmed', recovery: 'none' });
		await tracker.idle();
		expect(sink.events()).toContainEqual({ type: 'answer-lost', recovery: 'none' });
		expect(provider.submits).toEqual([{}]);

		// A song whose answer arrives is polled every few seconds, not at the one-minute safety pace of callbacks.
		const task = await tracker.submit({ request: song, ...who });
		provider.set(task.id, 'done');
		await vi.advanceTimersByTimeAsync(2 * options.timing.fastMs);
		await tracker.idle();
		expect(provider.fetches.flat()).toContain(task.id);
		expect((await store.getTask(task.id))?.state.status).toBe('delivered');
		await tracker.stop();
	});

	it('GIVEN an intent still sending when the process died THEN the next start reports it on its tracker message as unconfirmed, without sending it again', async () => {
		const first = setup(withCallbacks);
		await first.tracker.start();
		first.provider.holdAnswer = new Promise<void>(() => {});
		void first.tracker.submit({ request: song, ...who });
		await vi.advanceTimersByTimeAsync(0);
		const [saved] = await first.store.listActive();
		expect(saved?.state.status).toBe('sending');

		// A new process on the same store (the first one is gone, its answer with it).
		const second = createTracker({ ...first, log, options: { ...options, ...withCallbacks } });
		await second.start();
		await second.idle();
		const reported = first.sink.updates.filter((u) => u.task.id === saved?.id).at(-1);
		expect(reported?.task.state).toMatchObject({ status: 'unconfirmed', recovery: 'callback' });
		expect(reported?.task.place.messageId).toBe('tm1');
		expect(first.provider.submits).toHaveLength(1);
		await second.stop();
	});

	it('GIVEN a crash after the intent named its task but before the task was saved THEN the next start saves the task and follows it', async () => {
		const { provider, store, sink, tracker } = setup();
		provider.tasks.set('t7', { taskId: 't7', kind: 'music', status: 'queued', clips: [] });
		const sent = intentRecord('intent-00000000000000000000abcd', 'newapi', { request: song, ...who }, Date.now());
		await store.saveTask(moved(sent, 't7', Date.now())?.record ?? sent);
		await tracker.start();
		await tracker.idle();
		expect(await store.getTask('t7')).toMatchObject({ intentId: sent.id, place: who.place });
		expect((await store.getTask(sent.id))?.settledAt).toBeDefined();
		provider.set('t7', 'done');
		await vi.advanceTimersByTimeAsync(10_000);
		await tracker.idle();
		expect(sink.markers()).toEqual(['songbot:t7:t7-a', 'songbot:t7:t7-b']);
		expect(provider.submits).toEqual([]);
		await tracker.stop();
	});

	it('GIVEN an orderly stop while a submit waits for its answer THEN the stop waits, and the answer is saved', async () => {
		const { provider, store, tracker } = setup();
		await tracker.start();
		let answer = () => {};
		provider.holdAnswer = new Promise<void>((resolve) => {
			answer = resolve;
		});
		const submitting = tracker.submit({ request: song, ...who });
		await vi.advanceTimersByTimeAsync(0);
		let stopped = false;
		const stopping = tracker.stop().then(() => {
			stopped = true;
		});
		await vi.advanceTimersByTimeAsync(1_000);
		expect(stopped).toBe(false);
		answer();
		await stopping;
		expect((await submitting).id).toBe('t1');
		expect(await store.getTask('t1')).toMatchObject({ state: { status: 'submitted' } });
		expect((await store.listActive()).map((r) => r.id)).toEqual(['t1']);
	});
});
