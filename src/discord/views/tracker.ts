import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { encodeCustomId } from '../custom-id.ts';
import type { CreditRole } from '../../core/records.ts';
import { type CardTake, songButtons, takeRows } from './card.ts';
import { type Locale, t } from '../i18n.ts';
import { retryRow } from './retry.ts';
import { inlineTitle } from './format.ts';
import { describeTracker, isFinal, quotaText } from './tracker-text.ts';

/** The stages a person sees on the tracker message, in order. */
export type TrackerStage =
	| 'submitting'
	| 'unconfirmed'
	| 'queued'
	| 'lyrics'
	| 'streaming'
	| 'first-done'
	| 'finishing'
	| 'done'
	| 'partial'
	| 'stalled'
	| 'failed';

/** Everything the tracker message shows; built from a task record by the delivery adapter. */
export interface TrackerView {
	/** The server's language: everyone in the channel reads this message. English when unset. */
	locale?: Locale;
	taskId?: string;
	stage: TrackerStage;
	requesterId: string;
	title?: string;
	style?: string;
	model: string;
	mode: 'describe' | 'custom' | 'extend' | 'remix' | 'lyrics' | 'full';
	instrumental?: boolean;
	/** The server's house singer sings it (a persona, src/discord/house-singer.ts). */
	houseSinger?: boolean;
	/** e.g. "extends *Night Drive* at 1:20". */
	lineage?: string;
	progressPct?: number;
	startedAt: number;
	now: number;
	lyrics?: string;
	/** Stream URLs of takes still generating, for "listen early". */
	/** With `clipId`, a "Play in voice" button joins each link (the take is transcoded live from its stream). */
	streams?: { take: number; url: string; clipId?: string }[];
	/** Why it failed or what went wrong with one take, in words a person understands. */
	problem?: string;
	quota?: { userLeft?: number; guildLeft?: number };
	/** The record the Details button opens (the task, or the intent while no task id is known). */
	detailsId?: string;
	/** Each take's progress, for the checklist. */
	takes?: { take: number; state: 'pending' | 'done' | 'failed' }[];
	/** How long songs usually take in this server (src/core/estimate.ts), when enough have finished. */
	usualMs?: number;
	/** A failed song whose quota was given back (src/core/refund.ts). */
	givenBack?: boolean;
	/** Takes posted in the channel, by number: the final state names what was delivered. */
	posted?: number[];
	/** Everyone credited (asked, extended, remixed…); without it the line names the requester. */
	credits?: { role: CreditRole; userId: string }[];
	/** Takes on this message (the song card), in order; the others in `posted` are in messages of their own. */
	card?: CardTake[];
	/** Cover art of the first take on the card. */
	imageUrl?: string;
	/** Buttons other features put on the song's row (after Lyrics, Details, Play all, 🔄 Reroll). */
	songActions?: APIButtonComponent[];
	/** Takes that could not be posted: why, where to download them, and what the retry button names. */
	unposted?: { take: number; clipId: string; reason: string; url?: string }[];
	/** A failed song the provider refused or could not make: offer the form again, filled in as it was. */
	retry?: boolean;
	/** The request can be sent again as it was: 🔄 Reroll when done, Try again when failed (views/retry.ts). */
	again?: boolean;
	/** The same for a submit refused before any task existed: the key its request is kept under. */
	retryKey?: string;
	/** The same for another form (an extension, a remix): its "Fix and try again" custom id (fix-form.ts). */
	fixId?: string;
}

export interface TrackerPayload {
	content: string;
	embeds: APIEmbed[];
	components: APIActionRowComponent<APIButtonComponent>[];
}

const COLOR: Record<TrackerStage, number> = {
	submitting: 0x99aab5,
	unconfirmed: 0xfee75c,
	queued: 0x99aab5,
	lyrics: 0x5865f2,
	streaming: 0x5865f2,
	'first-done': 0x5865f2,
	finishing: 0x5865f2,
	done: 0x57f287,
	partial: 0xfee75c,
	stalled: 0xfee75c,
	failed: 0xed4245,
};

export function renderTracker(view: TrackerView): TrackerPayload {
	const locale = view.locale ?? 'en';
	const unposted = view.stage === 'done' || view.stage === 'partial' ? (view.unposted ?? []) : [];
	const card = view.card ?? [];
	const lines = describeTracker(view);
	const quota = quotaText(view.quota, locale);
	const untitled = t(locale, view.mode === 'lyrics' ? 'card.untitled_lyrics' : 'card.untitled_song');
	const embed: APIEmbed = {
		title: `${view.mode === 'lyrics' ? '📝' : '🎵'} ${view.title ? inlineTitle(view.title, 240) : untitled}`,
		description: lines.join('\n'),
		color: COLOR[view.stage],
		...(quota ? { footer: { text: quota } } : {}),
		...(view.imageUrl && card.length > 0 ? { thumbnail: { url: view.imageUrl } } : {}),
	};
	const streams = isFinal(view.stage) ? [] : (view.streams ?? []);
	const components: APIActionRowComponent<APIButtonComponent>[] = streams.slice(0, 4).map((s) => ({
		type: 1,
		components: [
			{ type: 2, style: 5, label: t(locale, 'card.listen_early', { take: s.take }), url: s.url },
			...(s.clipId && view.taskId
				? [
						{
							type: 2 as const,
							style: 2 as const,
							label: t(locale, 'card.play_in_voice', { take: s.take }),
							emoji: { name: '🔊' },
							custom_id: encodeCustomId('play', 'clip', view.taskId, s.clipId),
						},
					]
				: []),
		],
	}));
	// Discord allows five rows: the song's row (last) always has its place.
	for (const row of takeRows(view.taskId, card, locale)) if (components.length < 4) components.push(row);
	for (const take of unposted) {
		const row = unpostedRow(view.taskId, take, locale);
		if (row && components.length < 4) components.push(row);
	}
	const details = detailsId(view.detailsId);
	const songRow: APIButtonComponent[] = [
		...songButtons(view.taskId, card, view.lyrics !== undefined, locale),
		...(retryRow(view, locale)?.components ?? []),
		...(view.songActions ?? []),
	].slice(0, details ? 4 : 5);
	// The full request and the reference an operator needs live behind this button, never in the channel.
	if (details)
		songRow.push({ type: 2, style: 2, label: t(locale, 'card.details'), emoji: { name: 'ℹ️' }, custom_id: details });
	if (songRow.length > 0) components.push({ type: 1, components: songRow });
	return { content: '', embeds: [embed], components };
}

/** Undefined when the id is too long for a custom id (unusual provider ids): the message works without it. */
function detailsId(id: string | undefined): string | undefined {
	if (!id) return undefined;
	try {
		return encodeCustomId('song', 'details', id);
	} catch {
		return undefined;
	}
}

/** A download link (when the provider gave one) and a button that tries to post the take again. */
function unpostedRow(
	taskId: string | undefined,
	take: NonNullable<TrackerView['unposted']>[number],
	locale: Locale,
): APIActionRowComponent<APIButtonComponent> | undefined {
	const buttons: APIButtonComponent[] = [];
	if (take.url && /^https?:\/\//.test(take.url))
		buttons.push({ type: 2, style: 5, label: t(locale, 'card.download_take', { take: take.take }), url: take.url });
	const retry = taskId ? retryId(taskId, take.clipId) : undefined;
	if (retry)
		buttons.push({
			type: 2,
			style: 1,
			label: t(locale, 'card.post_again', { take: take.take }),
			emoji: { name: '🔁' },
			custom_id: retry,
		});
	return buttons.length > 0 ? { type: 1, components: buttons } : undefined;
}

/** Undefined when the ids are too long for a custom id (unusual provider ids): the download link stays. */
function retryId(taskId: string, clipId: string): string | undefined {
	try {
		return encodeCustomId('song', 'repost', taskId, clipId);
	} catch {
		return undefined;
	}
}
