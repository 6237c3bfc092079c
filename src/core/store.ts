import type { ClaimStore } from './dedupe.ts';
import type { RunningTasks } from './inflight.ts';
import type { AtomicCounters } from './quota.ts';
import { type TaskRecord, winningVotes } from './records.ts';

/**
 * The persistence port. Implementations: src/store (Keyv over SQLite, Redis, or memory for tests).
 * Everything the bot must remember across restarts goes through it.
 */

export interface LibraryQuery {
	/** At most this many records (newest first, or most voted first). */
	limit: number;
	/** Only songs ranked strictly below this (paging cursor: `libraryRank` of the last song seen). */
	before?: number;
	/** Words that each start a word of the title, style, tags or requester name (an index: every song). */
	search?: string;
	/** Words that each start a word of the style or tags. */
	style?: string;
	/** Only songs this user asked for or is credited on. */
	by?: string;
	/** `top`: songs that won a vote, most votes first. Default `newest`. */
	order?: 'newest' | 'top';
}

/** Multiplier that keeps the vote count ahead of the time in a `top` rank (times stay below 1e13 until 2286). */
const VOTE_WEIGHT = 1e13;

/** Where a song stands in a listing's order, which is the paging cursor `before` for the next page. */
export function libraryRank(record: TaskRecord, order: LibraryQuery['order'] = 'newest'): number {
	return order === 'top' ? winningVotes(record) * VOTE_WEIGHT + record.createdAt : record.createdAt;
}

export interface CounterValue {
	/** The value after the operation. */
	value: number;
	/** Epoch ms at which the counter resets to 0. */
	expiresAt: number;
}

/** Also the `AtomicCounters` that `Quotas` (src/core/quota.ts) takes. */
export interface Store extends AtomicCounters, ClaimStore, RunningTasks {
	getTask(id: string): Promise<TaskRecord | undefined>;
	/**
	 * Saves a record and keeps the indexes in step: unsettled tasks are in the active index (added before the
	 * record is written, so a crash never leaves an unfinished task unlisted); finished songs with at least
	 * one complete take are in their guild's library; concluded tasks are in the retention index.
	 * @param previous - The record as this store saved it last (the tracker's copy): index entries it already
	 * has are not written again. Without it every index is brought in step.
	 */
	saveTask(record: TaskRecord, previous?: TaskRecord): Promise<void>;
	/** Every unsettled task, oldest first (what `tracker.resume()` picks up). */
	listActive(): Promise<TaskRecord[]>;
	/** Ids of the unsettled tasks, oldest first, without reading the records (the fleet's orphan scan). */
	activeIds(): Promise<string[]>;
	/** The guild's finished songs, newest first (for /songs and /extend autocomplete). */
	listLibrary(guildId: string, query: LibraryQuery): Promise<TaskRecord[]>;
	/**
	 * Atomically adds `by` (default 1, may be negative to refund) to a counter that expires `ttlMs` after it
	 * was created (a fixed window: later increments do not extend it). For daily quotas and cooldowns.
	 */
	increment(key: string, options: { ttlMs: number; by?: number }): Promise<CounterValue>;
	/** The counter's current value, or undefined when it does not exist or has expired. */
	readCounter(key: string): Promise<CounterValue | undefined>;
	/** Small settings (the generated callback secret, guild settings). JSON-serialisable values. */
	getValue<T>(key: string): Promise<T | undefined>;
	/**
	 * Stores a small value; with `ttlMs` it is gone that long after (saved form state, search pages, lyrics
	 * revisions), and `prune` deletes it from engines without native expiry, so such state never piles up.
	 */
	setValue<T>(key: string, value: T, options?: { ttlMs?: number }): Promise<void>;
	/**
	 * Stores `value` under `key` unless a value is there already, atomically across processes sharing the
	 * store; returns the value that is stored now (the first writer's).
	 */
	claimValue(key: string, value: string): Promise<string>;
	/** Deletes settled tasks that concluded before `finishedBefore` (epoch ms) and returns them. */
	prune(finishedBefore: number): Promise<TaskRecord[]>;
	/** Resolves when the store answers; rejects otherwise (for /healthz). */
	ping(): Promise<void>;
	close(): Promise<void>;
}
