import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { type CreditRole, deliveryMarker } from '../../core/records.ts';
import { encodeCustomId } from '../custom-id.ts';
import { clock, escapeMarkdown, inlineTitle, listOf, truncate } from './format.ts';

/** One finished take, as posted in the channel. */
export interface TakeView {
	taskId: string;
	clipId: string;
	take: number;
	takes: number;
	title: string;
	style?: string;
	durationSec?: number;
	model: string;
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
}

const ROLE_TEXT: Record<CreditRole, string> = {
	asked: 'asked by',
	lyrics: 'lyrics by',
	extended: 'extended by',
	remixed: 'remixed by',
	edited: 'lyrics edited by',
};

export function renderTake(view: TakeView): {
	content: string;
	embeds: APIEmbed[];
	components: APIActionRowComponent<APIButtonComponent>[];
} {
	const title = inlineTitle(view.title, 200);
	const head = view.mention ? `<@${view.requesterId}> your song is ready: ` : '';
	const content = `${head}**${title}** · take ${view.take} of ${view.takes}`;
	const fields = [];
	if (view.style) fields.push({ name: 'Style', value: truncate(escapeMarkdown(view.style), 1024), inline: false });
	if (view.durationSec !== undefined) fields.push({ name: 'Length', value: clock(view.durationSec), inline: true });
	// A full-song join has no model of its own; Discord refuses an empty field.
	if (view.model) fields.push({ name: 'Model', value: view.model, inline: true });
	const credits = creditLine(view.contributors);
	if (credits) fields.push({ name: 'Made by', value: credits, inline: false });
	if (view.lineage) fields.push({ name: 'Lineage', value: view.lineage, inline: false });
	if (view.audio.kind === 'transcoded')
		fields.push({
			name: 'Audio',
			value: `Re-encoded at ${view.audio.bitrateKbps} kb/s to fit this server's upload limit.`,
			inline: false,
		});
	if (view.audio.kind === 'link')
		fields.push({
			name: 'Audio',
			// No URL when the bot refused it (it pointed inside the network, or was not audio).
			value: view.audio.url ? `${view.audio.reason} [Download the take](${view.audio.url})` : view.audio.reason,
			inline: false,
		});
	const description = view.lyrics ? truncate(escapeMarkdown(view.lyrics), 700) : '*Instrumental*';
	const embed: APIEmbed = {
		title: truncate(view.title, 256),
		description,
		color: 0x57f287,
		fields,
		// The marker lets the tracker recognise this message after a crash, so a take is never posted twice.
		footer: { text: `take ${view.take} of ${view.takes} · ${deliveryMarker(view.taskId, view.clipId)}` },
		...(view.imageUrl ? { thumbnail: { url: view.imageUrl } } : {}),
	};
	const buttons: APIButtonComponent[] = [];
	const button = (command: string, action: string, label: string, emoji: string, style = 2) =>
		buttons.push({
			type: 2,
			style,
			label,
			emoji: { name: emoji },
			custom_id: encodeCustomId(command, action, view.taskId, view.clipId),
		});
	if (view.actions.play) button('play', 'clip', 'Play', '▶️', 1);
	// Every take of the song, queued in order; left out where the row would pass Discord's five buttons.
	const more = [view.actions.extend, view.actions.remix, view.lyrics, view.actions.fullSong].filter(Boolean).length;
	if (view.actions.play && view.takes > 1 && more < 4)
		buttons.push({
			type: 2,
			style: 2,
			label: 'Play all',
			emoji: { name: '⏯️' },
			custom_id: encodeCustomId('play', 'all', view.taskId),
		});
	if (view.actions.extend) button('extend', 'open', 'Extend', '➕');
	if (view.actions.remix) button('remix', 'open', 'Remix', '🎛️');
	if (view.lyrics) button('song', 'lyrics', 'Lyrics', '📜');
	if (view.actions.fullSong) button('extend', 'full', 'Full song', '🧩');
	return { content, embeds: [embed], components: buttons.length ? [{ type: 1, components: buttons }] : [] };
}

function creditLine(contributors: TakeView['contributors']): string | undefined {
	const byRole = new Map<CreditRole, string[]>();
	for (const c of contributors) {
		const list = byRole.get(c.role) ?? [];
		if (!list.includes(`<@${c.userId}>`)) list.push(`<@${c.userId}>`);
		byRole.set(c.role, list);
	}
	const parts = [...byRole].map(([role, users]) => `${ROLE_TEXT[role]} ${listOf(users)}`);
	return parts.length ? parts.join(' · ') : undefined;
}
