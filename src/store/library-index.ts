import type { TaskRecord } from '../core/records.ts';
import { isTerminal, winningVotes } from '../core/records.ts';
import { type LibraryQuery, libraryRank } from '../core/store.ts';
import type { Backend } from './backend.ts';
import { matchesWords, textDocOf, words } from './text.ts';

const library = (guildId: string) => `library:${guildId}`;
/** Songs by one person (asked for, or credited on) and songs that won a vote. */
const byUser = (guildId: string, userId: string) => `library:${guildId}:by:${userId}`;
const topOf = (guildId: string) => `library:${guildId}:top`;
/** Set once the songs saved before the library indexes are indexed too. */
const INDEXED_MARKER = 'library:indexed:v1';
/** Batches read for one filtered listing before giving up on filling the page (a filter on top of an index). */
const MAX_BATCHES = 20;

/** Lyrics sheets and the studio's splits, WAVs and videos are no songs of their own (a fixed section is). */
export function isSongKind(kind: TaskRecord['kind']): boolean {
	return kind !== 'lyrics' && kind !== 'split' && kind !== 'wav' && kind !== 'video';
}

/** Finished songs with at least one take: what /songs lists and /extend offers. */
export function inLibrary(record: TaskRecord): boolean {
	return isSongKind(record.kind) && isTerminal(record) && record.clips.some((clip) => clip.state === 'complete');
}

/** Everyone a song belongs to: who asked and everyone credited. */
function peopleOf(record: TaskRecord): string[] {
	return [...new Set([record.requester.userId, ...(record.credits ?? []).map((c) => c.userId)])];
}

/**
 * The library's indexes over a backend (newest first, per person, search text, votes) and the listing that reads
 * them. Kept apart from KeyvStore (keyv-store.ts), which saves records and keeps the indexes the tracker needs
 * (active, running, finished): these only serve /songs and /extend, and are written only for finished songs.
 */
export class LibraryIndex {
	readonly #backend: Backend;
	readonly #read: (id: string) => Promise<TaskRecord | undefined>;

	constructor(backend: Backend, read: (id: string) => Promise<TaskRecord | undefined>) {
		this.#backend = backend;
		this.#read = read;
	}

	/**
	 * With `indexed`, the record as saved last and already in the library, only the entries that differ from its
	 * own are written: the saves of a finished song (settling it, a vote ending, a take deleted) mostly change none.
	 */
	async index(record: TaskRecord, indexed?: TaskRecord): Promise<void> {
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

	async unindex(record: TaskRecord): Promise<void> {
		const b = this.#backend;
		const guildId = record.place.guildId;
		await b.zRem(library(guildId), record.id);
		for (const userId of peopleOf(record)) await b.zRem(byUser(guildId, userId), record.id);
		await b.text.remove(guildId, record.id);
		await b.zRem(topOf(guildId), record.id);
	}

	/**
	 * Indexes songs saved before the search, person and vote indexes existed, once per store (the first process to
	 * set the marker does it), from `finished`: the ids of every song that ever finished.
	 */
	async indexOlder(finished: () => Promise<string[]>): Promise<number> {
		const token = `${Date.now()}:${Math.random()}`;
		if ((await this.#backend.setIfAbsent(INDEXED_MARKER, token)) !== token) return 0;
		let count = 0;
		for (const id of await finished()) {
			const record = await this.#read(id);
			if (record && inLibrary(record)) {
				await this.index(record);
				count++;
			}
		}
		return count;
	}

	/**
	 * Reads ids from the most selective index for the query (votes, search words, a person, or all), then applies
	 * the filters that index does not cover; batches follow each other until the page is full.
	 */
	async list(guildId: string, query: LibraryQuery): Promise<TaskRecord[]> {
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
				const record = await this.#read(id);
				if (record === undefined) continue;
				last = record;
				if (keep(record) && records.length < query.limit) records.push(record);
			}
			if (ids.length < batch || last === undefined) break;
			cursor = libraryRank(last, order);
		}
		return records;
	}
}
