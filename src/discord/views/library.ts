import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { encodeCustomId } from '../custom-id.ts';
import { clock, escapeMarkdown, listOf, truncate } from './format.ts';

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
}

/** One page of the library; `olderId` / `newerId` are the paging buttons' custom ids (absent: no such page). */
export interface LibraryPageView {
	entries: LibraryEntry[];
	/** Zero-based page number. */
	page: number;
	search?: string;
	olderId?: string;
	newerId?: string;
}

/** Songs per page: one row of Play buttons per song plus the paging row fills Discord's five rows. */
export const LIBRARY_PAGE_SIZE = 4;

type Payload = { content: string; embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] };

/** The message for an empty library (or an empty search): nothing to page, a hint at what to do. */
export function renderEmptyLibrary(search: string | undefined): Payload {
	const content = search
		? `🔎 No song in this server matches “${escapeMarkdown(truncate(search, 100))}”. Try fewer words, or run \`/songs\` without a search.`
		: '🎵 No songs in this server yet. Make the first one with `/song`!';
	return { content, embeds: [], components: [] };
}

export function renderLibraryPage(view: LibraryPageView): Payload {
	const first = view.page * LIBRARY_PAGE_SIZE + 1;
	const blocks = view.entries.map((entry, i) => entryText(entry, first + i));
	const heading = view.search ? `Songs matching “${truncate(view.search, 100)}”` : 'Songs of this server';
	const embed: APIEmbed = {
		title: truncate(`🎵 ${heading}`, 256),
		description: blocks.length ? blocks.join('\n\n') : 'No older songs.',
		color: 0x5865f2,
		footer: { text: `Page ${view.page + 1} · newest first · ▶️ plays a take in your voice channel` },
	};
	const rows: APIActionRowComponent<APIButtonComponent>[] = view.entries.map((entry, i) => ({
		type: 1,
		components: entry.takes.slice(0, 5).map((take) => ({
			type: 2,
			style: 2,
			label: `${first + i} · take ${take.take}`,
			emoji: { name: '▶️' },
			custom_id: encodeCustomId('play', 'clip', entry.taskId, take.clipId),
		})),
	}));
	if (view.newerId || view.olderId)
		rows.push({
			type: 1,
			components: [
				pagingButton('⬅️', 'Previous', view.newerId, 'newer'),
				pagingButton('➡️', 'Next', view.olderId, 'older'),
			],
		});
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
	const title = escapeMarkdown(truncate(entry.title, 80));
	const head = `**${n}. ${title}** · <t:${Math.floor(entry.createdAt / 1000)}:R>`;
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
