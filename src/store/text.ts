import type { TaskRecord } from '../core/records.ts';
import { songTitle } from '../core/records.ts';

/**
 * The library's search index, kept by each engine next to its other indexes (SQLite FTS5, Redis prefix sets,
 * a map in memory). A query is a list of words; a song matches when every word starts one of its words, so
 * "walr" finds "Blue Walrus" and word order or case do not matter.
 */
export interface TextIndex {
	/** Adds or replaces the song's document in the scope (a guild), ranked by `score`. */
	put(scope: string, member: string, score: number, doc: TextDoc): Promise<void>;
	remove(scope: string, member: string): Promise<void>;
	/** Members matching every word of `query.body` and of `query.style`, by descending score, below `below`. */
	search(scope: string, query: TextQuery, limit: number, below?: number): Promise<string[]>;
}

/** `body`: everything a search looks at (title, style, tags, names); `style`: the style words only. */
export interface TextDoc {
	body: string;
	style: string;
}

export interface TextQuery {
	body: string[];
	style: string[];
}

/** Words as the index keeps them: lower case, accents dropped, split on anything not a letter or digit. */
export function words(text: string): string[] {
	return text
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean);
}

/** What the index keeps of a song. */
export function textDocOf(record: TaskRecord): TextDoc {
	const request = record.request;
	const style = [
		'request' in request ? (request.request.style ?? '') : '',
		...record.clips.map((clip) => clip.tags ?? ''),
	].join(' ');
	return { body: `${songTitle(record)} ${style} ${record.requester.name}`, style };
}

/** True when every query word starts a word of the text (the in-memory equivalent of the engines' indexes). */
export function matchesWords(text: string, query: string[]): boolean {
	const own = words(text);
	return query.every((q) => own.some((w) => w.startsWith(q)));
}
