import {
	HISTORY_MAX,
	type Jam,
	type JamChange,
	type JamPart,
	type JamSection,
	POLL_ANSWERS_MAX,
	SECTIONS_MAX,
	type SectionType,
	SHEET_TEXT_MAX,
} from './jam-schema.ts';
import type { Credit } from './records.ts';

/**
 * A jam: one song written by many people in a Discord thread. The thread holds one living lyrics sheet made of
 * sections (verse, chorus…), each with its writer; every change is in the history, and the last change can be
 * undone. The song is made in parts: the first from the sheet, each next one extends the chosen take with the
 * sections written since, and the full song joins them. Pure state and rules here; Discord lives elsewhere.
 */

export {
	type Jam,
	type JamChange,
	type JamClosing,
	type JamPart,
	type JamSection,
	jamSchema,
	parseJam,
	POLL_ANSWERS_MAX,
	SECTION_MAX,
	SECTION_TYPES,
	SECTIONS_MAX,
	type SectionType,
	SHEET_TEXT_MAX,
} from './jam-schema.ts';

export function newJam(start: {
	guildId: string;
	channelId: string;
	threadId: string;
	title: string;
	theme: string;
	style: string;
	userId: string;
	now: number;
}): Jam {
	return {
		v: 1,
		guildId: start.guildId,
		channelId: start.channelId,
		threadId: start.threadId,
		title: start.title,
		theme: start.theme,
		style: start.style,
		startedBy: start.userId,
		sections: [],
		nextSectionId: 1,
		history: [],
		suggestions: [],
		parts: [],
		createdAt: start.now,
		lastActivityAt: start.now,
	};
}

/** Why a change was refused, as an id the Discord side turns into words. */
export type JamRefusal = 'closed' | 'full' | 'empty' | 'unchanged' | 'no-section' | 'nothing-to-undo';

export type JamResult = { ok: true; jam: Jam } | { ok: false; reason: JamRefusal };

interface Edit {
	userId: string;
	type: SectionType;
	text: string;
	now: number;
}

function record(jam: Jam, change: JamChange, sections: JamSection[]): Jam {
	return {
		...jam,
		sections,
		history: [...jam.history, change].slice(-HISTORY_MAX),
		lastActivityAt: change.at,
	};
}

export function addSection(jam: Jam, edit: Edit): JamResult {
	if (jam.closedAt !== undefined) return { ok: false, reason: 'closed' };
	if (jam.sections.length >= SECTIONS_MAX) return { ok: false, reason: 'full' };
	const text = edit.text.trim();
	if (!text) return { ok: false, reason: 'empty' };
	if (sheetLength(jam.sections) + text.length > SHEET_TEXT_MAX) return { ok: false, reason: 'full' };
	const section: JamSection = { id: jam.nextSectionId, type: edit.type, text, authorId: edit.userId, editorIds: [] };
	const change: JamChange = {
		at: edit.now,
		userId: edit.userId,
		action: 'add',
		sectionId: section.id,
		type: edit.type,
	};
	return { ok: true, jam: { ...record(jam, change, [...jam.sections, section]), nextSectionId: section.id + 1 } };
}

export function editSection(jam: Jam, sectionId: number, edit: Edit): JamResult {
	if (jam.closedAt !== undefined) return { ok: false, reason: 'closed' };
	const before = jam.sections.find((s) => s.id === sectionId);
	if (!before) return { ok: false, reason: 'no-section' };
	const text = edit.text.trim();
	if (!text) return { ok: false, reason: 'empty' };
	if (text === before.text && edit.type === before.type) return { ok: false, reason: 'unchanged' };
	if (sheetLength(jam.sections) - before.text.length + text.length > SHEET_TEXT_MAX)
		return { ok: false, reason: 'full' };
	const editors = before.authorId === edit.userId ? before.editorIds : unique([...before.editorIds, edit.userId]);
	const after: JamSection = { ...before, type: edit.type, text, editorIds: editors };
	const change: JamChange = { at: edit.now, userId: edit.userId, action: 'edit', sectionId, type: edit.type, before };
	return {
		ok: true,
		jam: record(
			jam,
			change,
			jam.sections.map((s) => (s.id === sectionId ? after : s)),
		),
	};
}

/** Undoes the newest add or edit not undone yet: an added section goes, an edited one is as it was. */
export function undoLast(jam: Jam, userId: string, now: number): JamResult {
	if (jam.closedAt !== undefined) return { ok: false, reason: 'closed' };
	const index = jam.history.findLastIndex((c) => c.action !== 'undo' && !c.undone);
	const last = jam.history[index];
	if (!last) return { ok: false, reason: 'nothing-to-undo' };
	const position = jam.sections.findIndex((s) => s.id === last.sectionId);
	let sections = jam.sections;
	if (last.action === 'add') sections = jam.sections.filter((s) => s.id !== last.sectionId);
	else if (last.before) {
		const before = last.before;
		sections = position < 0 ? jam.sections : jam.sections.map((s) => (s.id === before.id ? before : s));
	}
	const history = jam.history.map((c, i) => (i === index ? { ...c, undone: true } : c));
	const change: JamChange = {
		at: now,
		userId,
		action: 'undo',
		sectionId: last.sectionId,
		type: last.before?.type ?? last.type,
		...(position >= 0 ? { position } : {}),
	};
	return { ok: true, jam: record({ ...jam, history }, change, sections) };
}

/** The newest change that undo would revert, if any. */
export function undoable(jam: Jam): JamChange | undefined {
	return jam.history.findLast((c) => c.action !== 'undo' && !c.undone);
}

/** The lyrics a provider sings, with the usual `[Verse]` tags. */
export function lyricsOf(sections: readonly JamSection[]): string {
	return sections.map((s) => `[${tagOf(s.type)}]\n${s.text}`).join('\n\n');
}

function tagOf(type: SectionType): string {
	return type
		.split('-')
		.map((w) => w.charAt(0).toUpperCase() + w.slice(1))
		.join('-');
}

/** Sections no part has sung yet, in sheet order: what "Next part" (or "Make it") sings. */
export function unsungSections(jam: Jam): JamSection[] {
	const sung = new Set(jam.parts.flatMap((p) => p.sectionIds));
	return jam.sections.filter((s) => !sung.has(s.id));
}

export function withPart(jam: Jam, part: JamPart, now: number): Jam {
	return { ...jam, parts: [...jam.parts, part], lastActivityAt: now };
}

/** Adds a style suggestion (one per person and style, case-insensitive); false when it was there already. */
export function suggestStyle(jam: Jam, userId: string, style: string, now: number): JamResult {
	if (jam.closedAt !== undefined) return { ok: false, reason: 'closed' };
	const text = style.trim();
	if (!text) return { ok: false, reason: 'empty' };
	if (jam.suggestions.some((s) => s.style.toLowerCase() === text.toLowerCase()))
		return { ok: false, reason: 'unchanged' };
	if (jam.suggestions.length >= POLL_ANSWERS_MAX) return { ok: false, reason: 'full' };
	return { ok: true, jam: { ...jam, suggestions: [...jam.suggestions, { userId, style: text }], lastActivityAt: now } };
}

/** The styles a poll offers: the jam's own first, then the suggestions, without repeats, at most ten. */
export function pollStyles(jam: Jam): string[] {
	const seen = new Set<string>();
	const styles: string[] = [];
	for (const style of [jam.style, ...jam.suggestions.map((s) => s.style)]) {
		const key = style.toLowerCase();
		if (!style || seen.has(key)) continue;
		seen.add(key);
		styles.push(style);
	}
	return styles.slice(0, POLL_ANSWERS_MAX);
}

/** Whoever wrote or changed a section, in order of first contribution: one line per section in the credits. */
export function writersBySection(jam: Jam): { section: JamSection; writers: string[] }[] {
	return jam.sections.map((section) => ({ section, writers: unique([section.authorId, ...section.editorIds]) }));
}

/** The song's credits: who pressed the button, then everyone who wrote the sheet. */
export function jamCredits(jam: Jam, askerId: string): Credit[] {
	const writers = unique(jam.sections.flatMap((s) => [s.authorId]));
	const editors = unique(jam.sections.flatMap((s) => s.editorIds)).filter((id) => !writers.includes(id));
	return [
		{ role: 'asked', userId: askerId },
		...writers.map((userId) => ({ role: 'lyrics' as const, userId })),
		...editors.map((userId) => ({ role: 'edited' as const, userId })),
	];
}

/** Closed after `idleMs` without any change. */
export function isIdle(jam: Jam, now: number, idleMs: number): boolean {
	return jam.closedAt === undefined && now - jam.lastActivityAt >= idleMs;
}

function sheetLength(sections: readonly JamSection[]): number {
	return sections.reduce((sum, s) => sum + s.text.length, 0);
}

function unique(ids: readonly string[]): string[] {
	return [...new Set(ids)];
}
