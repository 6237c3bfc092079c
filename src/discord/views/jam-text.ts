import type { JamRefusal, SectionType } from '../../core/jam.ts';
import { inlineTitle, listOf } from './format.ts';

/**
 * Every user-visible text of /jam in one place, so the message catalog can take them over: the sheet, its forms,
 * the history, the polls, the final card, and the refusals.
 */

/** Every user-visible text of the jam, in one place (for the message catalog). */
export const TEXT = {
	saved: '✅ Saved.',
	starter: (userId: string, title: string) =>
		`🎸 <@${userId}> started a jam: **${inlineTitle(title)}**. Join the thread to write it together.`,
	threadName: (title: string) => `🎸 ${title}`,
	emptySheet: 'No sections yet. Press **Add section** to write the first one.',
	by: (writers: string[]) => `by ${listOf(writers.map((id) => `<@${id}>`))}`,
	style: 'Style',
	theme: 'About',
	suggestions: 'Style suggestions',
	parts: 'Parts',
	part: (n: number, sections: number[]) => `Part ${n}: sections ${sections.join(', ')}`,
	fullSong: '🎼 Full song on its way',
	footer: (changes: number) => `Jam sheet · ${changes} change${changes === 1 ? '' : 's'} · edited in place`,
	closedFooter: 'This jam is closed.',
	add: 'Add section',
	edit: 'Edit a section…',
	undo: 'Undo last change',
	history: 'History',
	suggest: 'Suggest a style',
	poll: 'Style poll',
	make: 'Make it',
	next: 'Next part',
	full: 'Full song',
	formAdd: 'Add a section',
	formEdit: 'Edit the section',
	formSuggest: 'Suggest a style',
	fieldType: 'Section',
	fieldText: 'Words',
	fieldStyle: 'Style',
	historyTitle: (title: string) => `📜 History of **${inlineTitle(title)}**`,
	historyEmpty: 'Nothing has changed yet.',
	added: 'added',
	edited: 'edited',
	undid: 'undid a change to',
	undone: ' (undone)',
	pollQuestion: 'Which style for the jam?',
	pollIntro: (title: string) => `🗳️ Pick the style of **${inlineTitle(title)}**: the winner is used for the next part.`,
	pollStarted: 'The style poll is open in this thread.',
	styleWon: (style: string) => `🗳️ The style poll picked **${inlineTitle(style)}**.`,
	suggested: (style: string) => `💡 Style suggestion saved: **${inlineTitle(style)}**.`,
	finalTitle: (title: string) => `🎬 ${title}: the jam is over`,
	finalCredits: 'Written by',
	finalSongs: 'Songs',
	finalNoSong: 'No song was made in this jam.',
	finalIdle: (hours: string) =>
		`Closed after ${hours} without activity. The thread is archived; the songs stay in /songs.`,
	partLink: (n: number, url: string) => `[Part ${n}](${url})`,
	libraryPart: (n: number) => `part ${n}`,
	libraryLine: (threadId: string, links: string[]) =>
		`🎸 jam in <#${threadId}>${links.length ? `: ${links.join(' · ')}` : ''}`,
	fullLink: (url: string) => `[Full song](${url})`,
} as const;

/** Why a change was refused, in words. */
export const REFUSALS: Record<
	| JamRefusal
	| 'gone'
	| 'thread'
	| 'no-parts'
	| 'unfinished'
	| 'few-styles'
	| 'busy'
	| 'off'
	| 'type'
	| 'extend'
	| 'concat'
	| 'no-new'
	| 'one-part',
	string
> = {
	closed: 'This jam is closed. Start a new one with /jam.',
	full: 'The sheet is full. Edit a section, or make the song.',
	empty: 'Write some words first.',
	unchanged: 'Nothing was changed.',
	'no-section': 'That section is no longer on the sheet.',
	'nothing-to-undo': 'There is no change to undo.',
	gone: 'I do not know this jam any more.',
	thread: 'Start a jam in a text channel (not in a thread or a voice chat).',
	'no-parts': 'Make the first part with **Make it** first.',
	unfinished: 'Wait until the last part is finished.',
	'few-styles': 'Suggest at least one more style before starting a poll.',
	off: 'Jams are not available in this bot.',
	type: 'Pick the kind of section.',
	extend: 'This music provider cannot extend songs.',
	concat: 'This music provider cannot join the parts into one song.',
	'no-new': 'Write a new section first: the next part sings the sections written since.',
	'one-part': 'Make a next part first: a full song joins parts.',
	busy: 'Someone is starting this jam’s song right now. Look at the thread in a moment.',
};

export const SECTION_LABELS: Record<SectionType, string> = {
	intro: 'Intro',
	verse: 'Verse',
	'pre-chorus': 'Pre-chorus',
	chorus: 'Chorus',
	bridge: 'Bridge',
	outro: 'Outro',
};
