import type { ClipRecord, TaskRecord } from './records.ts';
import { songTitle } from './records.ts';

/**
 * The one name a take goes by everywhere a person meets it (the song card, the file name, the voice player and
 * queue, /songs, autocomplete): "Night Drive · take 2", "Night Drive (extended at 1:20) · take 1",
 * "Night Drive (remix: lo-fi) · take 1". Extensions and remixes usually keep the title of the song they build on,
 * so without the qualifier four different takes would share one name.
 */

/**
 * The words a take's name adds to its title. The core renders no language itself: the Discord layer passes the
 * reader's (src/discord/views/card.ts, takeWords); without them the name is English, as file names and logs want.
 */
export interface TakeWords {
	fullSong: string;
	extendedAt: (at: string) => string;
	extended: string;
	remix: string;
	remixIn: (style: string) => string;
	take: (n: number) => string;
	untitled: string;
}

const ENGLISH: TakeWords = {
	fullSong: 'full song',
	extendedAt: (at) => `extended at ${at}`,
	extended: 'extended',
	remix: 'remix',
	remixIn: (style) => `remix: ${style}`,
	take: (n) => `take ${n}`,
	untitled: 'Untitled',
};

/** Longest remix style kept in a name; the name must stay readable in a button label or a queue line. */
const REMIX_STYLE_MAX = 24;

/** "(extended at 1:20)", "(remix: lo-fi)", "(full song)", or undefined for a song made from scratch. */
export function takeQualifier(record: TaskRecord, words: TakeWords = ENGLISH): string | undefined {
	const lineage = record.lineage;
	const request = record.request;
	if (request.action === 'concat') return words.fullSong;
	if (lineage?.type === 'extend')
		return lineage.atSec !== undefined ? words.extendedAt(clock(lineage.atSec)) : words.extended;
	if (lineage?.type === 'remix' || request.action === 'cover') {
		const style = 'request' in request ? request.request.style?.replace(/\s+/g, ' ').trim() : undefined;
		if (!style) return words.remix;
		return words.remixIn(style.length > REMIX_STYLE_MAX ? `${style.slice(0, REMIX_STYLE_MAX - 1).trimEnd()}…` : style);
	}
	return undefined;
}

/**
 * The take's name, plain text (callers escape or isolate it for Discord markdown). The take number is left out
 * when the song has a single take: there is nothing to tell apart.
 */
export function takeName(
	record: TaskRecord,
	clip: Pick<ClipRecord, 'take' | 'title'>,
	titleMax?: number,
	words: TakeWords = ENGLISH,
): string {
	const full = (clip.title ?? songTitle(record)).replace(/\s+/g, ' ').trim() || words.untitled;
	// Where room is short (a 100-character choice), the title gives way; the qualifier and the take number stay.
	const title =
		titleMax !== undefined && full.length > titleMax ? `${full.slice(0, Math.max(1, titleMax - 1)).trimEnd()}…` : full;
	const qualifier = takeQualifier(record, words);
	const takes = Math.max(record.clips.length, clip.take);
	return `${title}${qualifier ? ` (${qualifier})` : ''}${takes > 1 ? ` · ${words.take(clip.take)}` : ''}`;
}

/**
 * The take's name as an attachment's file name: the same words, with the characters file systems and Discord's
 * file names handle badly swapped for plain ones ("Night Drive (extended at 1.20) - take 1").
 */
export function takeFileName(record: TaskRecord, clip: Pick<ClipRecord, 'take' | 'title'>): string {
	return takeName(record, clip)
		.replace(` · ${ENGLISH.take(clip.take)}`, ` - ${ENGLISH.take(clip.take)}`)
		.replace(/(\d):(\d\d)/g, '$1.$2');
}

/** The song's name in lists that show its takes under it (/songs): "Night Drive (extended at 1:20)". */
export function songName(record: TaskRecord, words: TakeWords = ENGLISH): string {
	const qualifier = takeQualifier(record, words);
	return `${songTitle(record)}${qualifier ? ` (${qualifier})` : ''}`;
}

function clock(totalSec: number): string {
	const s = Math.max(0, Math.round(totalSec));
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
