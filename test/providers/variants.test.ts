import { afterEach, describe, expect, it } from 'vitest';
import { createProvider, detectVariant } from '../../src/providers/index.ts';
import { type FakeProvider, type SunoApiMode, startFakeProvider } from '../doubles/providers/index.ts';
import { providerFor, rejectionOf } from './helpers.ts';

/** Family B: sunoapi.org, kie.ai and api.box share one schema, each with its own body codes (issue 14). */

const open: FakeProvider[] = [];
afterEach(async () => {
	for (const server of open.splice(0)) await server.close();
});
async function start(mode: SunoApiMode): Promise<FakeProvider> {
	const fake = await startFakeProvider({ family: 'sunoapi', mode });
	open.push(fake);
	return fake;
}

const describeSong = { mode: 'describe', description: 'a song', model: 'v4.5+' } as const;

describe('family B variants', () => {
	it('GIVEN a base URL THEN kie.ai and api.box are recognised, anything else is sunoapi.org; other families have none', () => {
		expect(detectVariant('sunoapi', new URL('https://api.kie.ai'))).toBe('kie');
		expect(detectVariant('sunoapi', new URL('https://api.box/'))).toBe('apibox');
		expect(detectVariant('sunoapi', new URL('https://api.sunoapi.org'))).toBe('sunoapi');
		expect(detectVariant('sunoapi', new URL('http://127.0.0.1:8080'))).toBe('sunoapi');
		expect(detectVariant('newapi', new URL('https://api.kie.ai'))).toBeUndefined();
		const kie = createProvider({ family: 'sunoapi', baseUrl: 'https://api.kie.ai', apiKey: 'k' });
		const declared = createProvider({
			family: 'sunoapi',
			baseUrl: 'https://api.kie.ai',
			apiKey: 'k',
			variant: 'apibox',
		});
		expect([kie.variant, declared.variant]).toEqual(['kie.ai', 'api.box']);
	});

	it('GIVEN kie.ai THEN 402 is out of credits and 429 is a rate limit (retried), each with its own words', async () => {
		const fake = await start('kie');
		const { provider } = providerFor(fake, { variant: 'kie' });
		fake.setCredits(0);
		const credits = await rejectionOf(provider.generate(describeSong));
		expect(credits).toMatchObject({ kind: 'credits', code: 402 });
		expect(credits.userMessage).toMatch(/out of credits/);
		fake.setCredits(1000);
		fake.inject('rate_limited', { on: 'submit' });
		await provider.generate(describeSong);
		// The refusal for credits was not re-sent; the rate-limited one was, and then accepted.
		expect(fake.requestsOf('generate').map((r) => r.fault ?? 'answered')).toEqual([
			'answered',
			'rate_limited',
			'answered',
		]);
		expect(fake.tasks.size).toBe(1);
	});

	it.each(['sunoapi', 'apibox'] as const)(
		'GIVEN %s THEN body 429 is out of credits (not retried), 430 too often, 455 maintenance',
		async (mode) => {
			const fake = await start(mode);
			const { provider } = providerFor(fake, { variant: mode, retry: { submits: 0 } });
			fake.inject({ on: 'submit', status: 200, body: { code: 429, msg: 'Insufficient balance', data: null } });
			expect(await rejectionOf(provider.generate(describeSong))).toMatchObject({ kind: 'credits', code: 429 });
			fake.inject({
				on: 'submit',
				status: 200,
				body: { code: 430, msg: 'Your call frequency is too high', data: null },
			});
			expect(await rejectionOf(provider.generate(describeSong))).toMatchObject({ kind: 'rate_limited', code: 430 });
			fake.inject('maintenance', { on: 'submit' });
			const maintenance = await rejectionOf(provider.generate(describeSong));
			expect(maintenance).toMatchObject({ kind: 'unavailable', code: 455 });
			expect(maintenance.userMessage).toMatch(/under maintenance/);
		},
	);

	it('GIVEN kie.ai with an unlabelled body 429 THEN a rate limit; on sunoapi.org the same answer is out of credits', async () => {
		const answer = { on: 'submit', status: 200, body: { code: 429, msg: 'error', data: null } } as const;
		const kie = await start('kie');
		const suno = await start('sunoapi');
		kie.inject(answer);
		suno.inject(answer);
		const onKie = providerFor(kie, { variant: 'kie', retry: { submits: 0 } }).provider;
		const onSuno = providerFor(suno, { variant: 'sunoapi', retry: { submits: 0 } }).provider;
		expect(await rejectionOf(onKie.generate(describeSong))).toMatchObject({ kind: 'rate_limited' });
		expect(await rejectionOf(onSuno.generate(describeSong))).toMatchObject({ kind: 'credits' });
	});

	it('GIVEN kie.ai, which refuses a request without callBackUrl (422), THEN a polling bot still sends one', async () => {
		const fake = await start('kie');
		const { provider } = providerFor(fake, { variant: 'kie' });
		await provider.generate(describeSong);
		await provider.lyrics('summer rain');
		expect(fake.requestsOf('submit').map((r) => (r.body as { callBackUrl?: string }).callBackUrl)).toEqual([
			expect.stringMatching(/^https:\/\//),
			expect.stringMatching(/^https:\/\//),
		]);
		fake.inject({ on: 'submit', status: 200, body: { code: 422, msg: 'Please enter callBackUrl', data: null } });
		const refusal = await rejectionOf(provider.generate(describeSong));
		expect(refusal).toMatchObject({ kind: 'invalid_input' });
		expect(refusal.userMessage).toMatch(/Please enter callBackUrl/);
	});

	it.each([
		['v4', { title: 80, style: 200, lyrics: 3000 }],
		['v4.5', { title: 100, style: 1000, lyrics: 5000 }],
		['v4.5+', { title: 100, style: 1000, lyrics: 5000 }],
		['v4.5-all', { title: 80, style: 1000, lyrics: 5000 }],
		['v5', { title: 100, style: 1000, lyrics: 5000 }],
		['v5.5', { title: 100, style: 1000, lyrics: 5000 }],
	] as const)(
		'GIVEN model %s THEN its documented limits hold and one more character is refused before sending',
		async (model, max) => {
			const fake = await start('kie');
			const { provider } = providerFor(fake, { variant: 'kie' });
			const custom = (over: Partial<Record<'title' | 'style' | 'lyrics', number>>) => ({
				mode: 'custom' as const,
				model,
				title: 't'.repeat(over.title ?? 5),
				style: 's'.repeat(over.style ?? 5),
				lyrics: 'l'.repeat(over.lyrics ?? 5),
			});
			await provider.generate(custom(max));
			for (const field of ['title', 'style', 'lyrics'] as const) {
				const refusal = await rejectionOf(provider.generate(custom({ [field]: max[field] + 1 })));
				expect(refusal).toMatchObject({ kind: 'invalid_input' });
				expect(refusal.userMessage).toContain(`at most ${max[field]}`);
			}
			expect(fake.requestsOf('generate')).toHaveLength(1);
		},
	);
});
