import { describe, expect, it } from 'vitest';
import { chargeFor, DEFAULT_COSTS } from '../../src/core/costs.ts';
import { UserError } from '../../src/core/errors.ts';
import { Quotas } from '../../src/core/quota.ts';
import { moneyEngines } from './money-engines.ts';

const engines = moneyEngines();

async function refusalId(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof UserError) return error.id;
		throw error;
	}
	throw new Error('expected a refusal');
}

describe.each(engines.names)('Quotas on %s', (engine) => {
	it('GIVEN the limits are checked before a form THEN no counter is created, so the cooldown starts at the submit', async () => {
		const store = await engines.open(engine);
		const quotas = new Quotas(store);
		const limits = { cooldownSec: 60, userDaily: 5, guildDaily: 50 };
		await quotas.precheck('g', 'u', limits);
		await quotas.precheck('g', 'u', limits);
		expect(await store.peekClaim('quota:cooldown:g:u')).toBeUndefined();
		await quotas.take('g', 'u', limits);
		expect(await store.peekClaim('quota:cooldown:g:u')).toBeDefined();
		expect(await refusalId(quotas.precheck('g', 'u', limits))).toBe('quota.cooldown');
		expect(await quotas.used('g', 'u')).toEqual({ user: 1, guild: 1 });
	});

	it('GIVEN a song refunded (the provider provably did not take it) THEN its cooldown window and counts are gone', async () => {
		const store = await engines.open(engine);
		const quotas = new Quotas(store);
		const limits = { cooldownSec: 600, userDaily: 5, guildDaily: 50 };
		const ticket = await quotas.take('g', 'u', limits);
		await ticket.refund();
		expect(await store.peekClaim('quota:cooldown:g:u')).toBeUndefined();
		expect(await quotas.used('g', 'u')).toEqual({ user: 0, guild: 0 });
		await quotas.take('g', 'u', limits);
		expect(await refusalId(quotas.take('g', 'u', limits))).toBe('quota.cooldown');
	});

	it('GIVEN a cost of 2 and one song left THEN the call is refused and nothing is spent', async () => {
		const store = await engines.open(engine);
		const quotas = new Quotas(store);
		const limits = { cooldownSec: 0, userDaily: 3, guildDaily: 50 };
		const costly = chargeFor('extend', { ...DEFAULT_COSTS, extend: 2 });
		await quotas.take('g', 'u', limits, costly);
		expect(await refusalId(quotas.precheck('g', 'u', limits, costly))).toBe('quota.user');
		await expect(quotas.precheck('g', 'u', limits, costly)).rejects.toThrow(
			'This needs 2 of your daily songs (extension), and you have 1 of your 3 left today.',
		);
		expect(await refusalId(quotas.take('g', 'u', limits, costly))).toBe('quota.user');
		expect(await quotas.used('g', 'u')).toEqual({ user: 2, guild: 2 });
		await expect(quotas.take('g', 'u', limits)).resolves.toMatchObject({ userLeft: 0, cost: 1 });
	});

	it('GIVEN lyrics cost 0 THEN they are free: allowed past a used-up day, counted nowhere, no cooldown', async () => {
		const store = await engines.open(engine);
		const quotas = new Quotas(store);
		const limits = { cooldownSec: 60, userDaily: 1, guildDaily: 1 };
		await quotas.take('g', 'u', limits, chargeFor('lyrics', DEFAULT_COSTS));
		expect(await refusalId(quotas.take('g', 'u', limits, chargeFor('lyrics', DEFAULT_COSTS)))).toBe('quota.user');
		const free = chargeFor('lyrics', { ...DEFAULT_COSTS, lyrics: 0 });
		await quotas.precheck('g', 'u', limits, free);
		await expect(quotas.take('g', 'u', limits, free)).resolves.toMatchObject({ cost: 0 });
		expect(await quotas.used('g', 'u')).toEqual({ user: 1, guild: 1 });
		// Lyrics never start the song cooldown.
		expect(await store.peekClaim('quota:cooldown:g:u')).toBeUndefined();
	});

	it('GIVEN a burst of costly calls THEN the server never spends more than its limit', async () => {
		const store = await engines.open(engine);
		const quotas = new Quotas(store);
		const charge = chargeFor('full', { ...DEFAULT_COSTS, full: 3 });
		const burst = await Promise.allSettled(
			Array.from({ length: 8 }, (_, i) =>
				quotas.take('g', `u${i}`, { cooldownSec: 0, userDaily: 10, guildDaily: 10 }, charge),
			),
		);
		expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
		expect((await quotas.used('g', 'u0')).guild).toBeLessThanOrEqual(10);
	});
});
