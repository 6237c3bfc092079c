/**
 * Leases decide which process of the fleet looks after a task: polls it, applies its status and posts its
 * takes. A lease expires unless its holder renews it, so the tasks of a crashed process are taken over.
 */

/**
 * Where leases live. Implementations: Redis (src/store/redis-coordination.ts) for several processes, and
 * {@link createMemoryLeaseStore} for one process (and for tests of several trackers in one process).
 */
export interface LeaseStore {
	/** True when other processes may hold leases too: holders must then renew them and scan for orphans. */
	readonly shared: boolean;
	/** Takes `key` for `holder` for `ttlMs` when it is free; renews it when `holder` has it already. */
	acquire(key: string, holder: string, ttlMs: number): Promise<boolean>;
	/** Extends every key `holder` still has; answers per key whether it still has it. */
	renew(keys: readonly string[], holder: string, ttlMs: number): Promise<boolean[]>;
	/** Gives `key` up, only if `holder` has it (a late release never frees another holder's lease). */
	release(key: string, holder: string): Promise<void>;
	/** Who has each key now (undefined: free). */
	holders(keys: readonly string[]): Promise<(string | undefined)[]>;
}

/** Leases in this process's memory; `shared` pretends several holders exist (tests of take-over). */
export function createMemoryLeaseStore(options: { shared?: boolean; now?: () => number } = {}): LeaseStore {
	const now = options.now ?? Date.now;
	const leases = new Map<string, { holder: string; expiresAt: number }>();
	const current = (key: string) => {
		const lease = leases.get(key);
		return lease && lease.expiresAt > now() ? lease : undefined;
	};
	return {
		shared: options.shared ?? false,
		async acquire(key, holder, ttlMs) {
			const lease = current(key);
			if (lease && lease.holder !== holder) return false;
			leases.set(key, { holder, expiresAt: now() + ttlMs });
			return true;
		},
		async renew(keys, holder, ttlMs) {
			return keys.map((key) => {
				const lease = current(key);
				if (lease?.holder !== holder) return false;
				lease.expiresAt = now() + ttlMs;
				return true;
			});
		},
		async release(key, holder) {
			if (leases.get(key)?.holder === holder) leases.delete(key);
		},
		async holders(keys) {
			return keys.map((key) => current(key)?.holder);
		},
	};
}

export interface LeaseKeeperOptions {
	store: LeaseStore;
	/** This process's name in the lease store; unique per start, so a restarted process is a new holder. */
	holder: string;
	ttlMs: number;
	now: () => number;
	/** Leases found lost while renewing (another process may have taken them over). */
	onLost(keys: string[]): void;
	/** Renewal problems (the store did not answer); leases then lapse on their own. */
	onError(error: unknown): void;
}

/**
 * The leases this process holds, each with the moment it surely lapses by this process's own clock (measured
 * from before the request that took or renewed it). Work on a task is allowed only while that moment is
 * comfortably ahead, so a process that was paused or cut off from the store stops before another takes over.
 * With a store that is not shared, leases never lapse and nothing is renewed: one process, as before.
 */
export class LeaseKeeper {
	readonly #o: LeaseKeeperOptions;
	readonly #held = new Map<string, number>();
	#timer: ReturnType<typeof setInterval> | undefined;
	#renewing: Promise<void> | undefined;

	constructor(options: LeaseKeeperOptions) {
		this.#o = options;
	}

	get shared(): boolean {
		return this.#o.store.shared;
	}

	/** Keys held now. */
	get keys(): string[] {
		return [...this.#held.keys()].filter((key) => this.holds(key));
	}

	/** Takes the lease (or renews it when held); true when this process has it. */
	async acquire(key: string): Promise<boolean> {
		const started = this.#o.now();
		const ok = await this.#o.store.acquire(key, this.#o.holder, this.#o.ttlMs);
		if (ok) this.#held.set(key, this.#until(started));
		else if (this.#held.delete(key)) this.#o.onLost([key]);
		return ok;
	}

	/** True while the lease surely has at least a quarter of its time left (renewals keep it near full). */
	holds(key: string): boolean {
		const until = this.#held.get(key);
		return until !== undefined && until - this.#o.now() > this.#o.ttlMs / 4;
	}

	/** Renews one lease now; for the moment just before an effect that must not happen twice (a post). */
	async confirm(key: string): Promise<boolean> {
		if (!this.shared) return this.#held.has(key);
		if (!this.holds(key)) return false;
		return this.acquire(key);
	}

	async release(key: string): Promise<void> {
		if (!this.#held.delete(key)) return;
		await this.#o.store.release(key, this.#o.holder);
	}

	/** Renews every lease a third of the way through its time (shared stores only). */
	start(): void {
		if (!this.shared || this.#timer) return;
		this.#timer = setInterval(() => {
			this.#renewing ??= this.renewAll().finally(() => {
				this.#renewing = undefined;
			});
		}, this.#o.ttlMs / 3);
	}

	async renewAll(): Promise<void> {
		const keys = [...this.#held.keys()];
		if (keys.length === 0) return;
		const started = this.#o.now();
		const lost: string[] = [];
		try {
			const answers = await this.#o.store.renew(keys, this.#o.holder, this.#o.ttlMs);
			keys.forEach((key, i) => {
				if (!this.#held.has(key)) return;
				if (answers[i]) this.#held.set(key, this.#until(started));
				else lost.push(key);
			});
		} catch (error) {
			this.#o.onError(error);
			lost.push(...keys.filter((key) => (this.#held.get(key) ?? 0) <= this.#o.now()));
		}
		for (const key of lost) this.#held.delete(key);
		if (lost.length > 0) this.#o.onLost(lost);
	}

	/** Stops renewing and gives every lease back (an orderly shutdown hands tasks over at once). */
	async stop(): Promise<void> {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = undefined;
		await this.#renewing;
		const keys = [...this.#held.keys()];
		this.#held.clear();
		await Promise.all(keys.map((key) => this.#o.store.release(key, this.#o.holder).catch(this.#o.onError)));
	}

	#until(started: number): number {
		return this.shared ? started + this.#o.ttlMs : Number.POSITIVE_INFINITY;
	}
}
