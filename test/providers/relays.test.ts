import { afterEach, describe, expect, it } from 'vitest';
import type { DeclaredFeatures } from '../../src/providers/index.ts';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../doubles/providers/index.ts';
import { pollToEnd, providerFor, rejectionOf } from './helpers.ts';

/**
 * Family A as today's relays behave (issue 14): stock new-api and one-hub relay only music and lyrics, resellers
 * add concat and uploads, new-api in front of sunoapi.org relays the upstream's refusals as HTTP 500.
 */

const open: FakeProvider[] = [];
afterEach(async () => {
	for (const server of open.splice(0)) await server.close();
});
async function start(options: Omit<FakeProviderOptions, 'family'>): Promise<FakeProvider> {
	const fake = await startFakeProvider({ family: 'newapi', ...options });
	open.push(fake);
	return fake;
}

async function finishedTake(provider: ReturnType<typeof providerFor>['provider']) {
	const { taskId } = await provider.generate({ mode: 'describe', description: 'seed', model: 'v4.5+' });
	const last = (await pollToEnd(provider, taskId)).at(-1);
	return { taskId, clipId: last?.clips[0]?.id ?? '' };
}

describe('family A task ids', () => {
	it.each([
		['newapi', /^task_[A-Za-z0-9]{32}$/],
		['reseller', /^[0-9a-f]{32}$/],
		['sunoapi-go', /^[0-9a-f-]{36}$/],
	] as const)(
		'GIVEN %s ids THEN the task is submitted, polled and finished whatever their shape',
		async (mode, shape) => {
			const fake = await start({ mode });
			const { provider } = providerFor(fake);
			const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
			expect(taskId).toMatch(shape);
			expect((await pollToEnd(provider, taskId)).at(-1)).toMatchObject({ taskId, status: 'succeeded' });
		},
	);
});

describe('stock new-api: only music and lyrics', () => {
	it.each(['invalid_action', 'no_channel'] as const)(
		'GIVEN a concat refused with %s THEN it is explained in words, learnt once, and not sent again',
		async (concatRefusal) => {
			const fake = await start({ mode: 'newapi', concatRefusal });
			const { provider } = providerFor(fake);
			const learnt: DeclaredFeatures[] = [];
			provider.learnt.onLearn((features) => learnt.push(features));
			const take = await finishedTake(provider);
			expect(provider.capabilities.concat).toBe(true);

			const refusal = await rejectionOf(provider.concat(take));
			expect(refusal).toMatchObject({ kind: 'unsupported', maybeAccepted: false });
			expect(refusal.userMessage).toBe('This music provider cannot join songs, so Full song is no longer offered.');
			expect(provider.capabilities.concat).toBe(false);
			expect(learnt).toEqual([{ concat: false }]);

			const sent = fake.requestsOf('concat').length;
			expect(await rejectionOf(provider.concat(take))).toMatchObject({ kind: 'unsupported' });
			expect(fake.requestsOf('concat').length).toBe(sent);
			expect(learnt).toHaveLength(1);
		},
	);

	it('GIVEN the upload route answering the web app’s HTML with 200 THEN uploads are unsupported, not a protocol error', async () => {
		const fake = await start({ mode: 'newapi' });
		const { provider } = providerFor(fake);
		const refusal = await rejectionOf(provider.upload('https://example.com/memo.mp3'));
		expect(refusal).toMatchObject({ kind: 'unsupported', maybeAccepted: false });
		expect(refusal.userMessage).toMatch(/cannot take uploaded audio/);
		expect(provider.capabilities.upload).toBe(false);
	});

	it('GIVEN doctor’s feature probe THEN stock lacks concat and uploads, a reseller has both, and nothing is charged', async () => {
		const stock = await start({ mode: 'newapi' });
		const reseller = await start({ mode: 'reseller' });
		const onStock = providerFor(stock).provider;
		const onReseller = providerFor(reseller).provider;
		expect(await onStock.probeFeatures()).toEqual({ concat: false, upload: false });
		expect(await onReseller.probeFeatures()).toEqual({ concat: true, upload: true });
		expect(onStock.capabilities).toMatchObject({ concat: false, upload: false });
		expect(onStock.variant).toMatch(/music and lyrics only/);
		expect(onReseller.variant).toMatch(/reseller/);
		expect([stock.credits, reseller.credits]).toEqual([1000, 1000]);
		expect(stock.tasks.size + reseller.tasks.size).toBe(0);
	});

	it('GIVEN features learnt in an earlier run THEN they apply, except those the operator declared', async () => {
		const fake = await start({ mode: 'newapi' });
		const { provider } = providerFor(fake, { features: { upload: true } });
		provider.learnt.apply({ concat: false, upload: false });
		expect(provider.capabilities).toMatchObject({ concat: false, upload: true });
	});

	it('GIVEN any generate or extend THEN mv is always sent (an empty one makes new-api pick its own default)', async () => {
		const fake = await start({ mode: 'newapi' });
		const { provider } = providerFor(fake);
		const take = await finishedTake(provider);
		await provider.extend({ source: take, continueAtSec: 5, model: 'v5' });
		expect(fake.requestsOf('music').map((r) => (r.body as { mv?: string }).mv)).toEqual([
			'chirp-bluejay',
			'chirp-crow',
		]);
	});
});

describe('new-api in front of sunoapi.org: upstream refusals as HTTP 500', () => {
	it.each([
		['credits', 'credits'],
		['rate_limited', 'rate_limited'],
		['auth', 'auth'],
		['maintenance', 'unavailable'],
	] as const)(
		'GIVEN the upstream’s %s code in a 500 body THEN %s, and the submit is not re-sent',
		async (fault, kind) => {
			const fake = await start({ mode: 'hybrid' });
			const { provider } = providerFor(fake);
			fake.inject(fault, { on: 'submit', times: 5 });
			const refusal = await rejectionOf(provider.generate({ mode: 'describe', description: 'x', model: 'v4' }));
			expect(refusal).toMatchObject({ kind, status: 500, retryable: false });
			expect(fake.requestsOf('music')).toHaveLength(1);
		},
	);

	it('GIVEN camelCase clip items THEN both spellings are read', async () => {
		const fake = await start({ mode: 'hybrid' });
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'x', model: 'v4' });
		const rows = (await pollToEnd(provider, taskId)).at(-1);
		expect(rows?.clips[0]).toMatchObject({ audioUrl: expect.stringMatching(/\.mp3$/), modelName: 'chirp-v3-5' });
	});
});
