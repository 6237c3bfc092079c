import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { encodeCustomId } from '../custom-id.ts';
import type { CreditRole } from '../../core/records.ts';
import { type CardTake, cardLines, creditLine, songButtons, takeRows, whereText } from './card.ts';
import { type Locale, type MessageKey, t } from '../i18n.ts';
import { retryRow } from './retry.ts';
import { clock, escapeMarkdown, inlineTitle, progressBar, truncate } from './format.ts';

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

const STAGE_KEY: Record<TrackerStage, MessageKey & `card.stage_${string}`> = {
	submitting: 'card.stage_submitting',
	unconfirmed: 'card.stage_unconfirmed',
	queued: 'card.stage_queued',
	lyrics: 'card.stage_lyrics',
	streaming: 'card.stage_streaming',
	'first-done': 'card.stage_first_done',
	finishing: 'card.stage_finishing',
	done: 'card.stage_done',
	partial: 'card.stage_partial',
	stalled: 'card.stage_stalled',
	failed: 'card.stage_failed',
};

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

/** How the request was made ("from a description"), shared with the Details reply. */
export const MODE_KEY: Record<TrackerView['mode'], MessageKey & `card.mode_${string}`> = {
	describe: 'card.mode_describe',
	custom: 'card.mode_custom',
	extend: 'card.mode_extend',
	remix: 'card.mode_remix',
	lyrics: 'card.mode_lyrics',
	full: 'card.mode_full',
};

/** Characters of the style the message shows; the rest is behind the Details button. */
export const STYLE_PREVIEW = 150;
/** Characters of lyrics the message shows: a glimpse. The Lyrics button and /songs have them in full. */
export const LYRICS_PREVIEW = 160;

export function renderTracker(view: TrackerView): TrackerPayload {
	const locale = view.locale ?? 'en';
	const unposted = view.stage === 'done' || view.stage === 'partial' ? (view.unposted ?? []) : [];
	const lines: string[] = [];
	const steps = checklist(view);
	// The checklist stays on top while the song is made, so a glance tells how far it got.
	if (steps) lines.push(steps);
	lines.push(finalText(view, unposted.length) ?? t(locale, STAGE_KEY[view.stage]));
	if (view.problem) lines.push(view.problem);
	if (view.givenBack && view.stage === 'failed') lines.push(t(locale, 'card.given_back'));
	const card = view.card ?? [];
	lines.push(...cardLines(card));
	for (const take of unposted) lines.push(take.reason.endsWith('.') ? take.reason : `${take.reason}.`);
	if (unposted.length > 0) lines.push(t(locale, unposted.length > 1 ? 'card.download_many' : 'card.download_one'));
	if (view.progressPct !== undefined && !isFinal(view.stage)) lines.push(progressBar(view.progressPct));
	lines.push(timeLine(view));
	lines.push(metaLine(view));
	// Once the takes are posted the lyrics are behind the Lyrics button and the style is cut short (in full behind
	// Details): the final card stays short. A failed song keeps them, so the person sees what was asked.
	const settled = view.stage === 'done' || view.stage === 'partial';
	if (view.style && (!settled || card.length > 0))
		lines.push(`**${t(locale, 'card.style')}:** ${escapeMarkdown(truncate(oneLine(view.style), STYLE_PREVIEW))}`);
	if (view.lyrics && !settled && card.length === 0)
		lines.push(`**${t(locale, 'card.lyrics')}:** ${escapeMarkdown(truncate(oneLine(view.lyrics), LYRICS_PREVIEW))}`);
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

/** "✅ Queued → ✅ Lyrics → ⏳ Take 1 → ▫️ Take 2" while the song is made; undefined once it is settled. */
export function checklist(view: TrackerView): string | undefined {
	const live: TrackerStage[] = ['submitting', 'queued', 'lyrics', 'streaming', 'first-done', 'finishing', 'stalled'];
	if (!live.includes(view.stage) || view.mode === 'lyrics') return undefined;
	const order: TrackerStage[] = ['submitting', 'queued', 'lyrics', 'streaming'];
	// A stalled song says no stage of its own: it got as far as what it already shows (lyrics, a finished take).
	const stalledAt = view.lyrics !== undefined || view.takes?.some((t) => t.state === 'done') ? 3 : 1;
	const reached =
		view.stage === 'stalled'
			? stalledAt
			: Math.min(order.indexOf(view.stage) === -1 ? 3 : order.indexOf(view.stage), 3);
	const mark = (done: boolean, current: boolean) => (done ? '✅' : current ? '⏳' : '▫️');
	const locale = view.locale ?? 'en';
	const steps = [`${mark(reached > 0, reached === 0)} ${t(locale, 'card.step_sending')}`];
	steps.push(`${mark(reached > 1, reached === 1)} ${t(locale, 'card.step_queued')}`);
	// Instrumentals, extensions of an instrumental and full-song joins have no lyrics to write.
	if (!view.instrumental && view.mode !== 'full')
		steps.push(`${mark(reached > 2, reached === 2)} ${t(locale, 'card.step_lyrics')}`);
	const takes = view.takes ?? [
		{ take: 1, state: 'pending' as const },
		{ take: 2, state: 'pending' as const },
	];
	for (const step of takes)
		steps.push(
			`${step.state === 'done' ? '✅' : step.state === 'failed' ? '❌' : mark(false, reached === 3)} ${t(locale, 'card.step_take', { take: step.take })}`,
		);
	// The first step only matters while it is the current one.
	return (reached > 0 ? steps.slice(1) : steps).join(' → ');
}

/** "⏱️ 0:23 so far · usually about 40 s", or "⏱️ Took 0:42" once settled. */
function timeLine(view: TrackerView): string {
	const locale = view.locale ?? 'en';
	const elapsed = clock((view.now - view.startedAt) / 1000);
	if (isFinal(view.stage)) return t(locale, 'card.took', { elapsed });
	const usual =
		view.usualMs !== undefined ? ` · ${t(locale, 'card.usually', { about: aboutText(view.usualMs, locale) })}` : '';
	return t(locale, 'card.so_far', { elapsed }) + usual;
}

/** "about 40 s", "about 3 min": a person's sense of the time, not a stopwatch. */
export function aboutText(ms: number, locale: Locale = 'en'): string {
	const sec = ms / 1000;
	if (sec < 90) return t(locale, 'card.about_sec', { sec: Math.max(5, Math.round(sec / 5) * 5) });
	return t(locale, 'card.about_min', { min: Math.round(sec / 60) });
}

/** Who asked, what it builds on, the model and the kind: one line. */
function metaLine(view: TrackerView): string {
	const locale = view.locale ?? 'en';
	const mode = t(locale, MODE_KEY[view.mode]);
	const kind = view.instrumental ? t(locale, 'card.with_instrumental', { kind: mode }) : mode;
	const who =
		(view.credits && creditLine(view.credits, locale)) ?? t(locale, 'card.asked_by', { user: view.requesterId });
	const singer = view.houseSinger ? t(locale, 'card.house_singer') : undefined;
	return [who, view.lineage, view.model || undefined, kind, singer].filter(Boolean).join(' · ');
}

function oneLine(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
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

/** "Done: takes 1 and 2 are below", or what was and was not posted; undefined before the song is done. */
function finalText(view: TrackerView, unposted: number): string | undefined {
	if ((view.stage !== 'done' && view.stage !== 'partial') || view.posted === undefined) return undefined;
	const locale = view.locale ?? 'en';
	const posted = view.posted;
	const here = (view.card ?? []).map((take) => take.take);
	const where = whereText(
		here,
		posted.filter((n) => !here.includes(n)),
		locale,
	);
	if (unposted === 0 && view.stage === 'done') return t(locale, 'card.final_done', { where });
	if (unposted === 0) return t(locale, 'card.final_other_failed', { where });
	if (posted.length === 0) return t(locale, 'card.final_none_posted');
	return t(locale, 'card.final_some_posted', { where });
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

export function isFinal(stage: TrackerStage): boolean {
	return stage === 'done' || stage === 'partial' || stage === 'failed';
}

function quotaText(quota: TrackerView['quota'], locale: Locale): string | undefined {
	if (!quota) return undefined;
	const you = quota.userLeft !== undefined ? t(locale, 'card.left_for_you', { count: quota.userLeft }) : undefined;
	const server =
		quota.guildLeft !== undefined ? t(locale, 'card.left_for_server', { count: quota.guildLeft }) : undefined;
	return you && server ? t(locale, 'card.left_both', { you, server }) : (you ?? server);
}
