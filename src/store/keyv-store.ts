import type { TaskRecord } from '../core/records.ts';
import { isTerminal } from '../core/records.ts';
import type { CounterValue, LibraryQuery, Store } from '../core/store.ts';
import type { Backend } from './backend.ts';
import { inLibrary, isSongKind, LibraryIndex } from './library-index.ts';

const ACTIVE = 'active';
const FINISHED = 'finished';
/** Unsettled songs (not lyrics) per server and per person in it, for the in-flight caps. */
const runningInGuild = (guildId: string) => `running:${guildId}`;
const runningOfUser = (guildId: string, userId: string) => `running:${guildId}:${userId}`;
const taskKey = (id: string) => `task:${id}`;
const valueKey = (key: string) => `value:${key}`;

/**
 * Songs count against the in-flight caps until they settle; lyrics sheets are quick and do not. An intent that
 * named its task (`moved`) is that task's record now: counting both would charge one song twice against the
 * caps. An intent still `sending` or `unconfirmed` counts: it may well be a paid song.
 */
function countsAsRunning(record: TaskRecord): boolean {
	return isSongKind(record.kind) && record.settledAt === undefined && record.state.status !== 'moved';
}

/** Records of an older or foreign shape are skipped rather than crash the tracker. */
function isRecord(value: unknown): value is TaskRecord {
	if (typeof value !== 'object' || value === null) return false;
	const record = value as Partial<TaskRecord>;
	return (
		record.v === 1 && typeof record.id === 'string' && Array.isArray(record.clips) && typeof record.state === 'object'
	);
}

/**
 * The Store port over Keyv plus a backend's native indexes and counters: task records and the indexes the tracker
 * needs here, the library's indexes in library-index.ts.
 */
export class KeyvStore implements Store {
	readonly #backend: Backend;
	readonly #library: LibraryIndex;

	constructor(backend: Backend) {
		this.#backend = backend;
		this.#library = new LibraryIndex(backend, (id) => this.getTask(id));
	}

	async getTask(id: string): Promise<TaskRecord | undefined> {
		const value: unknown = await this.#backend.keyv.get(taskKey(id));
		return isRecord(value) ? value : undefined;
	}

	async saveTask(record: TaskRecord, previous?: TaskRecord): Promise<void> {
		const b = this.#backend;
		const active = record.settledAt === undefined;
		// With the record as saved before, index entries it already has are not written again: most saves of a
		// song in progress are then the record alone, one write instead of four.
		const was = previous?.id === record.id && previous.createdAt === record.createdAt ? previous : undefined;
		const sameOwner = was?.place.guildId === record.place.guildId && was.requester.userId === record.requester.userId;
		const wasActive = was !== undefined && was.settledAt === undefined;
		const running = [
			runningInGuild(record.place.guildId),
			runningOfUser(record.place.guildId, record.requester.userId),
		];
		const wasRunning = wasActive && sameOwner && countsAsRunning(was);
		const runs = countsAsRunning(record);
		const sets = [...(active && !wasActive ? [ACTIVE] : []), ...(runs && !wasRunning ? running : [])];
		// Indexed first: a crash after this line leaves an id whose record is missing, which listActive heals;
		// the other order could leave an unfinished task nobody resumes.
		await this.#addToSets(sets, record.id, record.createdAt);
		await b.keyv.set(taskKey(record.id), record);
		if (inLibrary(record)) await this.#library.index(record, was !== undefined && inLibrary(was) ? was : undefined);
		const finishedAt = (r: TaskRecord) => r.finishedAt ?? r.updatedAt;
		const wasFinished = was !== undefined && isTerminal(was) && finishedAt(was) === finishedAt(record);
		if (isTerminal(record) && !wasFinished) await b.zAdd(FINISHED, record.id, finishedAt(record));
		// Lyrics never enter the running index: no removal to pay for on each of their saves.
		const gone = [
			...(!active && (wasActive || was === undefined) ? [ACTIVE] : []),
			...(!runs && isSongKind(record.kind) && (wasRunning || was === undefined) ? running : []),
		];
		if (gone.length > 0) await this.#removeFromSets(gone, record.id);
	}

	/** Indexes the songs saved before the library's indexes existed, once per store (library-index.ts). */
	indexOlderSongs(): Promise<number> {
		return this.#library.indexOlder(() => this.#backend.zUpTo(FINISHED, Number.POSITIVE_INFINITY, 1_000_000));
	}

	listLibrary(guildId: string, query: LibraryQuery): Promise<TaskRecord[]> {
		return this.#library.list(guildId, query);
	}

	async #addToSets(sets: readonly string[], member: string, score: number): Promise<void> {
		const b = this.#backend;
		if (b.zAddToSets) await b.zAddToSets(sets, member, score);
		else for (const set of sets) await b.zAdd(set, member, score);
	}

	async #removeFromSets(sets: readonly string[], member: string): Promise<void> {
		const b = this.#backend;
		if (b.zRemFromSets) await b.zRemFromSets(sets, member);
		else for (const set of sets) await b.zRem(set, member);
	}

	listRunning(guildId: string, userId?: string, limit = 100): Promise<TaskRecord[]> {
		const set = userId === undefined ? runningInGuild(guildId) : runningOfUser(guildId, userId);
		return this.#readIndex(set, limit, countsAsRunning);
	}

	listActive(): Promise<TaskRecord[]> {
		return this.#readIndex(ACTIVE, 100_000, (record) => record.settledAt === undefined);
	}

	/**
	 * The records an index lists that still belong in it. A record pruned or settled behind the index's back (a
	 * crash between two writes) leaves its id there: it is removed on the way.
	 */
	async #readIndex(set: string, limit: number, belongs: (record: TaskRecord) => boolean): Promise<TaskRecord[]> {
		const ids = await this.#backend.zUpTo(set, Number.POSITIVE_INFINITY, limit);
		const records: TaskRecord[] = [];
		for (const id of ids) {
			const record = await this.getTask(id);
			if (record && belongs(record)) records.push(record);
			else await this.#backend.zRem(set, id);
		}
		return records;
	}

	activeIds(): Promise<string[]> {
		return this.#backend.zUpTo(ACTIVE, Number.POSITIVE_INFINITY, 100_000);
	}

	increment(key: string, options: { ttlMs: number; by?: number }): Promise<CounterValue> {
		return this.#backend.increment(key, options.by ?? 1, options.ttlMs, Date.now());
	}

	async add(key: string, delta: number, ttlMs: number): Promise<number> {
		return (await this.increment(key, { ttlMs, by: delta })).value;
	}

	readCounter(key: string): Promise<CounterValue | undefined> {
		return this.#backend.readCounter(key, Date.now());
	}

	async getValue<T>(key: string): Promise<T | undefined> {
		return (await this.#backend.keyv.get(valueKey(key))) as T | undefined;
	}

	async setValue<T>(key: string, value: T, options: { ttlMs?: number } = {}): Promise<void> {
		await this.#backend.keyv.set(valueKey(key), value, options.ttlMs);
	}

	claimValue(key: string, value: string): Promise<string> {
		return this.#backend.setIfAbsent(valueKey(key), value);
	}

	claimFor(key: string, value: string, ttlMs: number): Promise<{ held: boolean; value: string }> {
		return this.#backend.claim(valueKey(key), value, ttlMs, Date.now());
	}

	peekClaim(key: string): Promise<string | undefined> {
		return this.#backend.peekClaim(valueKey(key), Date.now());
	}

	updateClaim(key: string, from: string, to: string): Promise<boolean> {
		return this.#backend.updateClaim(valueKey(key), from, to, Date.now());
	}

	dropClaim(key: string, value: string): Promise<void> {
		return this.#backend.dropClaim(valueKey(key), value);
	}

	async prune(finishedBefore: number): Promise<TaskRecord[]> {
		const b = this.#backend;
		const ids = await b.zUpTo(FINISHED, finishedBefore, 10_000);
		const pruned: TaskRecord[] = [];
		for (const id of ids) {
			const record = await this.getTask(id);
			// A task revived by a late take is unsettled again: it stays until it settles anew.
			if (record && record.settledAt === undefined) continue;
			if (record) {
				await this.#library.unindex(record);
				await b.keyv.delete(taskKey(id));
				pruned.push(record);
			}
			await b.zRem(FINISHED, id);
		}
		await b.sweep(Date.now());
		return pruned;
	}

	ping(): Promise<void> {
		return this.#backend.ping();
	}

	close(): Promise<void> {
		return this.#backend.close();
	}
}
