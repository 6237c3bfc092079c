import type { LeaveReason } from './types.ts';

/** The three ways a player leaves by itself. */
export type LeaveTimer = 'end' | 'empty' | 'pause';

const REASON: Record<LeaveTimer, LeaveReason> = { end: 'queue_ended', empty: 'channel_empty', pause: 'pause_timeout' };

/**
 * A player's leave timers: the queue has ended, the channel has emptied, a pause nobody resumed. When one fires,
 * `beforeLeave` runs first, while the bot is still in the channel (the Discord layer clears the channel status
 * then: Discord asks more of a member outside the channel), and the player leaves only if nobody cancelled the
 * timer meanwhile (a Resume, a listener back, a new take).
 */
export class LeaveTimers {
	readonly #timers = new Map<LeaveTimer, NodeJS.Timeout>();
	/** Timers that fired and wait for `beforeLeave`. */
	readonly #due = new Set<LeaveTimer>();
	readonly #deadlines = new Map<LeaveTimer, number>();
	readonly #leave: (reason: LeaveReason) => void;
	readonly #beforeLeave: () => Promise<void>;

	constructor(leave: (reason: LeaveReason) => void, beforeLeave: () => Promise<void>) {
		this.#leave = leave;
		this.#beforeLeave = beforeLeave;
	}

	/** Starts the timer unless it runs already (or with `restart`, starts it over). */
	start(name: LeaveTimer, ms: number, options: { restart?: boolean } = {}): void {
		if (this.running(name) && !options.restart) return;
		this.cancel(name);
		this.#deadlines.set(name, Date.now() + ms);
		this.#timers.set(
			name,
			setTimeout(() => this.#fire(name), ms),
		);
	}

	cancel(name: LeaveTimer): void {
		clearTimeout(this.#timers.get(name));
		this.#timers.delete(name);
		this.#deadlines.delete(name);
		this.#due.delete(name);
	}

	cancelAll(): void {
		for (const name of ['end', 'empty', 'pause'] as const) this.cancel(name);
	}

	running(name: LeaveTimer): boolean {
		return this.#timers.has(name) || this.#due.has(name);
	}

	/** When the timer fires (epoch ms), while it runs. */
	deadline(name: LeaveTimer): number | undefined {
		return this.#deadlines.get(name);
	}

	#fire(name: LeaveTimer): void {
		this.#timers.delete(name);
		this.#due.add(name);
		void this.#beforeLeave()
			.catch(() => undefined)
			.then(() => {
				if (this.#due.delete(name)) this.#leave(REASON[name]);
			});
	}
}
