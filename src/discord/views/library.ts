import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { encodeCustomId } from '../custom-id.ts';
import { clock, escapeMarkdown, inlineTitle, truncate } from './format.ts';
import { type Locale, listText, t } from '../i18n.ts';

/** One song of the library as /songs lists it. */
export interface LibraryEntry {
	taskId: string;
	title: string;
	/** Everyone credited on the song (asked, wrote lyrics, extended, remixed), in order, without duplicates. */
	authorIds: string[];
	createdAt: number;
	/** e.g. "extends *Night Drive* at 1:20". */
	lineage?: string;
	/** `wavUrl`: the take's lossless WAV, made by the studio (a download link the provider keeps about 15 days). */
	takes: { clipId: string; take: number; durationSec?: number; jumpUrl?: string; wavUrl?: string }[];
	/** The take that won the channel's vote, with its votes. */
	winner?: { take: number; votes: number };
	/** The take whose lyrics the Lyrics button shows (absent: instrumental, no button). */
	lyricsClipId?: string;
}

/** What a listing shows: all songs, a search, a style, a person's, or the vote winners. */
export interface LibraryFilter {
	search?: string;
	style?: string;
	by?: string;
	order?: 'newest' | 'top';
}

/** One page of the library; `olderId` / `newerId` are the paging buttons' custom ids (absent: no such page). */
export interface LibraryPageView {
	entries: LibraryEntry[];
	/** Zero-based page number. */
	page: number;
	filter: LibraryFilter;
	olderId?: string;
	newerId?: string;
	/** The Play all button's custom id (queues the listed songs). */
	playAllId?: string;
	/** The reader's language (English when unset). */
	locale?: Locale;
}

/** Songs per page: one row of Play buttons per song plus the paging row fills Discord's five rows. */
export const LIBRARY_PAGE_SIZE = 4;

type Payload = { content: string; embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] };

/** The message for an empty library (or an empty filter): nothing to page, a hint at what to do. */
export function renderEmptyLibrary(filter: LibraryFilter, locale: Locale = 'en'): Payload {
	const { search, style, by, order } = filter;
	let content = t(locale, 'library.empty');
	if (search) content = t(locale, 'library.empty_search', { search: escapeMarkdown(truncate(search, 100)) });
	else if (style) content = t(locale, 'library.empty_style', { style: escapeMarkdown(truncate(style, 100)) });
	else if (by) content = t(locale, 'library.empty_by', { user: by });
	else if (order === 'top') content = t(locale, 'library.empty_top');
	return { content, embeds: [], components: [] };
}

/** The listing's title, from its filter. */
function headingOf(filter: LibraryFilter, locale: Locale): string {
	const parts: string[] = [];
	if (filter.search) parts.push(t(locale, 'library.matching', { search: truncate(filter.search, 80) }));
	if (filter.style) parts.push(t(locale, 'library.in_style', { style: truncate(filter.style, 60) }));
	const top = filter.order === 'top';
	const what = parts.length ? parts.join(' ') : t(locale, 'library.of_server');
	return t(locale, top ? 'library.heading_top' : 'library.heading', { what });
}

export function renderLibraryPage(view: LibraryPageView): Payload {
	const locale = view.locale ?? 'en';
	const first = view.page * LIBRARY_PAGE_SIZE + 1;
	const blocks = view.entries.map((entry, i) => entryText(entry, first + i, locale));
	const by = view.filter.by ? `${t(locale, 'library.by', { who: `<@${view.filter.by}>` })}\n\n` : '';
	const order = t(locale, view.filter.order === 'top' ? 'library.order_top' : 'library.order_newest');
	const embed: APIEmbed = {
		title: truncate(headingOf(view.filter, locale), 256),
		description: truncate(`${by}${blocks.length ? blocks.join('\n\n') : t(locale, 'library.no_more')}`, 4096),
		color: 0x5865f2,
		footer: { text: t(locale, 'library.footer', { page: view.page + 1, order }) },
	};
	const rows: APIActionRowComponent<APIButtonComponent>[] = view.entries.map((entry, i) => ({
		type: 1,
		components: [
			...entry.takes.slice(0, 3).map((take) => ({
				type: 2 as const,
				style: 2 as const,
				label: t(locale, 'library.button_take', { n: first + i, take: take.take }),
				emoji: { name: '▶️' },
				custom_id: encodeCustomId('play', 'clip', entry.taskId, take.clipId),
			})),
			{
				type: 2 as const,
				style: 2 as const,
				label: t(locale, 'library.button_share', { n: first + i }),
				emoji: { name: '📣' },
				custom_id: encodeCustomId('songs', 'share', entry.taskId),
			},
			...(entry.lyricsClipId
				? [
						{
							type: 2 as const,
							style: 2 as const,
							label: t(locale, 'library.button_lyrics', { n: first + i }),
							emoji: { name: '📜' },
							custom_id: encodeCustomId('song', 'lyrics', entry.taskId, entry.lyricsClipId),
						},
					]
				: []),
		],
	}));
	const nav: APIButtonComponent[] = [];
	if (view.newerId || view.olderId)
		nav.push(
			pagingButton('⬅️', t(locale, 'library.previous'), view.newerId, 'newer'),
			pagingButton('➡️', t(locale, 'library.next'), view.olderId, 'older'),
		);
	if (view.playAllId && view.entries.length > 0)
		nav.push({
			type: 2,
			style: 1,
			label: t(locale, 'library.play_all'),
			emoji: { name: '▶️' },
			custom_id: view.playAllId,
		});
	if (nav.length) rows.push({ type: 1, components: nav });
	return { content: '', embeds: [embed], components: rows };
}

function pagingButton(emoji: string, label: string, id: string | undefined, which: string): APIButtonComponent {
	// A disabled button still needs an id unique within the message; it is never clicked.
	return {
		type: 2,
		style: 1,
		label,
		emoji: { name: emoji },
		custom_id: id ?? encodeCustomId('songs', 'none', which),
		disabled: id === undefined,
	};
}

function entryText(entry: LibraryEntry, n: number, locale: Locale): string {
	const title = inlineTitle(entry.title, 80);
	const star = entry.winner ? ` · ${votesWon(locale, entry.winner.take, entry.winner.votes)}` : '';
	const head = `**${n}. ${title}** · <t:${Math.floor(entry.createdAt / 1000)}:R>${star}`;
	const authors = entry.authorIds.map((id) => `<@${id}>`);
	const by = authors.length ? t(locale, 'library.by', { who: listText(locale, authors) }) : undefined;
	const about = [by, entry.lineage].filter(Boolean).join(' · ');
	const takes = entry.takes
		.map((take) => {
			const length = take.durationSec !== undefined ? ` (${clock(take.durationSec)})` : '';
			const label = `${t(locale, 'library.take', { take: take.take })}${length}`;
			const wav = take.wavUrl ? ` ${t(locale, 'library.wav_link', { url: take.wavUrl })}` : '';
			return `${take.jumpUrl ? `[${label}](${take.jumpUrl})` : label}${wav}`;
		})
		.join(' · ');
	return [head, about, takes].filter(Boolean).join('\n');
}

/** Discord's link to a message, which opens it in the channel (where the take can be played or downloaded). */
export function jumpUrl(guildId: string, channelId: string, messageId: string): string {
	return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

/** "⭐ take 2 won with 3 votes". */
function votesWon(locale: Locale, take: number, votes: number): string {
	return t(locale, votes === 1 ? 'library.won_one' : 'library.won', { take, votes });
}

/** A song shared in a channel: everyone can see it; the credits stay, nobody is pinged. */
export interface ShareView {
	entry: LibraryEntry;
	sharedBy: string;
	guildId: string;
	channelId: string;
	/** The server's language: a shared song is posted for everyone (English when unset). */
	locale?: Locale;
}

export function renderShare(view: ShareView): Payload {
	const { entry } = view;
	const locale = view.locale ?? 'en';
	const authors = entry.authorIds.map((id) => `<@${id}>`);
	const by = authors.length ? t(locale, 'library.by', { who: listText(locale, authors) }) : '';
	const takes = entry.takes
		.map((take) => {
			const length = take.durationSec !== undefined ? ` (${clock(take.durationSec)})` : '';
			const label = `${t(locale, 'library.take_title', { take: take.take })}${length}`;
			return take.jumpUrl ? `[${label}](${take.jumpUrl})` : label;
		})
		.join(' · ');
	const star = entry.winner
		? t(locale, entry.winner.votes === 1 ? 'library.won_vote_one' : 'library.won_vote', {
				take: entry.winner.take,
				votes: entry.winner.votes,
			})
		: '';
	const embed: APIEmbed = {
		title: truncate(`🎵 ${entry.title}`, 256),
		description: [by, entry.lineage, takes, star].filter(Boolean).join('\n'),
		color: 0xeb459e,
		footer: { text: t(locale, 'library.shared_footer') },
		timestamp: new Date(entry.createdAt).toISOString(),
	};
	const buttons: APIButtonComponent[] = entry.takes.slice(0, 5).map((take) => ({
		type: 2,
		style: 1,
		label: t(locale, 'library.play_take', { take: take.take }),
		emoji: { name: '▶️' },
		custom_id: encodeCustomId('play', 'clip', entry.taskId, take.clipId),
	}));
	return {
		content: t(locale, 'library.shared', { user: view.sharedBy, channel: view.channelId }),
		embeds: [embed],
		components: buttons.length ? [{ type: 1, components: buttons }] : [],
	};
}

/** The weekly post: the song whose take won its vote with the most votes these seven days. */
export function renderSongOfWeek(entry: LibraryEntry, channelId: string, locale: Locale = 'en'): Payload {
	const card = renderShare({ entry, sharedBy: '', guildId: '', channelId, locale });
	return {
		...card,
		content: t(locale, 'library.week', { channel: channelId }),
		embeds: card.embeds.map((e) => ({ ...e, footer: { text: t(locale, 'library.week_footer') } })),
	};
}
