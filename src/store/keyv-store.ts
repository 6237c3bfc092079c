import type { TaskRecord } from '../core/records.ts';
import { isTerminal, songTitle } from '../core/records.ts';
import type { CounterValue, LibraryQuery, Store } from '../core/store.ts';
import type { Backend } from './backend.ts';

const ACTIVE = 'active';
const FINISHED = 'finished';
const library = (guildId: string) => `library:${guildId}`;
/** Unsettled songs (not lyrics) per server and per person in it, for the in-flight caps. */
const runningInGuild = (guildId: string) => `running:${guildId}`;
const runningOfUser = (guildId: string, userId: string) => `running:${guildId}:${userId}`;
const taskKey = (id: string) => `task:${id}`;
const valueKey = (key: string) => `value:${key}`;
/** Songs scanned for a library search (autocomplete asks about the recent ones). */
const SEARCH_SCAN = 500;

/** Finished songs with at least one take: what /songs lists and /extend offers. */
function inLibrary(record: TaskRecord): boolean {
	return record.kind !== 'lyrics' && isTerminal(record) && record.clips.some((clip) => clip.state === 'complete');
}

/** Songs count against the in-flight caps until they settle; lyrics sheets are quick and do not. */
function countsAsRunning(record: TaskRecord): boolean {
	return record.kind !== 'lyrics';
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
		const sets = [
			...(active && !wasActive ? [ACTIVE] : []),
			...(active && countsAsRunning(record) && !wasRunning ? running : []),
		];
		// Indexed first: a crash after this line leaves an id whose record is missing, which listActive heals;
		// the other order could leave an unfinished task nobody resumes.
		await this.#addToSets(sets, record.id, record.createdAt);
		await b.keyv.set(taskKey(record.id), record);
		const wasInLibrary = was !== undefined && sameOwner && inLibrary(was);
		if (inLibrary(record) && !wasInLibrary) await b.zAdd(library(record.place.guildId), record.id, record.createdAt);
		const finishedAt = (r: TaskRecord) => r.finishedAt ?? r.updatedAt;
		const wasFinished = was !== undefined && isTerminal(was) && finishedAt(was) === finishedAt(record);
		if (isTerminal(record) && !wasFinished) await b.zAdd(FINISHED, record.id, finishedAt(record));
		if (!active && (wasActive || was === undefined)) await this.#removeFromSets([ACTIVE, ...running], record.id);
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
			if (record && record.settledAt === undefined) records.push(record);
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

	async listLibrary(guildId: string, query: LibraryQuery): Promise<TaskRecord[]> {
		const needle = query.search?.trim().toLowerCase();
		const scan = needle ? SEARCH_SCAN : query.limit;
		const ids = await this.#backend.zDescending(library(guildId), scan, query.before);
		const records: TaskRecord[] = [];
		for (const id of ids) {
			if (records.length >= query.limit) break;
			const record = await this.getTask(id);
			if (record === undefined) continue;
			if (needle && !haystack(record).includes(needle)) continue;
			records.push(record);
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
				await b.zRem(library(record.place.guildId), id);
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

function haystack(record: TaskRecord): string {
	const request = record.request;
	const style = 'request' in request ? (request.request.style ?? '') : '';
	return `${songTitle(record)} ${style} ${record.clips.map((c) => c.tags ?? '').join(' ')} ${record.requester.name}`.toLowerCase();
}
