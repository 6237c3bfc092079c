import { type ClipRecord, songTitle, type TaskRecord } from '../core/records.ts';
import { takeName } from '../core/take-name.ts';
import { type Locale, t } from './i18n.ts';
import { takeWords } from './views/card.ts';
import { clock } from './views/format.ts';

/**
 * How a take is named in an autocomplete value: `<taskId>:<clipId>`, or `<taskId>#<take>` when that would not fit
 * Discord's 100-character choice value (the take number is stable: clips are numbered in the order first seen).
 */
export type TakeRef = { taskId: string; clipId: string } | { taskId: string; take: number };

/** Discord caps a choice's name and value at 100 characters and a list at 25 choices. */
const CHOICE_MAX = 100;
const CHOICES_MAX = 25;

export function encodeTakeRef(taskId: string, clipId: string, take: number): string {
	const full = `${taskId}:${clipId}`;
	return full.length <= CHOICE_MAX ? full : `${taskId}#${take}`;
}

/** Undefined for text that is not a take reference (someone typed a title without picking from the list). */
export function parseTakeRef(value: string): TakeRef | undefined {
	const text = value.trim();
	const colon = text.lastIndexOf(':');
	if (colon > 0 && colon < text.length - 1) return { taskId: text.slice(0, colon), clipId: text.slice(colon + 1) };
	const hash = /^(.+)#(\d{1,2})$/.exec(text);
	if (hash?.[1] && hash[2]) return { taskId: hash[1], take: Number(hash[2]) };
	return undefined;
}

/** The take named by a custom id's `<taskId>:<clipId>` arguments. */
export function takeRefFromArgs(args: readonly string[]): TakeRef | undefined {
	const [taskId, clipId] = args;
	return taskId && clipId ? { taskId, clipId } : undefined;
}

/** The clip a reference names within its task. */
export function clipOf(task: TaskRecord, ref: TakeRef): ClipRecord | undefined {
	return 'clipId' in ref ? task.clips.find((c) => c.id === ref.clipId) : task.clips.find((c) => c.take === ref.take);
}

/**
 * "Night Drive (extended at 1:20) · take 1 · by Alice · 2:05" in the reader's language, cut to fit: the name gives
 * way first.
 */
export function takeChoiceName(task: TaskRecord, clip: ClipRecord, locale: Locale = 'en'): string {
	const words = takeWords(locale);
	const name = takeName(task, clip, undefined, words);
	const by = t(locale, 'library.by', { who: task.requester.name });
	const tail = [`· ${by}`, clip.durationSec !== undefined ? `· ${clock(clip.durationSec)}` : '']
		.filter(Boolean)
		.join(' ');
	const over = name.length + 1 + tail.length - CHOICE_MAX;
	if (over <= 0) return `${name} ${tail}`;
	const title = (clip.title ?? songTitle(task)).replace(/\s+/g, ' ').trim();
	return `${takeName(task, clip, Math.max(8, title.length - over), words)} ${tail}`.slice(0, CHOICE_MAX);
}

/** Every finished take of the given songs (already newest first), as autocomplete choices in the member's language. */
export function takeChoices(songs: readonly TaskRecord[], locale: Locale = 'en'): { name: string; value: string }[] {
	const choices: { name: string; value: string }[] = [];
	for (const task of songs) {
		const takes = task.clips.filter((c) => c.state === 'complete').sort((a, b) => a.take - b.take);
		for (const clip of takes) {
			if (choices.length >= CHOICES_MAX) return choices;
			choices.push({ name: takeChoiceName(task, clip, locale), value: encodeTakeRef(task.id, clip.id, clip.take) });
		}
	}
	return choices;
}
