import { UserError } from './errors.ts';

/** Atomic counters with expiry: the one storage primitive quotas need (SQLite or Redis underneath). */
export interface AtomicCounters {
	/** Adds `delta` to `key` atomically, creating it with a lifetime of `ttlMs` when absent; returns the new value. */
	add(key: string, delta: number, ttlMs: number): Promise<number>;
}

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
	/** Gives the generation back (the provider provably did not accept it). */
	refund(): Promise<void>;
}

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

function refusal(kind: Refusal, limits: QuotaLimits, now: number): UserError {
	switch (kind) {
		case 'cooldown':
			return new UserError(
				'quota.cooldown',
				`Slow down a little: one song every ${limits.cooldownSec} seconds per person. Try again shortly.`,
			);
		case 'user':
			return new UserError(
				'quota.user',
				`You have used all ${limits.userDaily} of your songs for today on this server. The limit resets at ${resetText(now)}.`,
			);
		case 'guild':
			return new UserError(
				'quota.guild',
				`This server has used all ${limits.guildDaily} songs for today. The limit resets at ${resetText(now)}.`,
			);
	}
}

/**
 * Cooldowns and daily limits, taken atomically before anything is sent to the provider, so a burst of clicks
 * (even across processes sharing Redis) can never spend more than the limits allow.
 */
export class Quotas {
	readonly #counters: AtomicCounters;
	readonly #now: () => number;

	constructor(counters: AtomicCounters, now: () => number = Date.now) {
		this.#counters = counters;
		this.#now = now;
	}

	/** Generations counted today for the user and the server, without taking any (for /songbot show). */
	async used(guildId: string, userId: string): Promise<{ user: number; guild: number }> {
		const { userKey, guildKey } = keysFor(guildId, userId, this.#now());
		// Adding 0 reads a counter through the one atomic primitive; an absent one is created at 0 and expires.
		const user = await this.#counters.add(userKey, 0, DAY_TTL);
		const guild = await this.#counters.add(guildKey, 0, DAY_TTL);
		return { user: Math.max(0, user), guild: Math.max(0, guild) };
	}

	/**
	 * Refuses early, before a person types a whole song into a form, when a limit is already reached. Takes
	 * nothing: `take` still decides atomically when the form is submitted.
	 */
	async precheck(guildId: string, userId: string, limits: QuotaLimits): Promise<void> {
		const now = this.#now();
		const { cooldownKey } = keysFor(guildId, userId, now);
		if (limits.cooldownSec > 0 && (await this.#counters.add(cooldownKey, 0, limits.cooldownSec * 1000)) > 0)
			throw refusal('cooldown', limits, now);
		const used = await this.used(guildId, userId);
		if (limits.userDaily > 0 && used.user >= limits.userDaily) throw refusal('user', limits, now);
		if (limits.guildDaily > 0 && used.guild >= limits.guildDaily) throw refusal('guild', limits, now);
	}

	async take(guildId: string, userId: string, limits: QuotaLimits): Promise<QuotaTicket> {
		const now = this.#now();
		const { userKey, guildKey, cooldownKey } = keysFor(guildId, userId, now);
		const dayTtl = DAY_TTL;
		// Everything taken so far, so a refusal or a refund gives all of it back.
		const taken: { key: string; ttl: number }[] = [];
		const giveBack = async (list: { key: string; ttl: number }[]) => {
			for (const { key, ttl } of list) await this.#counters.add(key, -1, ttl);
		};

		if (limits.cooldownSec > 0) {
			const ttl = limits.cooldownSec * 1000;
			const uses = await this.#counters.add(cooldownKey, 1, ttl);
			// A refused attempt leaves the counter above 1 until it expires: the cooldown runs from the last success.
			if (uses > 1) throw refusal('cooldown', limits, now);
			taken.push({ key: cooldownKey, ttl });
		}
		let userLeft: number | undefined;
		if (limits.userDaily > 0) {
			const used = await this.#counters.add(userKey, 1, dayTtl);
			taken.push({ key: userKey, ttl: dayTtl });
			if (used > limits.userDaily) {
				await giveBack(taken);
				throw refusal('user', limits, now);
			}
			userLeft = limits.userDaily - used;
		}
		let guildLeft: number | undefined;
		if (limits.guildDaily > 0) {
			const used = await this.#counters.add(guildKey, 1, dayTtl);
			taken.push({ key: guildKey, ttl: dayTtl });
			if (used > limits.guildDaily) {
				await giveBack(taken);
				throw refusal('guild', limits, now);
			}
			guildLeft = limits.guildDaily - used;
		}
		let refunded = false;
		return {
			...(userLeft !== undefined ? { userLeft } : {}),
			...(guildLeft !== undefined ? { guildLeft } : {}),
			refund: async () => {
				if (refunded) return;
				refunded = true;
				await giveBack(taken);
			},
		};
	}
}

/** Discord renders `<t:…:t>` in each reader's own time zone. */
function resetText(now: number): string {
	const midnight = quotaResetAt(now);
	return `<t:${Math.floor(midnight / 1000)}:t> (<t:${Math.floor(midnight / 1000)}:R>)`;
}

/** When today's daily counters reset: the next midnight UTC, as epoch ms. */
export function quotaResetAt(now: number): number {
	return Math.ceil((now + 1) / DAY_MS) * DAY_MS;
}
