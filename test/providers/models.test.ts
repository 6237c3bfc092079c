import { afterEach, describe, expect, it } from 'vitest';
import { acceptedModels, resolveModel } from '../../src/core/provider.ts';
import { parseDeclaredModels } from '../../src/providers/index.ts';
import { type FakeFamily, type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { providerFor, rejectionOf } from './helpers.ts';

/** Models by friendly name, by the provider's own name, and declared by the operator before a release. */

const open: FakeProvider[] = [];
afterEach(async () => {
	for (const server of open.splice(0)) await server.close();
});
async function start(family: FakeFamily): Promise<FakeProvider> {
	const fake = await startFakeProvider({ family });
	open.push(fake);
	return fake;
}

function wireModelOf(fake: FakeProvider): unknown {
	const body = fake.requestsOf('submit').at(-1)?.body as { mv?: unknown; model?: unknown };
	return body.mv ?? body.model;
}

describe('model names', () => {
	it.each([
		['newapi', 'chirp-crow', 'v5', 'chirp-crow'],
		['newapi', 'CHIRP-BLUEJAY', 'v4.5+', 'chirp-bluejay'],
		['newapi', 'chirp-v5-5', 'v5.5', 'chirp-fenix'],
		['sunoapi', 'V4_5PLUS', 'v4.5+', 'V4_5PLUS'],
		['sunoapi', 'v5', 'v5', 'V5'],
		['v1music', 'suno-v5', 'v5', 'suno-v5'],
	] as const)(
		'GIVEN %s and SUNO_MODEL=%s THEN the default is %s and %s goes on the wire',
		async (family, name, friendly, wire) => {
			const fake = await start(family);
			const { provider } = providerFor(fake, { model: name });
			expect(provider.capabilities.defaultModel).toBe(friendly);
			await provider.generate({ mode: 'describe', description: 'x', model: provider.capabilities.defaultModel });
			expect(wireModelOf(fake)).toBe(wire);
		},
	);

	it('GIVEN SUNO_MODELS=v6=chirp-xyz THEN v6 is offered, sent as chirp-xyz, with the newest models’ limits', async () => {
		const fake = await start('newapi');
		const { provider } = providerFor(fake, { declaredModels: 'v6=chirp-xyz, v5=chirp-v5', model: 'v6' });
		const caps = provider.capabilities;
		expect(caps.models).toEqual(['v3.5', 'v4', 'v4.5', 'v4.5+', 'v4.5-all', 'v5', 'v5.5', 'v6']);
		expect(caps.defaultModel).toBe('v6');
		expect(resolveModel(caps, 'chirp-xyz')).toBe('v6');
		expect(provider.limits('v6')).toMatchObject({ title: 100, style: 1000, lyrics: 5000 });
		await provider.generate({ mode: 'describe', description: 'x', model: 'v6' });
		expect(wireModelOf(fake)).toBe('chirp-xyz');
		// A declared spelling of a released model replaces its wire name.
		await provider.generate({ mode: 'describe', description: 'x', model: 'v5' });
		expect(wireModelOf(fake)).toBe('chirp-v5');
	});

	it('GIVEN an unknown model THEN it is refused before anything is sent, listing what is accepted', async () => {
		const fake = await start('sunoapi');
		const refusal = await rejectionOf(Promise.resolve().then(() => providerFor(fake, { model: 'v9' })));
		expect(refusal).toMatchObject({ kind: 'invalid_input' });
		expect(refusal.userMessage).toMatch(
			/Unknown model "v9"\. This provider accepts: v4, v4\.5, v4\.5\+, v4\.5-all, v5, v5\.5 \(or the provider's own names: V4, V4_5, V4_5PLUS, V4_5ALL, V5, V5_5\)\.$/,
		);
		const { provider } = providerFor(fake);
		expect(resolveModel(provider.capabilities, 'chirp-crow')).toBeUndefined();
		expect(acceptedModels(provider.capabilities)).not.toContain('chirp');
		expect(fake.requests).toHaveLength(0);
	});

	it('GIVEN a malformed SUNO_MODELS THEN the entry is named', () => {
		expect(parseDeclaredModels(' v6 = chirp-xyz ,chirp-new ')).toEqual({ v6: 'chirp-xyz', 'chirp-new': 'chirp-new' });
		expect(() => parseDeclaredModels('v6=a=b')).toThrow(/"v6=a=b" is not name=provider-model/);
		expect(() => parseDeclaredModels('v 6=x')).toThrow(/not name=provider-model/);
	});
});
