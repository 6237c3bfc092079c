import type { TaskRecord } from '../core/records.ts';
import { isTerminal, winningVotes } from '../core/records.ts';
import { type CounterValue, type LibraryQuery, libraryRank, type Store } from '../core/store.ts';
import type { Backend } from './backend.ts';
import { matchesWords, textDocOf, words } from './text.ts';

const ACTIVE = 'active';
const FINISHED = 'finished';
const library = (guildId: string) => `library:${guildId}`;
/** Unsettled songs (not lyrics) per server and per person in it, for the in-flight caps. */
const runningInGuild = (guildId: string) => `running:${guildId}`;
const runningOfUser = (guildId: string, userId: string) => `running:${guildId}:${userId}`;
const taskKey = (id: string) => `task:${id}`;
const valueKey = (key: string) => `value:${key}`;
/** Songs by one person (asked for, or credited on) and songs that won a vote. */
const byUser = (guildId: string, userId: string) => `library:${guildId}:by:${userId}`;
const topOf = (guildId: string) => `library:${guildId}:top`;
/** Set once the songs saved before the library indexes are indexed too. */
const INDEXED_MARKER = 'library:indexed:v1';
/** Batches read for one filtered listing before giving up on filling the page (a filter on top of an index). */
const MAX_BATCHES = 20;

/** Finished songs with at least one take: what /songs lists and /extend offers. */
function inLibrary(record: TaskRecord): boolean {
	return isSongKind(record.kind) && isTerminal(record) && record.clips.some((clip) => clip.state === 'complete');
}

/**
 * Songs count against the in-flight caps until they settle; lyrics sheets are quick and do not. An intent that
 * named its task (`moved`) is that task's record now: counting both would charge one song twice against the
 * caps. An intent still `sending` or `unconfirmed` counts: it may well be a paid song.
 */
function countsAsRunning(record: TaskRecord): boolean {
	return isSongKind(record.kind) && record.settledAt === undefined && record.state.status !== 'moved';
}

/** Lyrics sheets and the studio's splits, WAVs and videos are no songs of their own (a fixed section is). */
function isSongKind(kind: TaskRecord['kind']): boolean {
	return kind !== 'lyrics' && kind !== 'split' && kind !== 'wav' && kind !== 'video';
}

/** Records of an older or foreign shape are skipped rather than crash the tracker. */
function isRecord(value: unknown): value is TaskRecord {
	if (typeof value !== 'object' || value === null) return false;
	const record = value as Partial<TaskRecord>;
	return (
		record.v === 1 && typeof record.id === 'string' && Array.isArray(record.clips) && typeof record.state === 'object'
	);
}

/** The Store port over Keyv plus a backend's native indexes and counters. */
export class KeyvStore implements Store {
	readonly #backend: Backend;

	constructor(backend: Backend) {
		this.#backend = backend;
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
		if (inLibrary(record)) await this.#index(record, was !== undefined && inLibrary(was) ? was : undefined);
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

	/**
	 * The library indexes: newest first, per person, search text, and votes. With `indexed`, the record as saved
	 * last and already in the library, only the entries that differ from its own are written: the saves of a
	 * finished song (settling it, a vote ending, a take deleted) mostly change none of them.
	 */
	async #index(record: TaskRecord, indexed?: TaskRecord): Promise<void> {
		const b = this.#backend;
		const guildId = record.place.guildId;
		const was = indexed?.place.guildId === guildId && indexed.createdAt === record.createdAt ? indexed : undefined;
		if (was === undefined) await b.zAdd(library(guildId), record.id, record.createdAt);
		const people = was === undefined ? [] : peopleOf(was);
		for (const userId of peopleOf(record)) {
			if (!people.includes(userId)) await b.zAdd(byUser(guildId, userId), record.id, record.createdAt);
		}
		const doc = textDocOf(record);
		const wasDoc = was && textDocOf(was);
		if (doc.body !== wasDoc?.body || doc.style !== wasDoc.style)
			await b.text.put(guildId, record.id, record.createdAt, doc);
		const top = winningVotes(record) > 0 ? libraryRank(record, 'top') : undefined;
		const wasTop = was && winningVotes(was) > 0 ? libraryRank(was, 'top') : undefined;
		if (top !== undefined && top !== wasTop) await b.zAdd(topOf(guildId), record.id, top);
	}

	async #unindex(record: TaskRecord): Promise<void> {
		const b = this.#backend;
		const guildId = record.place.guildId;
		await b.zRem(library(guildId), record.id);
		for (const userId of peopleOf(record)) await b.zRem(byUser(guildId, userId), record.id);
		await b.text.remove(guildId, record.id);
		await b.zRem(topOf(guildId), record.id);
	}

	/**
	 * Indexes songs saved before the search, person and vote indexes existed, once per store (the first process to
	 * set the marker does it). Every song that ever finished is in the retention index, so that is where they are.
	 */
	async indexOlderSongs(): Promise<number> {
		const b = this.#backend;
		const token = `${Date.now()}:${Math.random()}`;
		if ((await b.setIfAbsent(INDEXED_MARKER, token)) !== token) return 0;
		let count = 0;
		for (const id of await b.zUpTo(FINISHED, Number.POSITIVE_INFINITY, 1_000_000)) {
			const record = await this.getTask(id);
			if (record && inLibrary(record)) {
				await this.#index(record);
				count++;
			}
		}
		return count;
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

	async listRunning(guildId: string, userId?: string, limit = 100): Promise<TaskRecord[]> {
		const set = userId === undefined ? runningInGuild(guildId) : runningOfUser(guildId, userId);
		const ids = await this.#backend.zUpTo(set, Number.POSITIVE_INFINITY, limit);
		const records: TaskRecord[] = [];
		for (const id of ids) {
			const record = await this.getTask(id);
			// A record pruned or settled behind the index's back (a crash between two writes) leaves it here.
			if (record && countsAsRunning(record)) records.push(record);
			else await this.#backend.zRem(set, id);
		}
		return records;
	}

	async listActive(): Promise<TaskRecord[]> {
		const ids = await this.#backend.zUpTo(ACTIVE, Number.POSITIVE_INFINITY, 100_000);
		const records: TaskRecord[] = [];
		for (const id of ids) {
			const record = await this.getTask(id);
			if (record && record.settledAt === undefined) records.push(record);
			else await this.#backend.zRem(ACTIVE, id);
		}
		return records;
	}

	activeIds(): Promise<string[]> {
		return this.#backend.zUpTo(ACTIVE, Number.POSITIVE_INFINITY, 100_000);
	}

	/**
	 * Reads ids from the most selective index for the query (votes, search words, a person, or all), then applies
	 * the filters that index does not cover; batches follow each other until the page is full.
	 */
	async listLibrary(guildId: string, query: LibraryQuery): Promise<TaskRecord[]> {
		const b = this.#backend;
		const order = query.order ?? 'newest';
		const text = { body: words(query.search ?? ''), style: words(query.style ?? '') };
		const searching = text.body.length + text.style.length > 0;
		const read = (limit: number, below: number | undefined): Promise<string[]> => {
			if (order === 'top') return b.zDescending(topOf(guildId), limit, below);
			if (searching) return b.text.search(guildId, text, limit, below);
			if (query.by) return b.zDescending(byUser(guildId, query.by), limit, below);
			return b.zDescending(library(guildId), limit, below);
		};
		const keep = (record: TaskRecord): boolean => {
			if (record.place.guildId !== guildId) return false;
			if (query.by && !peopleOf(record).includes(query.by)) return false;
			if (order === 'top' && searching) {
				const doc = textDocOf(record);
				return matchesWords(doc.body, text.body) && matchesWords(doc.style, text.style);
			}
			return true;
		};
		const batch = Math.max(query.limit, 1) * 4;
		const records: TaskRecord[] = [];
		let cursor = query.before;
		for (let round = 0; round < MAX_BATCHES && records.length < query.limit; round++) {
			const ids = await read(batch, cursor);
			let last: TaskRecord | undefined;
			for (const id of ids) {
				const record = await this.getTask(id);
				if (record === undefined) continue;
				last = record;
				if (keep(record) && records.length < query.limit) records.push(record);
			}
			if (ids.length < batch || last === undefined) break;
			cursor = libraryRank(last, order);
		}
		return records;
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
				await this.#unindex(record);
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

/** Everyone a song belongs to: who asked and everyone credited. */
function peopleOf(record: TaskRecord): string[] {
	return [...new Set([record.requester.userId, ...(record.credits ?? []).map((c) => c.userId)])];
}
