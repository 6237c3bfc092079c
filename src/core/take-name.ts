import type { ClipRecord, TaskRecord } from './records.ts';
import { songTitle } from './records.ts';

/**
 * The one name a take goes by everywhere a person meets it (the song card, the file name, the voice player and
 * queue, /songs, autocomplete): "Night Drive · take 2", "Night Drive (extended at 1:20) · take 1",
 * "Night Drive (remix: lo-fi) · take 1". Extensions and remixes usually keep the title of the song they build on,
 * so without the qualifier four different takes would share one name.
 */

/** Every word a take's name adds to its title, in one place for the message catalog. */
const TEXT = {
	fullSong: 'full song',
	extendedAt: (at: string) => `extended at ${at}`,
	extended: 'extended',
	remix: 'remix',
	remixIn: (style: string) => `remix: ${style}`,
	take: (n: number) => `take ${n}`,
	untitled: 'Untitled',
} as const;

/** Longest remix style kept in a name; the name must stay readable in a button label or a queue line. */
const REMIX_STYLE_MAX = 24;

/** "(extended at 1:20)", "(remix: lo-fi)", "(full song)", or undefined for a song made from scratch. */
export function takeQualifier(record: TaskRecord): string | undefined {
	const lineage = record.lineage;
	const request = record.request;
	if (request.action === 'concat') return TEXT.fullSong;
	if (lineage?.type === 'extend')
		return lineage.atSec !== undefined ? TEXT.extendedAt(clock(lineage.atSec)) : TEXT.extended;
	if (lineage?.type === 'remix' || request.action === 'cover') {
		const style = 'request' in request ? request.request.style?.replace(/\s+/g, ' ').trim() : undefined;
		if (!style) return TEXT.remix;
		return TEXT.remixIn(style.length > REMIX_STYLE_MAX ? `${style.slice(0, REMIX_STYLE_MAX - 1).trimEnd()}…` : style);
	}
	return undefined;
}

/**
 * The take's name, plain text (callers escape or isolate it for Discord markdown). The take number is left out
 * when the song has a single take: there is nothing to tell apart.
 */
export function takeName(record: TaskRecord, clip: Pick<ClipRecord, 'take' | 'title'>, titleMax?: number): string {
	const full = (clip.title ?? songTitle(record)).replace(/\s+/g, ' ').trim() || TEXT.untitled;
	// Where room is short (a 100-character choice), the title gives way; the qualifier and the take number stay.
	const title =
		titleMax !== undefined && full.length > titleMax ? `${full.slice(0, Math.max(1, titleMax - 1)).trimEnd()}…` : full;
	const qualifier = takeQualifier(record);
	const takes = Math.max(record.clips.length, clip.take);
	return `${title}${qualifier ? ` (${qualifier})` : ''}${takes > 1 ? ` · ${TEXT.take(clip.take)}` : ''}`;
}

/**
 * The take's name as an attachment's file name: the same words, with the characters file systems and Discord's
 * file names handle badly swapped for plain ones ("Night Drive (extended at 1.20) - take 1").
 */
export function takeFileName(record: TaskRecord, clip: Pick<ClipRecord, 'take' | 'title'>): string {
	return takeName(record, clip)
		.replace(` · ${TEXT.take(clip.take)}`, ` - ${TEXT.take(clip.take)}`)
		.replace(/(\d):(\d\d)/g, '$1.$2');
}

/** The song's name in lists that show its takes under it (/songs): "Night Drive (extended at 1:20)". */
export function songName(record: TaskRecord): string {
	const qualifier = takeQualifier(record);
	return `${songTitle(record)}${qualifier ? ` (${qualifier})` : ''}`;
}

function clock(totalSec: number): string {
	const s = Math.max(0, Math.round(totalSec));
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
