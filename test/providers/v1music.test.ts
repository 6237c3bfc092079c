import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { pollToEnd, providerFor, rejectionOf } from './helpers.ts';

let fake: FakeProvider;
beforeAll(async () => {
	fake = await startFakeProvider({ family: 'v1music' });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
const extra: { close(): Promise<void> }[] = [];
afterEach(async () => {
	for (const server of extra.splice(0)) await server.close();
});

describe('v1music adapter (family C)', () => {
	it('GIVEN a custom song THEN the submit answers with the task itself and progress is real until SUCCESS', async () => {
		const { provider } = providerFor(fake);
		const submitted = await provider.generate({
			mode: 'custom',
			lyrics: 'la la',
			style: 'pop',
			title: 'T',
			vocalGender: 'm',
			model: 'v5',
		});
		expect(submitted.snapshot).toMatchObject({ taskId: submitted.taskId, status: 'queued', progressPct: 0, clips: [] });
		expect(fake.requestsOf('generate')[0]?.body).toEqual({
			prompt: 'la la',
			model: 'suno-v5',
			custom_mode: true,
			instrumental: false,
			style: 'pop',
			title: 'T',
			vocal_gender: 'm',
		});
		const seen = await pollToEnd(provider, submitted.taskId);
		expect(seen.map((s) => s.progressPct)).toEqual([5, 20, 45, 72, 100]);
		expect(seen.at(-1)).toMatchObject({ status: 'succeeded', clips: [{ durationSec: 12 }, { durationSec: 9 }] });
		expect(seen.at(-1)?.finishedAt).toBeGreaterThan(0);
	});

	it('GIVEN a gateway serving only /v1/music/query THEN the adapter falls back once and remembers it', async () => {
		const local = await startFakeProvider({ family: 'v1music', queryRoutes: { tasks: false } });
		extra.push(local);
		const { provider } = providerFor(local);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v4.5+' });
		await provider.fetch([{ taskId, kind: 'music' }]);
		await provider.fetch([{ taskId, kind: 'music' }]);
		expect(local.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([
			`/v1/music/tasks/${taskId}`,
			'/v1/music/query',
			'/v1/music/query',
		]);
		expect(local.requestsOf('fetch-query')[0]?.query).toEqual({ task_id: taskId });
	});

	it('GIVEN an unknown task THEN it is absent after one request (a JSON not-found is not a missing route)', async () => {
		const { provider } = providerFor(fake);
		expect((await provider.fetch([{ taskId: 'f'.repeat(32), kind: 'music' }])).size).toBe(0);
		expect(fake.requests).toHaveLength(1);
		await expect(provider.probe()).resolves.toEqual({});
	});

	it('GIVEN a sensitive-word failure THEN content_policy with the reason', async () => {
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'forbidden', model: 'v5' });
		const last = (await pollToEnd(provider, taskId)).at(-1);
		expect(last).toMatchObject({
			status: 'failed',
			failureKind: 'content_policy',
			failureReason: expect.stringMatching(/^SENSITIVE_WORD_ERROR/),
		});
	});

	it('GIVEN the legacy synchronous API THEN the submit already carries both finished takes', async () => {
		const legacy = await startFakeProvider({ family: 'v1music', mode: 'legacy' });
		extra.push(legacy);
		const { provider } = providerFor(legacy);
		const submitted = await provider.generate({ mode: 'describe', description: 'x', model: 'v4.5+' });
		expect(submitted.taskId).toMatch(/^task_/);
		expect(submitted.snapshot).toMatchObject({
			status: 'succeeded',
			clips: [
				{ state: 'complete', durationSec: 12 },
				{ state: 'complete', durationSec: 9 },
			],
		});
		expect((await provider.fetch([{ taskId: submitted.taskId, kind: 'music' }])).get(submitted.taskId)?.status).toBe(
			'succeeded',
		);
	});

	it('GIVEN operations family C lacks THEN unsupported, in capabilities and when called, with nothing sent', async () => {
		const { provider } = providerFor(fake);
		expect(provider.capabilities).toMatchObject({
			extend: false,
			lyrics: false,
			upload: false,
			cover: false,
			concat: false,
			negativeStyle: false,
			credits: false,
		});
		expect(provider.capabilities.models).toEqual(['v4.5+', 'v5']);
		for (const call of [
			() => provider.extend({ source: { clipId: 'c' }, model: 'v5' }),
			() => provider.lyrics('x'),
			() => provider.upload('https://e/a.mp3'),
			() => provider.concat({ clipId: 'c' }),
			() => provider.generate({ mode: 'describe', description: 'x', negativeStyle: 'metal', model: 'v5' }),
		]) {
			expect(await rejectionOf(call())).toMatchObject({ kind: 'unsupported' });
		}
		expect(await rejectionOf(provider.generate({ mode: 'describe', description: 'x', model: 'v4' }))).toMatchObject({
			kind: 'invalid_input',
		});
		expect(fake.requests).toHaveLength(0);
	});

	it('GIVEN 401 and 403 quota answers THEN auth and credits', async () => {
		const { provider } = providerFor(fake);
		fake.inject('auth');
		expect(await rejectionOf(provider.generate({ mode: 'describe', description: 'x', model: 'v5' }))).toMatchObject({
			kind: 'auth',
			status: 401,
		});
		fake.inject('credits');
		expect(await rejectionOf(provider.generate({ mode: 'describe', description: 'x', model: 'v5' }))).toMatchObject({
			kind: 'credits',
			status: 403,
		});
	});
});
