import { z } from 'zod';
import type { Credit, Lineage, TaskRecord } from '../core/records.ts';
import { escapeMarkdown, listOf, truncate } from './views/format.ts';
import type { LyricsSheetView } from './views/lyrics.ts';

/**
 * A lyrics sheet: one version of lyrics that people can turn into a song, revise or regenerate. Versions the
 * provider wrote live in their task record; revisions people post are stored under a short id, because a
 * custom id (≤ 100 characters) cannot carry the lyrics themselves.
 */

/** Where a sheet comes from, as carried in the custom ids of its buttons. */
export type SheetRef = { kind: 'task'; taskId: string; version: number } | { kind: 'saved'; id: string };

const SAVED = 's';
const MAX_VERSION = 9;

/** Custom-id arguments for a sheet: `[taskId, version]` or `['s', id]`. */
export function refArgs(ref: SheetRef): string[] {
	return ref.kind === 'task' ? [ref.taskId, String(ref.version)] : [SAVED, ref.id];
}

/** The inverse of `refArgs`; undefined for arguments this bot did not make. */
export function parseRef(args: readonly string[]): SheetRef | undefined {
	const [first, second] = args;
	if (!first || second === undefined) return undefined;
	if (first === SAVED) return /^[a-z0-9]{4,32}$/.test(second) ? { kind: 'saved', id: second } : undefined;
	if (!/^\d$/.test(second) || Number(second) > MAX_VERSION) return undefined;
	return { kind: 'task', taskId: first, version: Number(second) };
}

/** The store key of a revision. */
export function sheetKey(id: string): string {
	return `lyrics-sheet:${id}`;
}

/** A sheet as stored (revisions) or derived from a lyrics task (the provider's versions). */
export const lyricsSheetSchema = z.object({
	title: z.string(),
	text: z.string(),
	/** The theme the lyrics were written about, for Regenerate. */
	theme: z.string(),
	/** Who asked for the original lyrics. */
	authors: z.array(z.string()).min(1),
	/** Who revised them, oldest first. */
	revisers: z.array(z.string()),
	/** The provider's version this sheet descends from. */
	source: z.object({ taskId: z.string(), version: z.number().int().min(0) }),
	/** How many revisions separate this sheet from the provider's version. */
	revision: z.number().int().min(0),
	createdAt: z.number(),
});
export type LyricsSheet = z.infer<typeof lyricsSheetSchema>;

/** Reads a stored revision; undefined when missing or not in the expected shape (e.g. written by a newer bot). */
export function parseSheet(value: unknown): LyricsSheet | undefined {
	const parsed = lyricsSheetSchema.safeParse(value);
	return parsed.success ? parsed.data : undefined;
}

/** The theme of a lyrics task, whatever its state (Regenerate works on failed tasks too). */
export function themeOf(task: TaskRecord): string | undefined {
	return task.request.action === 'lyrics' ? task.request.prompt : undefined;
}

/** One of the provider's versions of a lyrics task as a sheet; undefined when there is no such version. */
export function sheetFromTask(task: TaskRecord, version: number): LyricsSheet | undefined {
	const theme = themeOf(task);
	const lyrics = task.lyrics?.[version];
	if (theme === undefined || !lyrics?.text) return undefined;
	const authors = unique(
		(task.credits ?? []).filter((c) => c.role === 'asked' || c.role === 'lyrics').map((c) => c.userId),
	);
	return {
		title: lyrics.title.trim() || 'Untitled lyrics',
		text: lyrics.text,
		theme,
		authors: authors.length ? authors : [task.requester.userId],
		revisers: [],
		source: { taskId: task.id, version },
		revision: 0,
		createdAt: task.finishedAt ?? task.updatedAt,
	};
}

/** The store counter that numbers the revisions of one provider version, whoever revises which of them. */
export function revisionCounterKey(sheet: LyricsSheet): string {
	return `lyrics-sheet:revisions:${sheet.source.taskId}:${sheet.source.version}`;
}

/**
 * A new revision of `parent` by `userId`; undefined when nothing changed (no new version is worth posting).
 * `number` is the revision's number from the version's counter (two people revising the same sheet, at once or one
 * after the other, get distinct numbers); without it, the one after the parent's.
 */
export function revise(
	parent: LyricsSheet,
	change: { title: string; text: string; userId: string; now: number; number?: number },
): LyricsSheet | undefined {
	const title = change.title.trim() || parent.title;
	const text = change.text.trim();
	if (title === parent.title && text === parent.text.trim()) return undefined;
	return {
		...parent,
		title,
		text,
		revisers: unique([...parent.revisers, change.userId]),
		// Never below the parent's: a counter that expired before its revisions starts again at 1.
		revision: Math.max(parent.revision + 1, change.number ?? 0),
		createdAt: change.now,
	};
}

/**
 * Credits of a song made from a sheet: the person who asked for it, the sheet's authors and revisers, and the
 * asker as an editor too when they changed the lyrics in the song form.
 */
export function songCredits(sheet: LyricsSheet, askerId: string, changedLyrics: boolean): Credit[] {
	const revisers = changedLyrics ? unique([...sheet.revisers, askerId]) : sheet.revisers;
	return [
		{ role: 'asked', userId: askerId },
		...sheet.authors.map((userId) => ({ role: 'lyrics' as const, userId })),
		...revisers.map((userId) => ({ role: 'edited' as const, userId })),
	];
}

/** Songs made from a sheet point at the provider's version they descend from. */
export function sheetLineage(sheet: LyricsSheet): Lineage {
	return { type: 'lyrics-version', taskId: sheet.source.taskId, version: sheet.source.version };
}

/** What the channel shows for a sheet: "written with @a about “theme” · revised by @b". */
export function sheetView(sheet: LyricsSheet, ref: SheetRef): LyricsSheetView {
	const mention = (ids: readonly string[]) => listOf(ids.map((id) => `<@${id}>`));
	const about = `about “${truncate(escapeMarkdown(sheet.theme), 200)}”`;
	const revised = sheet.revisers.length ? ` · revised by ${mention(sheet.revisers)}` : '';
	const version = `version ${sheet.source.version + 1}`;
	return {
		title: sheet.title,
		text: sheet.text,
		credit: truncate(`written with ${mention(sheet.authors)} ${about}${revised}`, 1024),
		ref: refArgs(ref),
		footer: sheet.revision ? `${version}, revision ${sheet.revision}` : version,
	};
}

function unique(ids: readonly string[]): string[] {
	return [...new Set(ids)];
}
