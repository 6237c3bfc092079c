import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { pollToEnd, providerFor, rejectionOf } from './helpers.ts';

let fake: FakeProvider;
beforeAll(async () => {
	fake = await startFakeProvider({ family: 'newapi' });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('newapi adapter (family A) against a stock new-api', () => {
	it('GIVEN a description THEN inspiration mode is sent with the mapped model and key, and both takes finish downloadable', async () => {
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'a song about tea', model: 'v4.5+' });
		const [submit] = fake.requestsOf('music');
		expect(submit?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
		expect(submit?.body).toMatchObject({
			gpt_description_prompt: 'a song about tea',
			prompt: '',
			mv: 'chirp-bluejay',
			make_instrumental: false,
		});

		const seen = await pollToEnd(provider, taskId);
		expect([...new Set(seen.map((s) => s.status))]).toEqual(['queued', 'running', 'partial', 'succeeded']);
		const streaming = seen.find((s) => s.status === 'running')?.clips[0];
		// The same audio_url is a stream while streaming: never reported as the final file.
		expect(streaming).toMatchObject({ state: 'streaming', streamUrl: expect.stringContaining('audiopipe') });
		expect(streaming?.audioUrl).toBeUndefined();
		const done = seen.at(-1);
		expect(done?.clips.map((c) => [c.state, c.durationSec])).toEqual([
			['complete', 12],
			['complete', 9],
		]);
		expect(done?.progressPct).toBeUndefined();
		expect(Math.abs((done?.submittedAt ?? 0) - Date.now())).toBeLessThan(60_000);
		const audio = await fetch(done?.clips[0]?.audioUrl ?? '');
		expect(audio.headers.get('content-type')).toBe('audio/mpeg');
		expect((await audio.arrayBuffer()).byteLength).toBe(96_592);
	});

	it('GIVEN lyrics, style, title and styles to avoid THEN custom mode puts them on the wire', async () => {
		const { provider } = providerFor(fake);
		await provider.generate({
			mode: 'custom',
			lyrics: '[Verse]\nhello',
			style: 'folk',
			title: 'Hello',
			negativeStyle: 'metal',
			instrumental: false,
			model: 'v5',
		});
		expect(fake.requestsOf('music')[0]?.body).toEqual({
			mv: 'chirp-crow',
			make_instrumental: false,
			prompt: '[Verse]\nhello',
			title: 'Hello',
			tags: 'folk',
			negative_tags: 'metal',
		});
	});

	it('GIVEN several tasks and an unknown id THEN one batch request answers them all and the unknown one is absent', async () => {
		const { provider } = providerFor(fake);
		const ids = [];
		for (let i = 0; i < 3; i++)
			ids.push((await provider.generate({ mode: 'describe', description: `song ${i}`, model: 'v4' })).taskId);
		const refs = [...ids, 'task_unknown'].map((taskId) => ({ taskId, kind: 'music' as const }));
		const map = await provider.fetch(refs);
		expect(fake.requestsOf('fetch')).toHaveLength(1);
		expect(fake.requestsOf('fetch')[0]?.body).toMatchObject({ ids: [...ids, 'task_unknown'] });
		expect([...map.keys()].sort()).toEqual([...ids].sort());
	});

	it('GIVEN more tasks than the batch size THEN the batch is chunked', async () => {
		const { provider } = providerFor(fake, { features: { batchSize: 2 } });
		const refs = ['a', 'b', 'c', 'd', 'e'].map((taskId) => ({ taskId, kind: 'music' as const }));
		expect((await provider.fetch(refs)).size).toBe(0);
		expect(fake.requestsOf('fetch').map((r) => (r.body as { ids: string[] }).ids)).toEqual([
			['a', 'b'],
			['c', 'd'],
			['e'],
		]);
	});

	it('GIVEN an extend without the task that made the take THEN invalid_input and nothing is sent', async () => {
		const { provider } = providerFor(fake);
		const error = await rejectionOf(provider.extend({ source: { clipId: 'c1' }, continueAtSec: 30, model: 'v4' }));
		expect(error).toMatchObject({ kind: 'invalid_input' });
		expect(fake.requests).toHaveLength(0);
	});

	it('GIVEN an extend of a finished take THEN task_id, continue_clip_id, continue_at and task are sent and accepted', async () => {
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'tea', model: 'v4' });
		const done = (await pollToEnd(provider, taskId)).at(-1);
		const clipId = done?.clips[0]?.id ?? '';
		const extended = await provider.extend({
			source: { taskId, clipId },
			continueAtSec: 8.5,
			lyrics: '[Bridge]\nmore',
			model: 'v4',
		});
		expect(fake.requestsOf('music')[1]?.body).toMatchObject({
			task_id: taskId,
			continue_clip_id: clipId,
			continue_at: 8.5,
			task: 'extend',
			mv: 'chirp-v4',
			prompt: '[Bridge]\nmore',
		});
		expect(fake.task(extended.taskId).op).toBe('extend');
	});

	it('GIVEN lyrics longer than the model allows, an unknown model or continuing at 0 s THEN invalid_input and nothing is sent', async () => {
		const { provider } = providerFor(fake);
		const long = await rejectionOf(
			provider.generate({ mode: 'custom', lyrics: 'x'.repeat(3001), style: 's', title: 't', model: 'v4' }),
		);
		expect(long).toMatchObject({
			kind: 'invalid_input',
			userMessage: expect.stringContaining('3001 characters, at most 3000'),
		});
		const model = await rejectionOf(provider.generate({ mode: 'describe', description: 'x', model: 'v9' as 'v4' }));
		expect(model).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('Unknown model') });
		const zero = await rejectionOf(
			provider.extend({ source: { taskId: 't', clipId: 'c' }, continueAtSec: 0, model: 'v4' }),
		);
		expect(zero).toMatchObject({ kind: 'invalid_input' });
		expect(fake.requests).toHaveLength(0);
	});

	it('GIVEN a prompt the provider moderates THEN the task fails as content_policy with its reason', async () => {
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'a forbidden song', model: 'v4' });
		const last = (await pollToEnd(provider, taskId)).at(-1);
		expect(last).toMatchObject({
			status: 'failed',
			failureKind: 'content_policy',
			failureReason: expect.stringContaining('sensitive'),
		});
	});

	it('GIVEN take 2 fails THEN the failed task still carries take 1 complete (partial success)', async () => {
		fake.setOutcome('partial');
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'tea', model: 'v4' });
		const last = (await pollToEnd(provider, taskId)).at(-1);
		expect(last?.status).toBe('failed');
		expect(last?.clips.map((c) => c.state)).toEqual(['complete', 'error']);
		expect(last?.clips[0]?.audioUrl).toMatch(/\.mp3$/);
		expect(last?.clips[1]?.audioUrl).toBeUndefined();
	});

	it('GIVEN a stuck task THEN it stays running poll after poll', async () => {
		fake.setOutcome('stuck');
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'tea', model: 'v4' });
		await expect(pollToEnd(provider, taskId, 'music', 8)).rejects.toThrow(/did not finish/);
		expect(fake.task(taskId).stage).toBe('streaming');
	});

	it('GIVEN a wrong key or an empty quota THEN auth and credits, neither retried', async () => {
		const { provider: wrong, delays } = providerFor(fake, { apiKey: 'sk-wrong' });
		expect(await rejectionOf(wrong.generate({ mode: 'describe', description: 'x', model: 'v4' }))).toMatchObject({
			kind: 'auth',
			status: 401,
		});
		fake.setCredits(0);
		const { provider } = providerFor(fake);
		expect(await rejectionOf(provider.generate({ mode: 'describe', description: 'x', model: 'v4' }))).toMatchObject({
			kind: 'credits',
			code: 'quota_not_enough',
		});
		expect(delays).toHaveLength(0);
		expect(fake.tasks.size).toBe(0);
	});

	it('GIVEN 429 then success THEN reads and submits are retried and exactly one task is created', async () => {
		const { provider, delays } = providerFor(fake);
		fake.inject('rate_limited', { on: 'submit' });
		const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
		fake.inject('rate_limited', { on: 'fetch', times: 2 });
		const map = await provider.fetch([{ taskId, kind: 'music' }]);
		expect(map.has(taskId)).toBe(true);
		expect(fake.tasks.size).toBe(1);
		expect(delays).toHaveLength(3);
	});

	it('GIVEN a 500 after the gateway accepted the submit THEN it is not re-sent: one task, maybeAccepted', async () => {
		const { provider } = providerFor(fake);
		fake.inject('server_error', { on: 'submit', afterAccept: true });
		const error = await rejectionOf(provider.generate({ mode: 'describe', description: 'x', model: 'v4' }));
		expect(error).toMatchObject({ kind: 'unavailable', maybeAccepted: true });
		expect(fake.requestsOf('submit')).toHaveLength(1);
		expect(fake.tasks.size).toBe(1);
	});

	it('GIVEN 502 and 503 without a task id THEN the submit is re-sent and succeeds once', async () => {
		const { provider } = providerFor(fake);
		fake.inject('gateway', { on: 'submit' });
		fake.inject('unavailable', { on: 'submit' });
		await provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
		expect(fake.requestsOf('submit')).toHaveLength(3);
		expect(fake.tasks.size).toBe(1);
	});

	it('GIVEN an HTML page instead of JSON or an answer slower than the timeout THEN protocol and timeout errors', async () => {
		const { provider } = providerFor(fake, { fetchTimeoutMs: 100, retry: { reads: 0 } });
		fake.inject('malformed', { on: 'fetch' });
		expect(await rejectionOf(provider.fetch([{ taskId: 'x', kind: 'music' }]))).toMatchObject({ kind: 'protocol' });
		fake.inject('slow', { on: 'fetch', delayMs: 500 });
		expect(await rejectionOf(provider.fetch([{ taskId: 'x', kind: 'music' }]))).toMatchObject({ kind: 'timeout' });
	});

	it('GIVEN a lyrics request THEN the lyrics object becomes title and text', async () => {
		const { provider } = providerFor(fake);
		const { taskId } = await provider.lyrics('rainy mondays');
		expect(fake.requestsOf('lyrics')[0]?.body).toEqual({ prompt: 'rainy mondays' });
		const last = (await pollToEnd(provider, taskId, 'lyrics')).at(-1);
		expect(last).toMatchObject({
			kind: 'lyrics',
			status: 'succeeded',
			lyrics: [{ title: 'Lyrics 1', text: expect.stringContaining('rainy mondays') }],
		});
	});

	it('GIVEN a stock gateway THEN concat (invalid_action) and upload (no route) are unsupported', async () => {
		const { provider } = providerFor(fake);
		expect(await rejectionOf(provider.concat({ clipId: 'c1' }))).toMatchObject({ kind: 'unsupported' });
		expect(await rejectionOf(provider.upload('https://example.com/a.mp3'))).toMatchObject({ kind: 'unsupported' });
		expect(await rejectionOf(provider.cover({ sourceAudioUrl: 'https://e/a.mp3', model: 'v4' }))).toMatchObject({
			kind: 'unsupported',
		});
		expect(provider.capabilities).toMatchObject({ cover: false, vocalGender: false, credits: false, batchSize: 100 });
	});

	it('GIVEN notify_hook bodies, bare or wrapped THEN snapshots; anything else is a protocol error', () => {
		const { provider } = providerFor(fake);
		const task = { task_id: 't1', action: 'MUSIC', status: 'SUCCESS', submit_time: 1_700_000_000, data: [] };
		expect(provider.parseCallback(task)[0]?.snapshot).toMatchObject({
			taskId: 't1',
			status: 'succeeded',
			submittedAt: 1_700_000_000_000,
		});
		expect(provider.parseCallback({ code: 'success', data: task })[0]?.snapshot.taskId).toBe('t1');
		expect(() => provider.parseCallback({ hello: 'world' })).toThrow(expect.objectContaining({ kind: 'protocol' }));
	});
});
