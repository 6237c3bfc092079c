import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import type { CreditRole } from '../../core/records.ts';
import { encodeCustomId } from '../custom-id.ts';
import { type Locale, t } from '../i18n.ts';
import { creditLine } from './card.ts';
import { clock, escapeMarkdown, inlineTitle, truncate } from './format.ts';
import { STYLE_PREVIEW } from './tracker-text.ts';

/** One finished take, as posted in the channel. */
export interface TakeView {
	/** The server's language: the take is posted in the channel for everyone. English when unset. */
	locale?: Locale;
	taskId: string;
	clipId: string;
	take: number;
	takes: number;
	title: string;
	/** The take's one name (src/core/take-name.ts): "Night Drive (extended at 1:20) · take 1". */
	name: string;
	style?: string;
	durationSec?: number;
	model: string;
	/** Only whether there are lyrics (the Lyrics button): they are shown once, behind it, never in the channel. */
	lyrics?: string;
	imageUrl?: string;
	requesterId: string;
	/** Mention the requester (only on the first take that is posted, so nobody is pinged twice). */
	mention: boolean;
	contributors: { role: CreditRole; userId: string }[];
	lineage?: string;
	/** How the audio reached Discord. */
	audio:
		{ kind: 'original' } | { kind: 'transcoded'; bitrateKbps: number } | { kind: 'link'; url: string; reason: string };
	actions: { extend: boolean; remix: boolean; play: boolean; fullSong: boolean };
	/**
	 * Buttons other features add. `take`: after Play, Extend, Remix on this take's row (studio tools: Split, WAV,
	 * Video); `song`: after Lyrics and Details on the song's row (🔄 Reroll). Each row holds five buttons at most:
	 * what does not fit is left out.
	 */
	extraActions?: { take?: APIButtonComponent[]; song?: APIButtonComponent[] };
	/** Why this take has a message of its own instead of being on the song card. */
	alone?: string;
}

/*
 * Why an embed and a plain attachment, not Components V2: a plain audio attachment is what the Discord client shows
 * with its inline player, while Discord documents the V2 file component only as "an uploaded file displayed as an
 * attachment" and the media gallery as images and videos, so neither promises the player. In a V2 message every file
 * must also be referenced by a component, so each later edit has to list every file it keeps: a paced re-render made
 * from a record a moment old would then drop a take already posted.
 */

/** Discord's limit of buttons in one row. */
const ROW_MAX = 5;

/**
 * The custom id of a take's Details button, which is also its delivery marker: after a crash the tracker finds
 * the take's message by it (src/discord/take-search.ts), and nobody sees it.
 */
export function takeMarkerId(taskId: string, clipId: string): string {
	return encodeCustomId('song', 'details', taskId, clipId);
}

export function renderTake(view: TakeView): {
	content: string;
	embeds: APIEmbed[];
	components: APIActionRowComponent<APIButtonComponent>[];
} {
	const locale = view.locale ?? 'en';
	const head = view.mention ? `<@${view.requesterId}> ${t(locale, 'card.ready')} ` : '';
	const content = `${head}**${inlineTitle(view.name, 200)}**`;
	// Who made it, what it builds on, how long it is and the model: one line.
	const about = [
		creditLine(view.contributors, locale),
		view.lineage,
		view.durationSec !== undefined ? clock(view.durationSec) : undefined,
		view.model || undefined,
	].filter(Boolean);
	const lines = [about.join(' · ')];
	if (view.style)
		lines.push(
			`**${t(locale, 'card.style')}:** ${escapeMarkdown(truncate(view.style.replace(/\s+/g, ' ').trim(), STYLE_PREVIEW))}`,
		);
	if (view.audio.kind === 'transcoded') lines.push(t(locale, 'card.reencoded', { kbps: view.audio.bitrateKbps }));
	if (view.alone) lines.push(view.alone);
	if (view.audio.kind === 'link')
		// No URL when the bot refused it (it pointed inside the network, or was not audio).
		lines.push(
			view.audio.url
				? `${view.audio.reason} [${t(locale, 'card.download_link')}](${view.audio.url})`
				: view.audio.reason,
		);
	const embed: APIEmbed = {
		title: truncate(view.name, 256),
		description: lines.filter(Boolean).join('\n'),
		color: 0x57f287,
		...(view.imageUrl ? { thumbnail: { url: view.imageUrl } } : {}),
	};
	const takeRow: APIButtonComponent[] = [];
	const button = (command: string, action: string, label: string, emoji: string, style = 2): APIButtonComponent => ({
		type: 2,
		style,
		label,
		emoji: { name: emoji },
		custom_id: encodeCustomId(command, action, view.taskId, view.clipId),
	});
	if (view.actions.play) takeRow.push(button('play', 'clip', t(locale, 'card.play'), '▶️', 1));
	if (view.actions.extend) takeRow.push(button('extend', 'open', t(locale, 'card.extend'), '➕'));
	if (view.actions.remix) takeRow.push(button('remix', 'open', t(locale, 'card.remix'), '🎛️'));
	if (view.actions.fullSong) takeRow.push(button('extend', 'full', t(locale, 'card.full_song'), '🧩'));
	takeRow.push(...(view.extraActions?.take ?? []));
	const songRow: APIButtonComponent[] = [];
	if (view.lyrics) songRow.push(button('song', 'lyrics', t(locale, 'card.lyrics'), '📜'));
	// The full style and the request live behind Details; its custom id is the take's delivery marker.
	songRow.push({
		type: 2,
		style: 2,
		label: t(locale, 'card.details'),
		emoji: { name: 'ℹ️' },
		custom_id: takeMarkerId(view.taskId, view.clipId),
	});
	// Every take of the song, queued in order.
	if (view.actions.play && view.takes > 1)
		songRow.push({
			type: 2,
			style: 2,
			label: t(locale, 'card.play_all'),
			emoji: { name: '⏯️' },
			custom_id: encodeCustomId('play', 'all', view.taskId),
		});
	songRow.push(...(view.extraActions?.song ?? []));
	const rows = [takeRow, songRow].filter((row) => row.length > 0);
	return {
		content,
		embeds: [embed],
		components: rows.map((row) => ({ type: 1, components: row.slice(0, ROW_MAX) })),
	};
}
