import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { encodeCustomId } from '../custom-id.ts';
import { clock, escapeMarkdown, inlineTitle, listOf, truncate } from './format.ts';

/** One song of the library as /songs lists it. */
export interface LibraryEntry {
	taskId: string;
	title: string;
	/** Everyone credited on the song (asked, wrote lyrics, extended, remixed), in order, without duplicates. */
	authorIds: string[];
	createdAt: number;
	/** e.g. "extends *Night Drive* at 1:20". */
	lineage?: string;
	takes: { clipId: string; take: number; durationSec?: number; jumpUrl?: string }[];
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
}

/** Songs per page: one row of Play buttons per song plus the paging row fills Discord's five rows. */
export const LIBRARY_PAGE_SIZE = 4;

type Payload = { content: string; embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] };

/** The message for an empty library (or an empty filter): nothing to page, a hint at what to do. */
export function renderEmptyLibrary(filter: LibraryFilter): Payload {
	const { search, style, by, order } = filter;
	let content = '🎵 No songs in this server yet. Make the first one with `/song`!';
	if (search)
		content = `🔎 No song in this server matches “${escapeMarkdown(truncate(search, 100))}”. Try fewer words, or run \`/songs\` without a search.`;
	else if (style) content = `🔎 No song in this server has the style “${escapeMarkdown(truncate(style, 100))}”.`;
	else if (by) content = `🔎 <@${by}> has no songs in this server yet.`;
	else if (order === 'top') content = '⭐ No song has won a vote yet. Vote in the polls under new songs!';
	return { content, embeds: [], components: [] };
}

/** The listing's title, from its filter. */
function headingOf(filter: LibraryFilter): string {
	const parts: string[] = [];
	if (filter.search) parts.push(`matching “${truncate(filter.search, 80)}”`);
	if (filter.style) parts.push(`in the style “${truncate(filter.style, 60)}”`);
	const top = filter.order === 'top';
	return `${top ? '⭐ Top songs' : '🎵 Songs'} ${parts.length ? parts.join(' ') : 'of this server'}`;
}

export function renderLibraryPage(view: LibraryPageView): Payload {
	const first = view.page * LIBRARY_PAGE_SIZE + 1;
	const blocks = view.entries.map((entry, i) => entryText(entry, first + i));
	const by = view.filter.by ? `by <@${view.filter.by}>\n\n` : '';
	const order = view.filter.order === 'top' ? 'most votes first' : 'newest first';
	const embed: APIEmbed = {
		title: truncate(headingOf(view.filter), 256),
		description: truncate(`${by}${blocks.length ? blocks.join('\n\n') : 'No more songs.'}`, 4096),
		color: 0x5865f2,
		footer: { text: `Page ${view.page + 1} · ${order} · ▶️ plays a take in your voice channel` },
	};
	const rows: APIActionRowComponent<APIButtonComponent>[] = view.entries.map((entry, i) => ({
		type: 1,
		components: [
			...entry.takes.slice(0, 3).map((take) => ({
				type: 2 as const,
				style: 2 as const,
				label: `${first + i} · take ${take.take}`,
				emoji: { name: '▶️' },
				custom_id: encodeCustomId('play', 'clip', entry.taskId, take.clipId),
			})),
			{
				type: 2 as const,
				style: 2 as const,
				label: `${first + i} · Share`,
				emoji: { name: '📣' },
				custom_id: encodeCustomId('songs', 'share', entry.taskId),
			},
			...(entry.lyricsClipId
				? [
						{
							type: 2 as const,
							style: 2 as const,
							label: `${first + i} · Lyrics`,
							emoji: { name: '📜' },
							custom_id: encodeCustomId('song', 'lyrics', entry.taskId, entry.lyricsClipId),
						},
					]
				: []),
		],
	}));
	const nav: APIButtonComponent[] = [];
	if (view.newerId || view.olderId)
		nav.push(pagingButton('⬅️', 'Previous', view.newerId, 'newer'), pagingButton('➡️', 'Next', view.olderId, 'older'));
	if (view.playAllId && view.entries.length > 0)
		nav.push({ type: 2, style: 1, label: 'Play all', emoji: { name: '▶️' }, custom_id: view.playAllId });
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

function entryText(entry: LibraryEntry, n: number): string {
	const title = inlineTitle(entry.title, 80);
	const star = entry.winner ? ` · ⭐ take ${entry.winner.take} won with ${plural(entry.winner.votes, 'vote')}` : '';
	const head = `**${n}. ${title}** · <t:${Math.floor(entry.createdAt / 1000)}:R>${star}`;
	const by = entry.authorIds.length ? `by ${listOf(entry.authorIds.map((id) => `<@${id}>`))}` : undefined;
	const about = [by, entry.lineage].filter(Boolean).join(' · ');
	const takes = entry.takes
		.map((t) => {
			const label = `take ${t.take}${t.durationSec !== undefined ? ` (${clock(t.durationSec)})` : ''}`;
			return t.jumpUrl ? `[${label}](${t.jumpUrl})` : label;
		})
		.join(' · ');
	return [head, about, takes].filter(Boolean).join('\n');
}

/** Discord's link to a message, which opens it in the channel (where the take can be played or downloaded). */
export function jumpUrl(guildId: string, channelId: string, messageId: string): string {
	return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A song shared in a channel: everyone can see it; the credits stay, nobody is pinged. */
export interface ShareView {
	entry: LibraryEntry;
	sharedBy: string;
	guildId: string;
	channelId: string;
}

export function renderShare(view: ShareView): Payload {
	const { entry } = view;
	const by = entry.authorIds.length ? `by ${listOf(entry.authorIds.map((id) => `<@${id}>`))}` : '';
	const takes = entry.takes
		.map((t) => {
			const label = `Take ${t.take}${t.durationSec !== undefined ? ` (${clock(t.durationSec)})` : ''}`;
			return t.jumpUrl ? `[${label}](${t.jumpUrl})` : label;
		})
		.join(' · ');
	const star = entry.winner ? `⭐ Take ${entry.winner.take} won the vote (${plural(entry.winner.votes, 'vote')})` : '';
	const embed: APIEmbed = {
		title: truncate(`🎵 ${entry.title}`, 256),
		description: [by, entry.lineage, takes, star].filter(Boolean).join('\n'),
		color: 0xeb459e,
		footer: { text: 'Shared from /songs' },
		timestamp: new Date(entry.createdAt).toISOString(),
	};
	const buttons: APIButtonComponent[] = entry.takes.slice(0, 5).map((take) => ({
		type: 2,
		style: 1,
		label: `Play take ${take.take}`,
		emoji: { name: '▶️' },
		custom_id: encodeCustomId('play', 'clip', entry.taskId, take.clipId),
	}));
	return {
		content: `📣 <@${view.sharedBy}> shared a song from <#${view.channelId}>:`,
		embeds: [embed],
		components: buttons.length ? [{ type: 1, components: buttons }] : [],
	};
}

/** The weekly post: the song whose take won its vote with the most votes these seven days. */
export function renderSongOfWeek(entry: LibraryEntry, channelId: string): Payload {
	const card = renderShare({ entry, sharedBy: '', guildId: '', channelId });
	return {
		...card,
		content: `🏆 **Song of the week**, from <#${channelId}>: congratulations to its makers!`,
		embeds: card.embeds.map((e) => ({ ...e, footer: { text: 'Song of the week · most votes these 7 days' } })),
	};
}
