import { UserError } from '../core/errors.ts';
import type { LoopMode, QueueEntry, Take, TrackEndReason } from './types.ts';
import { msg } from '../i18n/index.ts';

/**
 * The takes waiting in one guild's player, with the controls listeners expect of a queue: a cap, removing an
 * entry, shuffling and looping. The entry playing is not in here; the player hands it back through `ended`.
 */
export class PlayQueue {
	readonly max: number;
	loop: LoopMode = 'off';
	readonly #entries: QueueEntry[] = [];
	readonly #random: () => number;
	#nextKey = 1;

	constructor(max: number, random: () => number = Math.random) {
		this.max = max;
		this.#random = random;
	}

	get length(): number {
		return this.#entries.length;
	}

	get entries(): readonly QueueEntry[] {
		return this.#entries;
	}

	/** How many more takes fit. */
	get room(): number {
		return Math.max(0, this.max - this.#entries.length);
	}

	/** @throws UserError `voice.queue_full` when `max` takes already wait. */
	add(take: Take, requestedBy: string | undefined): QueueEntry {
		if (this.room === 0) {
			throw new UserError('voice.queue_full', msg('error.voice.queue_full', { max: this.max }));
		}
		return this.#push(take, requestedBy);
	}

	shift(): QueueEntry | undefined {
		return this.#entries.shift();
	}

	/** Takes the entry with this key out of the queue; undefined when it is no longer waiting. */
	remove(key: number): QueueEntry | undefined {
		const index = this.#entries.findIndex((e) => e.key === key);
		return index === -1 ? undefined : this.#entries.splice(index, 1)[0];
	}

	/**
	 * Puts the waiting entries in a random order that differs from the current one (a shuffle that changes
	 * nothing looks broken to whoever pressed it). False when fewer than two entries wait.
	 */
	shuffle(): boolean {
		if (this.#entries.length < 2) return false;
		const before = this.#entries.map((e) => e.key).join();
		do {
			for (let i = this.#entries.length - 1; i > 0; i--) {
				const j = Math.floor(this.#random() * (i + 1));
				[this.#entries[i], this.#entries[j]] = [this.#entries[j] as QueueEntry, this.#entries[i] as QueueEntry];
			}
		} while (this.#entries.map((e) => e.key).join() === before);
		return true;
	}

	/** off → take (repeat the one playing) → queue (everything, over and over) → off. */
	cycleLoop(): LoopMode {
		this.loop = this.loop === 'off' ? 'take' : this.loop === 'take' ? 'queue' : 'off';
		return this.loop;
	}

	/**
	 * An entry stopped playing. Looping one take repeats it only when it played to the end (Skip moves on);
	 * looping the queue keeps a skipped take in the round too, as music apps do. Loops never count against `max`:
	 * the entry has just left the queue.
	 */
	ended(entry: QueueEntry, reason: TrackEndReason): void {
		if (this.loop === 'take' && reason === 'finished')
			this.#entries.unshift(this.#entry(entry.take, entry.requestedBy));
		else if (this.loop === 'queue' && (reason === 'finished' || reason === 'skipped'))
			this.#push(entry.take, entry.requestedBy);
	}

	clear(): void {
		this.#entries.length = 0;
	}

	#push(take: Take, requestedBy: string | undefined): QueueEntry {
		const entry = this.#entry(take, requestedBy);
		this.#entries.push(entry);
		return entry;
	}

	#entry(take: Take, requestedBy: string | undefined): QueueEntry {
		return { key: this.#nextKey++, take, requestedBy };
	}
}
