import { randomUUID } from 'node:crypto';
import type { Charge } from './costs.ts';
import type { QuotaCharge } from './records.ts';
import type { ClaimStore } from './dedupe.ts';
import { msg } from '../i18n/index.ts';
import { UserError } from './errors.ts';

/** Atomic counters with expiry: the one storage primitive quotas need (SQLite or Redis underneath). */
export interface AtomicCounters {
	/** Adds `delta` to `key` atomically, creating it with a lifetime of `ttlMs` when absent; returns the new value. */
	add(key: string, delta: number, ttlMs: number): Promise<number>;
	/** The counter as it is, or undefined when absent or expired; never creates or extends it. */
	readCounter(key: string): Promise<{ value: number } | undefined>;
}

/**
 * What quotas are kept in: counters for the daily limits, and a claim for the cooldown (a window that starts
 * when a song is submitted and that a refund removes outright, so no later window is ever shortened).
 */
export interface QuotaStore extends AtomicCounters, Pick<ClaimStore, 'claimFor' | 'peekClaim' | 'dropClaim'> {}

export interface QuotaLimits {
	/** Seconds between two generations of one user in one server (0 = none). */
	cooldownSec: number;
	/** Generations per user per server per UTC day (0 = unlimited). */
	userDaily: number;
	/** Generations per server per UTC day (0 = unlimited). */
	guildDaily: number;
}

export interface QuotaTicket {
	/** What is left after this generation; undefined when unlimited. */
	userLeft?: number;
	guildLeft?: number;
	/** What this call took from the daily limits (0 when free). */
	cost: number;
	/** What was taken, to keep on the task record for a later refund; absent when nothing was. */
	charge?: QuotaCharge;
	/** Gives the generation back (the provider provably did not accept it). */
	refund(): Promise<void>;
}

/** A song: one unit, held back by the cooldown. */
export const SONG: Charge = { cost: 1, cooldown: true, label: 'song', keys: ['song'] };

const DAY_MS = 86_400_000;
/** Counters live a little over a day so a key never expires while its day is still running. */
const DAY_TTL = DAY_MS + 3_600_000;

function keysFor(guildId: string, userId: string, now: number) {
	const day = new Date(now).toISOString().slice(0, 10);
	return {
		userKey: `quota:user:${guildId}:${userId}:${day}`,
		guildKey: `quota:guild:${guildId}:${day}`,
		cooldownKey: `quota:cooldown:${guildId}:${userId}`,
	};
}

type Refusal = 'cooldown' | 'user' | 'guild';

function refusal(
	kind: Refusal,
	limits: QuotaLimits,
	now: number,
	charge: Charge,
	used: number,
	until?: number,
): UserError {
	// A catalog message with data: `resetAt` and `until` become times each front end shows its own way.
	const resetAt = quotaResetAt(now);
	// The paid calls by cost key ("extend+lyrics"), named in the reader's language; else the label as it is.
	const what = charge.keys?.join('+') ?? charge.label;
	switch (kind) {
		case 'cooldown': {
			const cooldownSec = limits.cooldownSec;
			// `until` is 0 for a window an older version started without recording its end: say nothing precise then.
			return new UserError(
				'quota.cooldown',
				until ? msg('error.quota.cooldown', { cooldownSec, until }) : msg('error.quota.cooldown_soon', { cooldownSec }),
			);
		}
		case 'user': {
			const left = Math.max(0, limits.userDaily - used);
			const limit = limits.userDaily;
			return new UserError(
				'quota.user',
				left === 0
					? msg('error.quota.user_spent', { limit, resetAt })
					: msg('error.quota.user_short', { cost: charge.cost, what, left, limit, resetAt }),
			);
		}
		case 'guild': {
			const left = Math.max(0, limits.guildDaily - used);
			const limit = limits.guildDaily;
			return new UserError(
				'quota.guild',
				left === 0
					? msg('error.quota.guild_spent', { limit, resetAt })
					: msg('error.quota.guild_short', { cost: charge.cost, what, left, limit, resetAt }),
			);
		}
	}
}

/**
 * Cooldowns and daily limits, taken atomically before anything is sent to the provider, so a burst of clicks
 * (even across processes sharing Redis) can never spend more than the limits allow. Each call costs what its
 * `Charge` says (a server can make lyrics free, or an extension cost two).
 */
export class Quotas {
	readonly #counters: QuotaStore;
	readonly #now: () => number;

	constructor(counters: QuotaStore, now: () => number = Date.now) {
		this.#counters = counters;
		this.#now = now;
	}

	/** Generations counted today for the user and the server, without taking any (for /songbot show). */
	async used(guildId: string, userId: string): Promise<{ user: number; guild: number }> {
		const { userKey, guildKey } = keysFor(guildId, userId, this.#now());
		// A true read: asking must never create a counter or move its window.
		const user = (await this.#counters.readCounter(userKey))?.value ?? 0;
		const guild = (await this.#counters.readCounter(guildKey))?.value ?? 0;
		return { user: Math.max(0, user), guild: Math.max(0, guild) };
	}

	/**
	 * When the person's cooldown ends (epoch ms), undefined when none runs, or 0 when one runs whose end an older
	 * version did not record.
	 */
	async cooldownEndsAt(guildId: string, userId: string): Promise<number | undefined> {
		const { cooldownKey } = keysFor(guildId, userId, this.#now());
		const token = await this.#counters.peekClaim(cooldownKey);
		return token === undefined ? undefined : windowEnd(token);
	}

	/**
	 * Refuses early, before a person types a whole song into a form, when a limit is already reached. Takes
	 * nothing and starts nothing (only reads): `take` still decides atomically when the form is submitted, and
	 * the cooldown runs from that submit.
	 */
	async precheck(guildId: string, userId: string, limits: QuotaLimits, charge: Charge = SONG): Promise<void> {
		if (charge.cost <= 0) return;
		const now = this.#now();
		const { cooldownKey } = keysFor(guildId, userId, now);
		const running = charge.cooldown && limits.cooldownSec > 0 ? await this.#counters.peekClaim(cooldownKey) : undefined;
		if (running !== undefined) throw refusal('cooldown', limits, now, charge, 0, windowEnd(running));
		const used = await this.used(guildId, userId);
		if (limits.userDaily > 0 && used.user + charge.cost > limits.userDaily)
			throw refusal('user', limits, now, charge, used.user);
		if (limits.guildDaily > 0 && used.guild + charge.cost > limits.guildDaily)
			throw refusal('guild', limits, now, charge, used.guild);
	}

	async take(guildId: string, userId: string, limits: QuotaLimits, charge: Charge = SONG): Promise<QuotaTicket> {
		if (charge.cost <= 0) return { cost: 0, refund: async () => {} };
		const now = this.#now();
		const { userKey, guildKey, cooldownKey } = keysFor(guildId, userId, now);
		const dayTtl = DAY_TTL;
		const cost = charge.cost;
		// Everything taken so far, so a refusal or a refund gives all of it back.
		const taken: { key: string; by: number; ttl: number }[] = [];
		let cooldown: string | undefined;
		const giveBack = async (list: { key: string; by: number; ttl: number }[]) => {
			for (const { key, by, ttl } of list) await this.#counters.add(key, -by, ttl);
			if (cooldown !== undefined) await this.#counters.dropClaim(cooldownKey, cooldown);
		};

		if (charge.cooldown && limits.cooldownSec > 0) {
			// The window starts here, at the submit; a refused attempt leaves the running window as it is.
			// The end of the window is in the token, so `cooldownEndsAt` can tell people when they may go again.
			const token = `${now + limits.cooldownSec * 1000}:${randomUUID()}`;
			const { held, value } = await this.#counters.claimFor(cooldownKey, token, limits.cooldownSec * 1000);
			if (!held) throw refusal('cooldown', limits, now, charge, 0, windowEnd(value));
			cooldown = token;
		}
		let userLeft: number | undefined;
		if (limits.userDaily > 0) {
			const used = await this.#counters.add(userKey, cost, dayTtl);
			taken.push({ key: userKey, by: cost, ttl: dayTtl });
			if (used > limits.userDaily) {
				await giveBack(taken);
				throw refusal('user', limits, now, charge, used - cost);
			}
			userLeft = limits.userDaily - used;
		}
		let guildLeft: number | undefined;
		if (limits.guildDaily > 0) {
			const used = await this.#counters.add(guildKey, cost, dayTtl);
			taken.push({ key: guildKey, by: cost, ttl: dayTtl });
			if (used > limits.guildDaily) {
				await giveBack(taken);
				throw refusal('guild', limits, now, charge, used - cost);
			}
			guildLeft = limits.guildDaily - used;
		}
		let refunded = false;
		const saved: QuotaCharge = {
			guildId,
			userId,
			cost,
			counters: taken.map(({ key, by, ttl }) => ({ key, by, ttlMs: ttl })),
			...(cooldown !== undefined ? { cooldown: { key: cooldownKey, token: cooldown } } : {}),
		};
		return {
			...(userLeft !== undefined ? { userLeft } : {}),
			...(guildLeft !== undefined ? { guildLeft } : {}),
			cost,
			charge: saved,
			refund: async () => {
				if (refunded) return;
				refunded = true;
				await giveBack(taken);
			},
		};
	}

	/**
	 * Gives a saved charge back to the daily counters (those of the day it was taken, so a refund after midnight
	 * never adds to the new day). The cooldown stays: it paces requests, and a failed song was still a request.
	 * The caller makes it happen once (QuotaCharge.refundedAt, saved first).
	 */
	async giveBack(charge: QuotaCharge): Promise<void> {
		for (const { key, by, ttlMs } of charge.counters) await this.#counters.add(key, -by, ttlMs);
	}
}

/** The end of a cooldown window from its claim token (epoch ms), or 0 when an older version did not record it. */
function windowEnd(token: string): number {
	const end = Number(token.split(':')[0]);
	return Number.isFinite(end) && end > 0 ? end : 0;
}

/** When today's daily counters reset: the next midnight UTC, as epoch ms. */
export function quotaResetAt(now: number): number {
	return Math.ceil((now + 1) / DAY_MS) * DAY_MS;
}
