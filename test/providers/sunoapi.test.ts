import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { callbackReceiver, pollToEnd, providerFor, rejectionOf } from './helpers.ts';

let fake: FakeProvider;
beforeAll(async () => {
	fake = await startFakeProvider({ family: 'sunoapi' });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
const extra: { close(): Promise<void> }[] = [];
afterEach(async () => {
	for (const server of extra.splice(0)) await server.close();
});

describe('sunoapi adapter (family B)', () => {
	it('GIVEN a description THEN the required fields go on the wire and record-info walks PENDING → SUCCESS', async () => {
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({
			mode: 'describe',
			description: 'tea',
			model: 'v4.5+',
			vocalGender: 'f',
		});
		expect(taskId).toMatch(/^[0-9a-f]{32}$/);
		expect(fake.requestsOf('generate')[0]?.body).toEqual({
			model: 'V4_5PLUS',
			instrumental: false,
			callBackUrl: 'https://songbot.invalid/no-callback',
			vocalGender: 'f',
			customMode: false,
			prompt: 'tea',
		});
		const seen = await pollToEnd(provider, taskId);
		expect([...new Set(seen.map((s) => s.status))]).toEqual(['queued', 'running', 'partial', 'succeeded']);
		const text = seen.find((s) => s.status === 'running');
		expect(text?.clips[0]).toMatchObject({ state: 'pending', lyrics: expect.stringContaining('[Verse]') });
		const first = seen.find((s) => s.status === 'partial');
		expect(first?.clips.map((c) => c.state)).toEqual(['complete', 'streaming']);
		expect(first?.clips[1]?.durationSec).toBeUndefined();
		expect(seen.at(-1)?.clips.map((c) => c.durationSec)).toEqual([12, 9]);
	});

	it('GIVEN custom mode without a style or title THEN invalid_input before anything is sent', async () => {
		const { provider } = providerFor(fake);
		const error = await rejectionOf(provider.generate({ mode: 'custom', lyrics: 'la', title: 'T', model: 'v5' }));
		expect(error).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('style') });
		const title = await rejectionOf(
			provider.generate({ mode: 'custom', lyrics: 'la', style: 's', title: 'x'.repeat(81), model: 'v4.5-all' }),
		);
		expect(title).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('at most 80') });
		const words = await rejectionOf(provider.lyrics(Array.from({ length: 201 }, () => 'w').join(' ')));
		expect(words).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('201 words') });
		expect(fake.requests).toHaveLength(0);
	});

	it('GIVEN errors in the body over HTTP 200 THEN 401 is auth, 429 is credits (not retried), 430 is rate limited (retried)', async () => {
		const { provider, delays } = providerFor(fake);
		const call = () => provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
		fake.inject('auth');
		expect(await rejectionOf(call())).toMatchObject({ kind: 'auth', status: 200, code: 401 });
		fake.inject('credits');
		expect(await rejectionOf(call())).toMatchObject({ kind: 'credits', code: 429 });
		expect(delays).toHaveLength(0);
		fake.inject('rate_limited');
		await call();
		expect(delays).toHaveLength(1);
		fake.inject('maintenance', { times: 5 });
		expect(await rejectionOf(call())).toMatchObject({ kind: 'unavailable', code: 455 });
		expect(fake.tasks.size).toBe(1);
	});

	it('GIVEN the account runs out of credits THEN credits() reports the balance and the next submit is refused', async () => {
		const { provider } = providerFor(fake);
		expect(await provider.credits()).toBe(1000);
		fake.setCredits(5);
		expect(await rejectionOf(provider.generate({ mode: 'describe', description: 'x', model: 'v4' }))).toMatchObject({
			kind: 'credits',
		});
		expect(await provider.probe()).toEqual({ credits: 5 });
	});

	it('GIVEN a callback URL THEN text, first and complete callbacks arrive in snake_case and parse like record-info', async () => {
		const receiver = await callbackReceiver();
		extra.push(receiver);
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate(
			{ mode: 'custom', lyrics: 'la', style: 'pop', title: 'T', model: 'v5' },
			{ callbackUrl: receiver.url },
		);
		expect(fake.requestsOf('generate')[0]?.body).toMatchObject({
			callBackUrl: receiver.url,
			customMode: true,
			style: 'pop',
			title: 'T',
			model: 'V5',
		});
		fake.completeTask(taskId);
		await fake.flushCallbacks();
		const stages = receiver.bodies.map((b) => (b as { data: { callbackType: string } }).data.callbackType);
		expect(stages).toEqual(['text', 'first', 'complete']);
		const snapshots = receiver.bodies.map((b) => provider.parseCallback(b)[0]?.snapshot);
		expect(snapshots.map((s) => s?.status)).toEqual(['running', 'partial', 'succeeded']);
		expect(snapshots.every((s) => s?.taskId === taskId)).toBe(true);
		expect(snapshots[2]?.clips.map((c) => [c.state, c.durationSec])).toEqual([
			['complete', 12],
			['complete', 9],
		]);
		// Callbacks know less than record-info: no progress, no submit time.
		expect(snapshots[2]?.submittedAt).toBeUndefined();
	});

	it('GIVEN an error callback with code 400 THEN a failed snapshot with content_policy; duplicates parse the same', async () => {
		const local = await startFakeProvider({ family: 'sunoapi', duplicateCallbacks: true });
		extra.push(local);
		const receiver = await callbackReceiver();
		extra.push(receiver);
		const { provider } = providerFor(local);
		const { taskId } = await provider.generate(
			{ mode: 'describe', description: 'x', model: 'v4' },
			{ callbackUrl: receiver.url },
		);
		local.failTask(taskId, { policy: true });
		await local.flushCallbacks();
		expect(receiver.bodies).toHaveLength(2);
		for (const body of receiver.bodies) {
			expect(provider.parseCallback(body)[0]?.snapshot).toMatchObject({
				taskId,
				status: 'failed',
				failureKind: 'content_policy',
			});
		}
		expect(() => provider.parseCallback({ code: 200, data: { audioWavUrl: 'x' } })).toThrow(
			expect.objectContaining({ kind: 'protocol' }),
		);
	});

	it('GIVEN CALLBACK_EXCEPTION with finished audio THEN succeeded, since only the webhook failed', async () => {
		fake.setOutcome('callback_exception');
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
		expect((await pollToEnd(provider, taskId)).at(-1)).toMatchObject({
			status: 'succeeded',
			clips: [{ state: 'complete' }, { state: 'complete' }],
		});
	});

	it('GIVEN GENERATE_AUDIO_FAILED THEN failed with a clear message and no kind', async () => {
		fake.setOutcome('failure');
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
		const last = (await pollToEnd(provider, taskId)).at(-1);
		expect(last).toMatchObject({
			status: 'failed',
			failureReason: 'the provider could not generate the audio: try again, perhaps with other words or style',
		});
		expect(last?.failureKind).toBeUndefined();
	});

	it('GIVEN many tasks and an unknown one THEN one record-info each, unknown absent', async () => {
		const { provider } = providerFor(fake);
		const ids = [];
		for (let i = 0; i < 5; i++)
			ids.push((await provider.generate({ mode: 'describe', description: `s${i}`, model: 'v4' })).taskId);
		const map = await provider.fetch(
			[...ids, 'ffffffffffffffffffffffffffffffff'].map((taskId) => ({ taskId, kind: 'music' as const })),
		);
		expect(map.size).toBe(5);
		expect(fake.requestsOf('fetch')).toHaveLength(6);
	});

	it('GIVEN one poll failing while the others answer THEN the others are reported; GIVEN every poll rejected THEN it throws', async () => {
		const { provider } = providerFor(fake, { retry: { reads: 0 }, concurrency: 1 });
		const ids = [];
		for (let i = 0; i < 3; i++)
			ids.push((await provider.generate({ mode: 'describe', description: `s${i}`, model: 'v4' })).taskId);
		const refs = ids.map((taskId) => ({ taskId, kind: 'music' as const }));
		fake.inject('server_error', { on: 'fetch' });
		expect([...(await provider.fetch(refs)).keys()]).toEqual(ids.slice(1));
		fake.inject('auth', { on: 'fetch', times: 3 });
		expect(await rejectionOf(provider.fetch(refs))).toMatchObject({ kind: 'auth' });
	});

	it('GIVEN an extend THEN audioId, defaultParamFlag and continueAt are sent, and the source model must match', async () => {
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v5' });
		const clipId = (await pollToEnd(provider, taskId)).at(-1)?.clips[0]?.id ?? '';
		await provider.extend({
			source: { taskId, clipId },
			continueAtSec: 6,
			lyrics: 'more',
			style: 'pop',
			title: 'T2',
			model: 'v5',
		});
		expect(fake.requestsOf('extend')[0]?.body).toMatchObject({
			audioId: clipId,
			defaultParamFlag: true,
			continueAt: 6,
			model: 'V5',
		});
		const mismatch = await rejectionOf(provider.extend({ source: { taskId, clipId }, model: 'v4' }));
		expect(mismatch).toMatchObject({
			kind: 'invalid_input',
			status: 200,
			userMessage: expect.stringContaining('consistent'),
		});
	});

	it('GIVEN an upload THEN no request, and extending it uses upload-extend with the URL; a cover uses upload-cover', async () => {
		const { provider } = providerFor(fake);
		const upload = await provider.upload('https://cdn.example/a.mp3');
		expect(fake.requests).toHaveLength(0);
		expect((await provider.fetch([{ taskId: upload.taskId, kind: 'upload' }])).get(upload.taskId)?.status).toBe(
			'succeeded',
		);
		const clipId = upload.snapshot?.clips[0]?.id ?? '';
		await provider.extend({ source: { clipId }, uploaded: true, model: 'v4.5' });
		expect(fake.requestsOf('upload-extend')[0]?.body).toMatchObject({
			uploadUrl: 'https://cdn.example/a.mp3',
			defaultParamFlag: false,
			model: 'V4_5',
		});
		await provider.cover({
			sourceAudioUrl: 'https://cdn.example/a.mp3',
			style: 'jazz',
			title: 'Jazz',
			instrumental: true,
			model: 'v4.5',
		});
		expect(fake.requestsOf('cover')[0]?.body).toMatchObject({
			uploadUrl: 'https://cdn.example/a.mp3',
			customMode: true,
			style: 'jazz',
			instrumental: true,
		});
		expect(await rejectionOf(provider.concat({ clipId: 'c1' }))).toMatchObject({ kind: 'unsupported' });
	});

	it('GIVEN lyrics THEN record-info under /lyrics with response.data yields both versions', async () => {
		const { provider } = providerFor(fake);
		const { taskId } = await provider.lyrics('the sea');
		const last = (await pollToEnd(provider, taskId, 'lyrics')).at(-1);
		expect(fake.requestsOf('fetch-lyrics').length).toBeGreaterThan(0);
		expect(last?.lyrics?.map((l) => l.title)).toEqual(['Lyrics 1', 'Lyrics 2']);
	});
});

describe('sunoapi adapter against clones', () => {
	it('GIVEN kie: body 429 "frequency too high" is a retryable rate limit, lyricsData is read, unknown tasks are absent', async () => {
		const kie = await startFakeProvider({ family: 'sunoapi', mode: 'kie' });
		extra.push(kie);
		const { provider, delays } = providerFor(kie);
		kie.inject('rate_limited');
		const { taskId } = await provider.lyrics('storms');
		expect(delays).toHaveLength(1);
		const last = (await pollToEnd(provider, taskId, 'lyrics')).at(-1);
		expect(last?.lyrics).toHaveLength(2);
		expect((await provider.fetch([{ taskId: 'nope', kind: 'music' }])).size).toBe(0);
	});

	it('GIVEN a proxy that uses real HTTP statuses THEN the body code still decides (429 with a credits message is credits)', async () => {
		const proxy = await startFakeProvider({ family: 'sunoapi', mode: 'http-status', credits: 0 });
		extra.push(proxy);
		const { provider } = providerFor(proxy);
		expect(await rejectionOf(provider.generate({ mode: 'describe', description: 'x', model: 'v4' }))).toMatchObject({
			kind: 'credits',
			status: 429,
		});
		proxy.inject('gateway', { times: 10 });
		expect(await rejectionOf(provider.credits())).toMatchObject({ kind: 'unavailable', status: 502 });
	});
});
