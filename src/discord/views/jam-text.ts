import type { JamChange, JamRefusal, SectionType } from '../../core/jam.ts';
import { type Message, type MessageKey, msg } from '../../i18n/index.ts';
import { type Locale, t } from '../i18n.ts';
import { inlineTitle } from './format.ts';

/**
 * Every user-visible text of /jam, from the catalog (`jam.*`): the sheet, its forms, the history, the polls, the
 * final card, and the refusals. Posts everyone in the thread reads take the server's locale, replies the member's.
 */

/** "a, b and c" as the reader's language joins a list. */
function listIn(locale: Locale, items: readonly string[]): string {
	return new Intl.ListFormat(locale === 'en' ? 'en-GB' : locale, { type: 'conjunction' }).format(items);
}

/** Members as mentions, listed as the reader's language lists. */
function mentions(locale: Locale, userIds: readonly string[]): string {
	return listIn(
		locale,
		userIds.map((id) => `<@${id}>`),
	);
}

/** A duration as the reader says it ("3 hours", "3小时"). */
function spanIn(locale: Locale, value: number, unit: 'hour' | 'minute' | 'second'): string {
	return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

const SECTION_KEYS = {
	intro: 'jam.section_intro',
	verse: 'jam.section_verse',
	'pre-chorus': 'jam.section_pre_chorus',
	chorus: 'jam.section_chorus',
	bridge: 'jam.section_bridge',
	outro: 'jam.section_outro',
} as const satisfies Record<SectionType, MessageKey>;

/** The jam's texts in `locale`. */
export function jamText(locale: Locale) {
	return {
		saved: t(locale, 'jam.saved'),
		starter: (userId: string, title: string) => t(locale, 'jam.starter', { user: userId, title: inlineTitle(title) }),
		emptySheet: t(locale, 'jam.empty_sheet'),
		by: (writers: string[]) => t(locale, 'jam.by', { writers: mentions(locale, writers) }),
		writers: (writers: string[]) => mentions(locale, writers),
		style: t(locale, 'jam.style'),
		theme: t(locale, 'jam.theme'),
		suggestions: t(locale, 'jam.suggestions'),
		parts: t(locale, 'jam.parts'),
		part: (n: number, sections: number[]) => t(locale, 'jam.part', { n, sections: sections.join(', ') }),
		fullSong: t(locale, 'jam.full_song_coming'),
		footer: (changes: number) => (changes === 1 ? t(locale, 'jam.footer_one') : t(locale, 'jam.footer', { changes })),
		closedFooter: t(locale, 'jam.closed_footer'),
		add: t(locale, 'jam.add'),
		edit: t(locale, 'jam.edit'),
		undo: t(locale, 'jam.undo'),
		history: t(locale, 'jam.history'),
		suggest: t(locale, 'jam.suggest'),
		poll: t(locale, 'jam.poll'),
		make: t(locale, 'jam.make'),
		next: t(locale, 'jam.next'),
		full: t(locale, 'jam.full'),
		formAdd: t(locale, 'jam.form_add'),
		formEdit: t(locale, 'jam.form_edit'),
		formSuggest: t(locale, 'jam.suggest'),
		fieldType: t(locale, 'jam.field_type'),
		fieldText: t(locale, 'jam.field_text'),
		fieldStyle: t(locale, 'jam.style'),
		section: (type: SectionType) => t(locale, SECTION_KEYS[type]),
		historyTitle: (title: string) => t(locale, 'jam.history_title', { title: inlineTitle(title) }),
		historyEmpty: t(locale, 'jam.history_empty'),
		historyLine: (change: JamChange) => {
			const key =
				change.action === 'add'
					? 'jam.history_added'
					: change.action === 'edit'
						? 'jam.history_edited'
						: 'jam.history_undid';
			// English names the section mid-sentence ("added the chorus"); the other catalogs' lines keep the name as
			// it is (lowercasing would turn Japanese "Aメロ" into "aメロ").
			const name = t(locale, SECTION_KEYS[change.type]);
			const section = locale === 'en' ? name.toLowerCase() : name;
			const line = t(locale, key, { at: change.at, user: change.userId, section });
			return change.undone ? t(locale, 'jam.history_undone', { line }) : line;
		},
		pollQuestion: t(locale, 'jam.poll_question'),
		pollIntro: (title: string) => t(locale, 'jam.poll_intro', { title: inlineTitle(title) }),
		styleWon: (style: string) => t(locale, 'jam.style_won', { style: inlineTitle(style) }),
		finalTitle: (title: string) => t(locale, 'jam.final_title', { title }),
		finalCredits: t(locale, 'jam.final_credits'),
		finalSongs: t(locale, 'jam.final_songs'),
		finalNoSong: t(locale, 'jam.final_no_song'),
		finalIdle: (value: number, unit: 'hour' | 'minute' | 'second') =>
			t(locale, 'jam.final_idle', { span: spanIn(locale, value, unit) }),
		partLink: (n: number, url: string) => `[${t(locale, 'jam.part_label', { n })}](${url})`,
		fullLink: (url: string) => `[${t(locale, 'jam.full')}](${url})`,
		libraryPart: (n: number) => t(locale, 'jam.library_part', { n }),
		libraryLine: (threadId: string, links: string[]) =>
			links.length
				? t(locale, 'jam.library_line', { thread: threadId, links: links.join(' · ') })
				: t(locale, 'jam.library_line_empty', { thread: threadId }),
	};
}

export type JamText = ReturnType<typeof jamText>;

/** The thread's name: the song's title (no words of the bot's, so no locale). */
export const threadName = (title: string) => `🎸 ${title}`;

/** Why a change was refused, as a catalog message (shown in each reader's language). */
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
	| 'one-part'
	| 'poll-open',
	Message
> = {
	closed: msg('jam.refused_closed'),
	full: msg('jam.refused_full'),
	empty: msg('jam.refused_empty'),
	unchanged: msg('jam.refused_unchanged'),
	'no-section': msg('jam.refused_no_section'),
	'nothing-to-undo': msg('jam.refused_nothing_to_undo'),
	gone: msg('jam.refused_gone'),
	thread: msg('jam.refused_thread'),
	'no-parts': msg('jam.refused_no_parts'),
	unfinished: msg('jam.refused_unfinished'),
	'few-styles': msg('jam.refused_few_styles'),
	off: msg('jam.refused_off'),
	type: msg('jam.refused_type'),
	extend: msg('error.provider.extend'),
	concat: msg('jam.refused_concat'),
	'no-new': msg('jam.refused_no_new'),
	'one-part': msg('jam.refused_one_part'),
	busy: msg('jam.refused_busy'),
	'poll-open': msg('jam.poll_started'),
};
