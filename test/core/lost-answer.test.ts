import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker } from '../../src/core/tracker.ts';
import { callbackUrl, createHttpServer, createMetrics, type HttpServer } from '../../src/http/index.ts';
import { createProvider } from '../../src/providers/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { MemoryAudio, MemorySink } from './scripted.ts';
import { log, song, who } from './tracker-setup.ts';

/**
 * A submit that times out after the provider took it: the real family-B adapter (its own submit timeout), the
 * real callback server and the fake sunoapi.org on loopback. The request is never re-sent, and the provider's
 * callbacks, which carry the intent id in their URL, bring the song anyway.
 */

let fake: FakeProvider;
let http: HttpServer;
let adapter: ReturnType<typeof createProvider>;
const secret = 'lost-answer-secret-0123456789';
let report: Parameters<typeof createHttpServer>[0]['report'] = async () => 'unknown';

beforeAll(async () => {
	fake = await startFakeProvider({ family: 'sunoapi', timeline: { type: 'manual' } });
	// Its own submit timeout, well under the time the fake holds the answer back.
	adapter = createProvider({
		family: 'sunoapi',
		baseUrl: fake.baseUrl,
		apiKey: fake.apiKey,
		submitTimeoutMs: 300,
		retry: { baseDelayMs: 10 },
	});
	http = createHttpServer({
		secret,
		provider: adapter,
		report: (...args) => report(...args),
		isHealthy: () => true,
		metrics: createMetrics({ defaults: false }),
		log,
	});
});
afterAll(async () => {
	await http.close();
	await fake.close();
});

describe('a submit that times out after the provider took it', () => {
	it('GIVEN the answer arrives after the submit timeout THEN the intent waits, is never re-sent, and the callbacks naming it deliver the song', async () => {
		const base = await http.listen(0, '127.0.0.1');
		const store = createMemoryStore();
		const sink = new MemorySink();
		const tracker = createTracker({
			provider: adapter,
			store,
			sink,
			audio: new MemoryAudio(),
			log,
			options: {
				timing: { fastMs: 100, slowMs: 500, safetyMs: 500, callbacks: true },
				deadlines: { stallMs: 600_000, taskTimeoutMs: 3_600_000 },
				retentionMs: 0,
				callbackUrl: callbackUrl(base, secret, 'sunoapi'),
			},
		});
		report = (snapshot, source, family, intentId) => tracker.report(snapshot, source, family, intentId);
		await tracker.start();
		fake.inject('slow', { on: 'submit', afterAccept: true, delayMs: 1_500 });

		const request = { action: 'generate' as const, request: { ...song.request, style: 'pop', title: 'Rain' } };
		const intent = await tracker.submit({ request, ...who });
		expect(intent.state).toMatchObject({ status: 'unconfirmed', recovery: 'callback' });
		expect(fake.requestsOf('submit')).toHaveLength(1);
		const [task] = [...fake.tasks.values()];
		expect(task?.callbackUrl).toBe(`${callbackUrl(base, secret, 'sunoapi')}/${intent.id}`);

		fake.completeTask(task?.id ?? '');
		await fake.flushCallbacks();
		const end = Date.now() + 10_000;
		while ((await store.getTask(task?.id ?? ''))?.state.status !== 'delivered') {
			if (Date.now() > end) throw new Error('the song was not delivered');
			await sleep(25);
		}
		expect(sink.markers()).toEqual(task?.clips.map((c) => `songbot:${task.id}:${c.id}`).sort());
		expect(fake.callbacks.every((c) => c.status === 200)).toBe(true);
		expect(fake.requestsOf('submit')).toHaveLength(1);
		await tracker.stop();
	});
});
