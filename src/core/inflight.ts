import { UserError } from './errors.ts';
import { KeyedMutex } from './lock.ts';
import type { TaskRecord, TrackerPlace } from './records.ts';

/** The store index the caps read: unsettled songs (not lyrics) of a server, or of one person in it, oldest first. */
export interface RunningTasks {
	listRunning(guildId: string, userId?: string, limit?: number): Promise<TaskRecord[]>;
}

export interface InFlightCaps {
	/** Unfinished songs one person may have in one server (0 = no cap). */
	user: number;
	/** Unfinished songs a server may have (0 = no cap). */
	guild: number;
}

/** A cap was reached: how many are running and where the oldest one's tracker message is. */
export class InFlightRefusal extends UserError {
	readonly scope: 'user' | 'guild';
	readonly running: number;
	readonly limit: number;
	readonly oldest?: TrackerPlace;

	constructor(scope: 'user' | 'guild', running: number, limit: number, oldest?: TrackerPlace) {
		super(
			`quota.running.${scope}`,
			scope === 'user'
				? `You already have ${running} songs being made (at most ${limit} at a time). Try again when one is done.`
				: `This server already has ${running} songs being made (at most ${limit} at a time). Try again when one is done.`,
		);
		this.scope = scope;
		this.running = running;
		this.limit = limit;
		if (oldest) this.oldest = oldest;
	}
}

export interface InFlightSlot {
	/**
	 * The tracker message of the song this slot is for: once its task is saved (and so in the index) the slot
	 * is recognised there and not counted twice.
	 */
	shownAt(messageId: string): void;
	/** The task is saved (and so in the index) or was never made: the slot is no longer needed. */
	release(): void;
}

interface Reservation {
	messageId?: string;
}

/**
 * Caps on unfinished songs per person and per server. The count is the store's index plus the starts this
 * process has admitted but not yet saved, checked and reserved under one lock per server: a server's
 * interactions all reach the process that runs its shard, so two presses at once cannot both take the last slot.
 */
export class InFlight {
	readonly #store: RunningTasks;
	readonly #locks = new KeyedMutex();
	readonly #pending = new Map<string, Set<Reservation>>();

	constructor(store: RunningTasks) {
		this.#store = store;
	}

	/** Refuses when a cap is reached; reserves nothing (before a form opens). */
	async check(guildId: string, userId: string, caps: InFlightCaps): Promise<void> {
		await this.#refuseIfFull(guildId, userId, caps);
	}

	/** Refuses when a cap is reached, else holds a slot until the task is saved or the start failed. */
	reserve(guildId: string, userId: string, caps: InFlightCaps): Promise<InFlightSlot> {
		return this.#locks.run(guildId, async () => {
			await this.#refuseIfFull(guildId, userId, caps);
			const keys = [guildId, `${guildId}:${userId}`];
			const reservation: Reservation = {};
			for (const key of keys) {
				const set = this.#pending.get(key) ?? new Set<Reservation>();
				set.add(reservation);
				this.#pending.set(key, set);
			}
			return {
				shownAt: (messageId) => {
					reservation.messageId = messageId;
				},
				release: () => {
					for (const key of keys) {
						const set = this.#pending.get(key);
						set?.delete(reservation);
						if (set?.size === 0) this.#pending.delete(key);
					}
				},
			};
		});
	}

	async #refuseIfFull(guildId: string, userId: string, caps: InFlightCaps): Promise<void> {
		const scopes = [
			{ scope: 'user' as const, limit: caps.user, who: userId, pending: `${guildId}:${userId}` },
			{ scope: 'guild' as const, limit: caps.guild, who: undefined, pending: guildId },
		];
		for (const { scope, limit, who, pending } of scopes) {
			if (limit <= 0) continue;
			const running = await this.#store.listRunning(guildId, who, limit + 20);
			const saved = new Set(running.map((r) => r.place.messageId));
			const unsaved = [...(this.#pending.get(pending) ?? [])].filter((r) => !r.messageId || !saved.has(r.messageId));
			const count = running.length + unsaved.length;
			if (count >= limit) throw new InFlightRefusal(scope, count, limit, running[0]?.place);
		}
	}
}
