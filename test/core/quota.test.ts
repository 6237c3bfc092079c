import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { Quotas, type QuotaStore } from '../../src/core/quota.ts';

/**
 * In-memory counters and claims with expiry on a fake clock; the SQLite and Redis stores run the same quotas in
 * test/core/quota-engines.test.ts.
 */
function memoryCounters(now: () => number): QuotaStore {
	const values = new Map<string, { value: number; expiresAt: number }>();
	const claims = new Map<string, { value: string; expiresAt: number }>();
	const live = (key: string) => {
		const claim = claims.get(key);
		return claim && claim.expiresAt > now() ? claim : undefined;
	};
	return {
		async claimFor(key, value, ttlMs) {
			const current = live(key);
			if (current) return { held: false, value: current.value };
			claims.set(key, { value, expiresAt: now() + ttlMs });
			return { held: true, value };
		},
		async peekClaim(key) {
			return live(key)?.value;
		},
		async dropClaim(key, value) {
			if (claims.get(key)?.value === value) claims.delete(key);
		},
		async add(key, delta, ttlMs) {
			const current = values.get(key);
			const live = current && current.expiresAt > now() ? current : { value: 0, expiresAt: now() + ttlMs };
			live.value += delta;
			values.set(key, live);
			return live.value;
		},
		async readCounter(key) {
			const current = values.get(key);
			return current && current.expiresAt > now() ? { value: current.value } : undefined;
		},
	};
}

function setup(start = Date.UTC(2026, 10, 22, 12)) {
	let t = start;
	const now = () => t;
	const quotas = new Quotas(memoryCounters(now), now);
	return { quotas, advance: (ms: number) => (t += ms) };
}

async function refusal(p: Promise<unknown>): Promise<UserError> {
	try {
		await p;
	} catch (error) {
		if (error instanceof UserError) return error;
		throw error;
	}
	throw new Error('expected a refusal');
}

describe('Quotas', () => {
	const limits = { cooldownSec: 30, userDaily: 2, guildDaily: 3 };

	it('GIVEN a fresh day THEN takes a generation and reports what is left', async () => {
		const { quotas } = setup();
		const ticket = await quotas.take('g', 'u', limits);
		expect(ticket.userLeft).toBe(1);
		expect(ticket.guildLeft).toBe(2);
	});

	it('GIVEN a second request within the cooldown THEN refuses with a clear message', async () => {
		const { quotas, advance } = setup();
		await quotas.take('g', 'u', limits);
		advance(10_000);
		const error = await refusal(quotas.take('g', 'u', limits));
		expect(error.id).toBe('quota.cooldown');
		expect(error.message).toContain('30 seconds');
		// When it ends, as data for the Discord layer to show as a timestamp; the core's own text has no markup.
		expect(error.params.until).toBe(Date.UTC(2026, 10, 22, 12) + 30_000);
		expect(error.message).toContain('Try again at 2026-11-22 12:00:30 UTC');
		expect(error.message).not.toContain('<t:');
		expect((await refusal(quotas.precheck('g', 'u', limits))).params.until).toBe(Date.UTC(2026, 10, 22, 12) + 30_000);
		advance(21_000);
		await expect(quotas.take('g', 'u', limits)).resolves.toMatchObject({ userLeft: 0 });
	});

	it('GIVEN the user limit is used up THEN refuses until the next UTC day without spending the server quota', async () => {
		const { quotas, advance } = setup();
		await quotas.take('g', 'u', limits);
		advance(31_000);
		await quotas.take('g', 'u', limits);
		advance(31_000);
		const refused = await refusal(quotas.take('g', 'u', limits));
		expect(refused.id).toBe('quota.user');
		// The reset as data (the next midnight UTC) for the Discord layer; the core's own words carry no markup.
		expect(refused.params.resetAt).toBe(Date.UTC(2026, 10, 23));
		expect(refused.message).toBe(
			'You have used all 2 of your songs for today on this server. The limit resets at 00:00 UTC (at 2026-11-23 00:00:00 UTC).',
		);
		// The refused attempt did not count against the server: another user still gets the last one.
		await expect(quotas.take('g', 'other', limits)).resolves.toMatchObject({ guildLeft: 0 });
		advance(12 * 3_600_000);
		await expect(quotas.take('g', 'u', limits)).resolves.toMatchObject({ userLeft: 1 });
	});

	it('GIVEN the server limit is used up THEN refuses everyone and gives the user their count back', async () => {
		const { quotas } = setup();
		const wide = { cooldownSec: 0, userDaily: 5, guildDaily: 2 };
		await quotas.take('g', 'a', wide);
		await quotas.take('g', 'b', wide);
		expect((await refusal(quotas.take('g', 'c', wide))).id).toBe('quota.guild');
		const again = await quotas.take('g2', 'c', wide);
		expect(again.userLeft).toBe(4);
	});

	it('GIVEN a refund THEN the generation is given back once', async () => {
		const { quotas } = setup();
		const ticket = await quotas.take('g', 'u', limits);
		await ticket.refund();
		await ticket.refund();
		const next = await quotas.take('g', 'u', limits);
		expect(next.userLeft).toBe(1);
		expect(next.guildLeft).toBe(2);
	});

	it('GIVEN unlimited settings THEN nothing is counted or shown', async () => {
		const { quotas } = setup();
		const ticket = await quotas.take('g', 'u', { cooldownSec: 0, userDaily: 0, guildDaily: 0 });
		expect(ticket.userLeft).toBeUndefined();
		expect(ticket.guildLeft).toBeUndefined();
	});

	it('GIVEN a concurrent burst THEN never grants more than the limit', async () => {
		const { quotas } = setup();
		const burst = await Promise.allSettled(
			Array.from({ length: 20 }, (_, i) => quotas.take('g', `u${i}`, { cooldownSec: 0, userDaily: 5, guildDaily: 7 })),
		);
		expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
	});
});

describe('Quotas after a daily refusal', () => {
	it('GIVEN a refusal by the daily limit THEN the cooldown is not spent either', async () => {
		const { quotas, advance } = setup();
		const limits = { cooldownSec: 30, userDaily: 1, guildDaily: 0 };
		await quotas.take('g', 'u', limits);
		advance(31_000);
		expect((await refusal(quotas.take('g', 'u', limits))).id).toBe('quota.user');
		// Asking again at once is still refused for the daily limit, not told to slow down for the refused attempt.
		expect((await refusal(quotas.take('g', 'u', limits))).id).toBe('quota.user');
	});
});

describe('Quotas.precheck', () => {
	const limits = { cooldownSec: 30, userDaily: 1, guildDaily: 5 };

	it('GIVEN limits not reached THEN passes and takes nothing', async () => {
		const { quotas } = setup();
		await quotas.precheck('g', 'u', limits);
		await quotas.precheck('g', 'u', limits);
		await expect(quotas.take('g', 'u', limits)).resolves.toMatchObject({ userLeft: 0, guildLeft: 4 });
	});

	it('GIVEN forms opened well before the submit THEN the cooldown runs from the submit, not from the form', async () => {
		const { quotas, advance } = setup();
		const wide = { cooldownSec: 30, userDaily: 5, guildDaily: 5 };
		await quotas.precheck('g', 'u', wide);
		advance(25_000);
		await quotas.precheck('g', 'u', wide);
		await quotas.take('g', 'u', wide);
		// 35 s after the first form, 10 s after the submit: still within the submit's 30 s.
		advance(10_000);
		expect((await refusal(quotas.precheck('g', 'u', wide))).id).toBe('quota.cooldown');
		expect((await refusal(quotas.take('g', 'u', wide))).id).toBe('quota.cooldown');
		advance(21_000);
		await expect(quotas.take('g', 'u', wide)).resolves.toMatchObject({ userLeft: 3 });
	});

	it('GIVEN a song refunded after its submit THEN the cooldown is gone with it, and the next window is whole', async () => {
		const { quotas, advance } = setup();
		const wide = { cooldownSec: 30, userDaily: 5, guildDaily: 5 };
		const ticket = await quotas.take('g', 'u', wide);
		await ticket.refund();
		advance(20_000);
		await quotas.take('g', 'u', wide);
		// 29 s after this submit (49 s after the refunded one): still refused.
		advance(29_000);
		expect((await refusal(quotas.take('g', 'u', wide))).id).toBe('quota.cooldown');
	});

	it('GIVEN a running cooldown or a used-up day THEN refuses before the form', async () => {
		const { quotas, advance } = setup();
		await quotas.take('g', 'u', limits);
		expect((await refusal(quotas.precheck('g', 'u', limits))).id).toBe('quota.cooldown');
		advance(31_000);
		expect((await refusal(quotas.precheck('g', 'u', limits))).id).toBe('quota.user');
		await quotas.precheck('g', 'other', limits);
	});
});
