import type { TaskRecord } from '../core/records.ts';
import { songTitle } from '../core/records.ts';
import type { Store } from '../core/store.ts';
import { type Locale, t } from './i18n.ts';
import { clock, inlineTitle } from './views/format.ts';
import type { TrackerView } from './views/tracker.ts';

/**
 * What a song's request says, as a person reads it: how it was asked (mode, model, style, title, lyrics) and what it
 * builds on ("extends *X* at 1:20"). Shared by the card (present.ts), the forms that start from a song (reroll,
 * Extend and Remix pre-fills) and Details; separate from present.ts, which maps a record's state to its views.
 */

/** The request as the user phrased it: mode, style, title, model, instrumental. */
export function requestFacts(record: TaskRecord) {
	const r = record.request;
	if (r.action === 'generate' || r.action === 'extend' || r.action === 'cover') {
		const q = r.request;
		const mode: TrackerView['mode'] =
			r.action === 'extend'
				? 'extend'
				: r.action === 'cover'
					? 'remix'
					: 'mode' in q && q.mode === 'describe'
						? 'describe'
						: 'custom';
		return {
			mode,
			model: q.model,
			style: q.style,
			title: q.title,
			instrumental: q.instrumental ?? false,
			lyrics: q.lyrics,
		};
	}
	if (r.action === 'lyrics') return { mode: 'lyrics' as const, model: '', instrumental: false };
	// Studio songs (your own audio, a fixed section) carry what was asked like a remix does; a fixed section keeps
	// its take's model, which its request does not name.
	if (
		r.action === 'tool' &&
		(r.tool.tool === 'addVocals' || r.tool.tool === 'addInstrumental' || r.tool.tool === 'replace')
	) {
		const q = r.tool.request;
		return {
			mode: 'remix' as const,
			model: 'model' in q ? q.model : '',
			style: q.style,
			title: q.title,
			instrumental: false,
			lyrics: q.lyrics,
		};
	}
	// A full-song join has no model or style of its own; uploads are never shown as songs.
	return { mode: r.action === 'concat' ? ('full' as const) : ('remix' as const), model: '', instrumental: false };
}

/** Lyrics as known so far: from the first take that has them, else what the user wrote. */
export function lyricsOf(record: TaskRecord): string | undefined {
	return record.clips.find((c) => c.lyrics)?.lyrics ?? requestFacts(record).lyrics;
}

/** "extends *X* at 1:20" in `locale` (the reader's; English where the caller does not say). */
export function lineageText(
	record: TaskRecord,
	parentTitle: string | undefined,
	locale: Locale = 'en',
): string | undefined {
	const lineage = record.lineage;
	if (!lineage || lineage.type === 'lyrics-version') return undefined;
	// An uploaded file is not a song the bot knows, so it has no title to look up.
	const uploaded = record.request.action === 'extend' && record.request.request.uploaded === true;
	const parent = parentTitle
		? inlineTitle(parentTitle)
		: t(locale, uploaded ? 'studio.lineage_uploaded' : 'studio.lineage_earlier');
	const title = `*${parent}*`;
	if (lineage.type === 'remix') return t(locale, 'studio.lineage_remix', { title });
	return lineage.atSec !== undefined
		? t(locale, 'studio.lineage_extends_at', { title, at: clock(lineage.atSec) })
		: t(locale, 'studio.lineage_extends', { title });
}

/** The title of the take a song extends or remixes, as shown in its lineage ("extends *X* at 1:20"). */
export async function parentTitle(store: Pick<Store, 'getTask'>, record: TaskRecord): Promise<string | undefined> {
	const lineage = record.lineage;
	if (!lineage || lineage.type === 'lyrics-version' || !lineage.taskId) return undefined;
	const parent = await store.getTask(lineage.taskId);
	return parent?.clips.find((c) => c.id === lineage.clipId)?.title ?? (parent ? songTitle(parent) : undefined);
}
