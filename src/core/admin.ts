import type { SongRequest } from './records.ts';

/**
 * Server admins' rules on who makes songs where, and which words songs may not contain. Pure functions: the
 * Discord edge supplies the channel, its parent and the member's roles; nothing here knows discord.js.
 */

/** Where songs are made and by whom; an empty or missing list means no restriction. */
export interface PlaceRules {
	/** Text channels (a thread counts as its parent channel). */
	channelIds?: string[];
	/** Members need at least one of these roles (members who manage the server need none). */
	roleIds?: string[];
}

export interface Place {
	channelId: string;
	/** The parent channel when the place is a thread. */
	parentId?: string | null;
	roleIds: readonly string[];
	/** The member has Manage Server: they set the roles, so the role rule does not lock them out. */
	manager: boolean;
}

export type PlaceRefusal = { kind: 'channel'; allowed: string[] } | { kind: 'role'; allowed: string[] };

export function placeRefusal(rules: PlaceRules, place: Place): PlaceRefusal | undefined {
	const channels = rules.channelIds ?? [];
	if (
		channels.length > 0 &&
		!channels.includes(place.channelId) &&
		!(place.parentId && channels.includes(place.parentId))
	)
		return { kind: 'channel', allowed: channels };
	const roles = rules.roleIds ?? [];
	if (roles.length > 0 && !place.manager && !roles.some((role) => place.roleIds.includes(role)))
		return { kind: 'role', allowed: roles };
	return undefined;
}

/** Words a server does not want in songs, and what people read when theirs contains one. */
export interface WordFilter {
	words: string[];
	message?: string;
}

export const FILTER_LIMITS = { words: 200, wordLength: 50, message: 300 } as const;

/**
 * Fair matching, so neither a capital letter nor a lookalike character gets a word through, and nobody is refused
 * for a word inside another one ("ass" does not match "class"):
 * - Unicode NFKC (fullwidth and ligature forms become plain letters), accents removed (é = e), invisible format
 *   characters removed (a zero-width space inside a word does not split it), case-insensitive;
 * - whole words only; an entry of several words matches those words in a row; a trailing `*` matches every word
 *   starting with it (`damn*` matches "damned");
 * - in scripts written without spaces (Chinese, Japanese, Thai, …) there are no word boundaries to rely on, so
 *   an entry in such a script matches anywhere.
 */
export function normalise(text: string): string {
	return text
		.normalize('NFKC')
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/\p{Cf}/gu, '')
		.toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;
const NO_SPACES = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;

function words(text: string): string[] {
	return normalise(text).match(WORD) ?? [];
}

/** Splits what an admin typed (commas or new lines) into entries; empty ones dropped, duplicates once. */
export function parseWordList(input: string): string[] {
	const entries = input
		.split(/[,\n]/)
		.map((entry) => entry.trim().replace(/\s+/g, ' '))
		.filter((entry) => words(entry).length > 0);
	return [...new Set(entries)];
}

/** The first filter entry the text contains, or undefined. */
export function matchWord(filter: readonly string[], text: string): string | undefined {
	const tokens = words(text);
	const flat = normalise(text).replace(/[^\p{L}\p{N}]/gu, '');
	for (const entry of filter) {
		const prefix = entry.trimEnd().endsWith('*');
		const wanted = words(entry);
		if (wanted.length === 0) continue;
		if (NO_SPACES.test(entry)) {
			if (flat.includes(wanted.join(''))) return entry;
			continue;
		}
		for (let i = 0; i + wanted.length <= tokens.length; i++) {
			const hit = wanted.every((word, j) => {
				const token = tokens[i + j] as string;
				return prefix && j === wanted.length - 1 ? token.startsWith(word) : token === word;
			});
			if (hit) return entry;
		}
	}
	return undefined;
}

/** The texts of a request people wrote, by what they are called in a refusal. */
export function requestTexts(request: SongRequest): { field: string; text: string }[] {
	const out: { field: string; text: string }[] = [];
	const add = (field: string, text: string | undefined) => {
		if (text) out.push({ field, text });
	};
	if (request.action === 'lyrics') add('theme', request.prompt);
	if (request.action === 'generate' || request.action === 'extend' || request.action === 'cover') {
		const r = request.request;
		if ('description' in r) add('description', r.description);
		add('title', r.title);
		add('style', r.style);
		add('lyrics', r.lyrics);
		add('styles to avoid', r.negativeStyle);
	}
	if (request.action === 'tool' && 'request' in request.tool && 'lyrics' in request.tool.request) {
		// Fix a section and your own audio carry words people wrote; split, WAV and video carry none.
		const r = request.tool.request;
		add('title', r.title);
		add('style', r.style);
		add('lyrics', r.lyrics);
		add('styles to avoid', r.negativeStyle);
	}
	return out;
}

export interface FilterHit {
	entry: string;
	field: string;
}

/** The first filtered word in any of the texts, and where. */
export function filterHit(filter: WordFilter | undefined, texts: readonly { field: string; text: string }[]) {
	if (!filter || filter.words.length === 0) return undefined;
	for (const { field, text } of texts) {
		const entry = matchWord(filter.words, text);
		if (entry) return { entry, field } satisfies FilterHit;
	}
	return undefined;
}

export const DEFAULT_FILTER_MESSAGE = 'This server does not allow some words in songs.';
