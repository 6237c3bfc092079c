import { afterEach, describe, expect, it } from 'vitest';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../doubles/providers/index.ts';
import { callbackReceiver, pollToEnd, providerFor } from './helpers.ts';

/** Family A gateways differ: mount prefix, one-hub, Suno-API, resellers, new-api in front of sunoapi.org. */

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
	for (const server of open.splice(0)) await server.close();
});
async function start(options: Omit<FakeProviderOptions, 'family'>): Promise<FakeProvider> {
	const fake = await startFakeProvider({ family: 'newapi', ...options });
	open.push(fake);
	return fake;
}

describe('newapi adapter across family-A gateways', () => {
	it('GIVEN a gateway mounted under /v1 THEN every call goes to /v1/suno/...', async () => {
		const fake = await start({ pathPrefix: '/v1' });
		expect(fake.baseUrl).toMatch(/\/v1$/);
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
		await pollToEnd(provider, taskId);
		expect(new Set(fake.requests.filter((r) => r.route !== 'file').map((r) => r.path))).toEqual(
			new Set(['/v1/suno/submit/music', '/v1/suno/fetch']),
		);
	});

	it('GIVEN a gateway without batch fetch THEN one GET per task from then on, and one-hub’s HTTP 404 for an unknown task means absent', async () => {
		const fake = await start({ mode: 'onehub' });
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
		fake.inject({ on: '/suno/fetch', status: 404, raw: '404 page not found' });
		const refs = [
			{ taskId, kind: 'music' as const },
			{ taskId: 'task_gone', kind: 'music' as const },
		];
		const first = await provider.fetch(refs);
		const second = await provider.fetch(refs);
		expect([...first.keys()]).toEqual([taskId]);
		expect([...second.keys()]).toEqual([taskId]);
		expect(fake.requestsOf('fetch').map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /suno/fetch',
			`GET /suno/fetch/${taskId}`,
			'GET /suno/fetch/task_gone',
			`GET /suno/fetch/${taskId}`,
			'GET /suno/fetch/task_gone',
		]);
	});

	it('GIVEN Suno-API answering GET with bare data THEN the clips still make a snapshot', async () => {
		const fake = await start({ mode: 'sunoapi-go' });
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
		expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
		fake.inject({ on: '/suno/fetch', status: 404, raw: '404 page not found' });
		const seen = await pollToEnd(provider, taskId);
		expect(fake.requestsOf('fetch-one').length).toBeGreaterThan(0);
		expect(seen.at(-1)).toMatchObject({ status: 'succeeded', clips: [{ durationSec: 12 }, { durationSec: 9 }] });
	});

	it('GIVEN Suno-API’s slow lyrics submit THEN it waits for the answer and the task is already finished', async () => {
		const fake = await start({ mode: 'sunoapi-go', lyricsSubmitDelayMs: 300 });
		const { provider } = providerFor(fake);
		const { taskId } = await provider.lyrics('a theme');
		const map = await provider.fetch([{ taskId, kind: 'lyrics' }]);
		expect(map.get(taskId)).toMatchObject({ kind: 'lyrics', status: 'succeeded', lyrics: [{ title: 'Lyrics 1' }] });
	});

	it('GIVEN a reseller with notify_hook THEN real callbacks arrive and parse into the same progression as polling', async () => {
		const fake = await start({ mode: 'reseller', notifyWrapped: true });
		const receiver = await callbackReceiver();
		open.push(receiver);
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate(
			{ mode: 'describe', description: 'x', model: 'v4.5' },
			{ callbackUrl: receiver.url },
		);
		expect(fake.requestsOf('music')[0]?.body).toMatchObject({ notify_hook: receiver.url, mv: 'chirp-auk' });
		fake.completeTask(taskId);
		await fake.flushCallbacks();
		const statuses = receiver.bodies.flatMap((b) => provider.parseCallback(b).map((u) => u.snapshot.status));
		expect(statuses).toEqual(['queued', 'queued', 'running', 'partial', 'succeeded']);
		const final = provider.parseCallback(receiver.bodies.at(-1))[0]?.snapshot;
		// Flattened reseller clips: state + status, and the duration as a string.
		expect(final?.clips.map((c) => c.durationSec)).toEqual([12, 9]);
	});

	it('GIVEN a reseller THEN an uploaded clip can be extended and the extension joined into the full song', async () => {
		const fake = await start({ mode: 'reseller' });
		const { provider } = providerFor(fake);
		const upload = await provider.upload('https://example.com/voice%20memo.mp3');
		const uploaded = (await pollToEnd(provider, upload.taskId, 'upload')).at(-1);
		expect(uploaded).toMatchObject({
			kind: 'upload',
			status: 'succeeded',
			clips: [{ title: 'voice memo', state: 'complete' }],
		});
		const clipId = uploaded?.clips[0]?.id ?? '';
		const ext = await provider.extend({ source: { clipId }, uploaded: true, continueAtSec: 5, model: 'v4' });
		expect(fake.requestsOf('music')[0]?.body).toMatchObject({ task: 'upload_extend', continue_clip_id: clipId });
		expect(fake.requestsOf('music')[0]?.body).not.toHaveProperty('task_id');
		const extended = (await pollToEnd(provider, ext.taskId)).at(-1);
		const full = await provider.concat({ taskId: ext.taskId, clipId: extended?.clips[0]?.id ?? '' });
		const song = (await pollToEnd(provider, full.taskId, 'concat')).at(-1);
		expect(song).toMatchObject({
			kind: 'concat',
			status: 'succeeded',
			clips: [{ state: 'complete', durationSec: 21 }],
		});
	});

	it('GIVEN a reseller answering lyrics as an array THEN every version is kept', async () => {
		const fake = await start({ mode: 'reseller' });
		const { provider } = providerFor(fake);
		const { taskId } = await provider.lyrics('summer');
		const last = (await pollToEnd(provider, taskId, 'lyrics')).at(-1);
		expect(last?.lyrics?.map((l) => l.title)).toEqual(['Lyrics 1', 'Lyrics 2']);
	});

	it('GIVEN new-api in front of sunoapi.org THEN B statuses, camelCase clips and ms timestamps normalise', async () => {
		const fake = await start({ mode: 'hybrid' });
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
		const seen = await pollToEnd(provider, taskId);
		expect([...new Set(seen.map((s) => s.status))]).toEqual(['queued', 'running', 'partial', 'succeeded']);
		const last = seen.at(-1);
		// submit_time arrives in ms here: it must not be multiplied again.
		expect(Math.abs((last?.submittedAt ?? 0) - Date.now())).toBeLessThan(60_000);
		expect(last?.clips[0]).toMatchObject({
			state: 'complete',
			durationSec: 12,
			streamUrl: expect.any(String),
			audioUrl: expect.stringMatching(/\.mp3$/),
		});
	});

	it('GIVEN the hybrid channel reports a sensitive-word failure THEN content_policy', async () => {
		const fake = await start({ mode: 'hybrid' });
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'forbidden words', model: 'v4' });
		expect((await pollToEnd(provider, taskId)).at(-1)).toMatchObject({
			status: 'failed',
			failureKind: 'content_policy',
		});
	});
});
