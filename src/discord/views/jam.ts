import type {
	APIActionRowComponent,
	APIButtonComponentWithCustomId,
	APIEmbed,
	APIStringSelectComponent,
	ButtonStyle,
} from 'discord.js';
import { type Jam, SECTION_MAX, SECTION_TYPES, type SectionType, undoable, writersBySection } from '../../core/jam.ts';
import { encodeCustomId } from '../custom-id.ts';
import type { Locale } from '../i18n.ts';
import { escapeMarkdown, truncate } from './format.ts';
import { jamText } from './jam-text.ts';

export { jamText, REFUSALS, threadName } from './jam-text.ts';

/** What the sheet shows of the jam's songs: links to the tracker messages of the parts. */
export interface JamSongs {
	parts: { url?: string }[];
	fullUrl?: string;
}

/** Discord's limit over all the texts of a message's embeds. */
const EMBED_BUDGET = 6_000;

/**
 * Shortens the longest field values until the fields fit `budget` characters: escaped Markdown can make a sheet
 * within its own limits longer than Discord takes, and a refused edit would lose the change from view.
 */
export function fitFields<T extends { name: string; value: string }>(fields: T[], budget: number): T[] {
	const fitted = fields.map((f) => ({ ...f }));
	const size = () => fitted.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
	// Levels the longest values down (never one section to nothing), until the fields fit.
	for (let excess = size() - budget; excess > 0; excess = size() - budget) {
		const byLength = [...fitted].sort((a, b) => b.value.length - a.value.length);
		const [longest, next] = byLength;
		if (!longest || longest.value.length <= 40) break;
		const target = Math.max(40, longest.value.length - excess, (next?.value.length ?? 0) - 1);
		longest.value = truncate(longest.value, Math.min(target, longest.value.length - 1));
	}
	return fitted;
}

/** The living sheet: one embed field per section with its writers, the style, the parts; buttons below. */
export function renderJamSheet(jam: Jam, features: { concat: boolean }, locale: Locale = 'en') {
	const TEXT = jamText(locale);
	const closed = jam.closedAt !== undefined;
	const sectionFields = writersBySection(jam).map(({ section, writers }, i) => ({
		name: truncate(`${i + 1}. ${TEXT.section(section.type)}`, 256),
		value: truncate(`-# ${TEXT.by(writers)}\n${escapeMarkdown(section.text)}`, 1024),
		inline: false,
	}));
	const extra = [
		{ name: TEXT.style, value: truncate(escapeMarkdown(jam.style), 1024), inline: true },
		...(jam.suggestions.length
			? [
					{
						name: TEXT.suggestions,
						value: truncate(jam.suggestions.map((s) => escapeMarkdown(s.style)).join(' · '), 300),
						inline: true,
					},
				]
			: []),
		...(jam.parts.length ? [{ name: TEXT.parts, value: partsLine(jam, locale), inline: false }] : []),
	];
	const embed: APIEmbed = {
		title: truncate(`🎸 ${jam.title}`, 256),
		description: truncate(
			`${TEXT.theme}: ${escapeMarkdown(jam.theme)}${jam.sections.length ? '' : `\n\n${TEXT.emptySheet}`}`,
			400,
		),
		color: 0xeb459e,
		fields: fitFields([...sectionFields, ...extra], EMBED_BUDGET - 800),
		footer: { text: closed ? TEXT.closedFooter : TEXT.footer(jam.history.length) },
	};
	if (closed) return { content: '', embeds: [embed], components: [] };
	const id = (action: string) => encodeCustomId('jam', action, jam.threadId);
	const button = (action: string, label: string, emoji: string, style = 2, disabled = false) => ({
		type: 2 as const,
		style: style as ButtonStyle.Primary,
		label,
		emoji: { name: emoji },
		custom_id: id(action),
		disabled,
	});
	const rows: APIActionRowComponent<APIButtonComponentWithCustomId | APIStringSelectComponent>[] = [];
	if (jam.sections.length)
		rows.push({
			type: 1,
			components: [
				{
					type: 3,
					custom_id: id('pick'),
					placeholder: TEXT.edit,
					options: jam.sections.map((s, i) => ({
						label: truncate(`${i + 1}. ${TEXT.section(s.type)}: ${s.text.replace(/\s+/g, ' ')}`, 100),
						value: String(s.id),
					})),
				},
			],
		});
	rows.push({
		type: 1,
		components: [
			button('add', TEXT.add, '✍️', 1),
			button('undo', TEXT.undo, '↩️', 2, !undoable(jam)),
			button('history', TEXT.history, '📜'),
		],
	});
	rows.push({ type: 1, components: [button('suggest', TEXT.suggest, '💡'), button('poll', TEXT.poll, '🗳️')] });
	const song =
		jam.parts.length === 0
			? [button('make', TEXT.make, '🎵', 3, jam.sections.length === 0)]
			: [
					button('next', TEXT.next, '➕', 1),
					...(features.concat && jam.parts.length > 1 && (jam.fullSongParts ?? 0) < jam.parts.length
						? [button('full', TEXT.full, '🎼', 3)]
						: []),
				];
	rows.push({ type: 1, components: song });
	return { content: '', embeds: [embed], components: rows };
}

function partsLine(jam: Jam, locale: Locale): string {
	const TEXT = jamText(locale);
	const position = new Map(jam.sections.map((s, i) => [s.id, i + 1]));
	const lines = jam.parts.map((p, i) =>
		TEXT.part(
			i + 1,
			p.sectionIds.flatMap((id) => position.get(id) ?? []),
		),
	);
	if (jam.fullSongTaskId) lines.push(TEXT.fullSong);
	return truncate(lines.join('\n'), 1024);
}

/** The add / edit form: the section type as a select, the words as a paragraph (Label components). */
export function renderSectionForm(customId: string, locale: Locale, prefill?: { type: SectionType; text: string }) {
	const TEXT = jamText(locale);
	return {
		custom_id: customId,
		title: prefill ? TEXT.formEdit : TEXT.formAdd,
		components: [
			{
				type: 18,
				label: TEXT.fieldType,
				component: {
					type: 3,
					custom_id: 'type',
					required: true,
					min_values: 1,
					max_values: 1,
					options: SECTION_TYPES.map((t) => ({
						label: TEXT.section(t),
						value: t,
						...(prefill?.type === t || (!prefill && t === 'verse') ? { default: true } : {}),
					})),
				},
			},
			{
				type: 18,
				label: TEXT.fieldText,
				component: {
					type: 4,
					custom_id: 'text',
					style: 2,
					required: true,
					max_length: SECTION_MAX,
					...(prefill ? { value: prefill.text } : {}),
				},
			},
		],
	};
}

export function renderStyleForm(customId: string, max: number, locale: Locale = 'en') {
	const TEXT = jamText(locale);
	return {
		custom_id: customId,
		title: TEXT.formSuggest,
		components: [
			{
				type: 18,
				label: TEXT.fieldStyle,
				component: { type: 4, custom_id: 'style', style: 1, required: true, max_length: Math.min(max, 100) },
			},
		],
	};
}

/** "who did what, when", newest first. */
export function renderHistory(jam: Jam, locale: Locale = 'en'): string {
	const TEXT = jamText(locale);
	const lines = [...jam.history]
		.reverse()
		.slice(0, 25)
		.map((c) => TEXT.historyLine(c));
	return truncate([TEXT.historyTitle(jam.title), ...(lines.length ? lines : [TEXT.historyEmpty])].join('\n'), 2000);
}

/** The style poll, open for `hours` (the server's setting, 1 to 768 as Discord allows). */
export function renderStylePoll(jam: Jam, styles: string[], locale: Locale = 'en', hours = 1) {
	const TEXT = jamText(locale);
	return {
		content: TEXT.pollIntro(jam.title),
		poll: {
			question: { text: TEXT.pollQuestion },
			answers: styles.map((s) => ({ text: truncate(s, 55) })),
			duration: hours,
			allowMultiselect: false,
		},
	};
}

/** The card the thread ends with: who wrote which section, and the songs. */
export function renderFinalCard(jam: Jam, songs: JamSongs, idleText: string, locale: Locale = 'en') {
	const TEXT = jamText(locale);
	const credits = writersBySection(jam).map(
		({ section, writers }, i) => `${i + 1}. ${TEXT.section(section.type)}: ${TEXT.writers(writers)}`,
	);
	const links = songs.parts.flatMap((p, i) => (p.url ? [TEXT.partLink(i + 1, p.url)] : []));
	if (songs.fullUrl) links.push(TEXT.fullLink(songs.fullUrl));
	const embed: APIEmbed = {
		title: truncate(TEXT.finalTitle(jam.title), 256),
		description: truncate(idleText, 1000),
		color: 0x57f287,
		fields: [
			{ name: TEXT.finalCredits, value: truncate(credits.join('\n') || '—', 1024), inline: false },
			{ name: TEXT.finalSongs, value: truncate(links.join(' · ') || TEXT.finalNoSong, 1024), inline: false },
		],
	};
	return { content: '', embeds: [embed] };
}
