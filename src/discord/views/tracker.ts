import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { encodeCustomId } from '../custom-id.ts';
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
	taskId?: string;
	stage: TrackerStage;
	requesterId: string;
	title?: string;
	style?: string;
	model: string;
	mode: 'describe' | 'custom' | 'extend' | 'remix' | 'lyrics' | 'full';
	instrumental?: boolean;
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
	/** A failed song whose quota was given back (src/core/refund.ts). */
	givenBack?: boolean;
	/** Takes posted in the channel, by number: the final state names what was delivered. */
	posted?: number[];
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

const STAGE_TEXT: Record<TrackerStage, string> = {
	submitting: '⏳ Sending to the music provider…',
	unconfirmed: '❓ Answer lost: the music provider may have this song',
	queued: '⏳ Queued: waiting for the provider to start',
	lyrics: '✍️ Writing lyrics',
	streaming: '🎧 First take streaming',
	'first-done': '🎶 First take done, finishing the second',
	finishing: '🎚️ Finishing',
	done: '✅ Done: the takes are below',
	partial: '⚠️ Done with one take: the other one failed',
	stalled: '🐢 Stalled: no progress for a while. The bot keeps checking and will still post the song if it arrives.',
	failed: '❌ Failed',
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

const MODE_TEXT: Record<TrackerView['mode'], string> = {
	describe: 'from a description',
	custom: 'from lyrics',
	extend: 'extension',
	remix: 'remix',
	lyrics: 'lyrics',
	full: 'full song',
};

export function renderTracker(view: TrackerView): TrackerPayload {
	const unposted = view.stage === 'done' || view.stage === 'partial' ? (view.unposted ?? []) : [];
	const lines = [finalText(view, unposted.length) ?? STAGE_TEXT[view.stage]];
	if (view.problem) lines.push(view.problem);
	if (view.givenBack && view.stage === 'failed') lines.push('This song was not counted against your limit.');
	for (const take of unposted) lines.push(take.reason.endsWith('.') ? take.reason : `${take.reason}.`);
	if (unposted.length > 0)
		lines.push(`Download ${unposted.length > 1 ? 'them' : 'it'} below, or post it again once that is fixed.`);
	if (view.progressPct !== undefined && !isFinal(view.stage)) lines.push(progressBar(view.progressPct));
	if (view.lineage) lines.push(view.lineage);
	const fields = [{ name: 'Asked by', value: `<@${view.requesterId}>`, inline: true }];
	// Requests that are not songs (lyrics) have no model; Discord refuses an empty field.
	if (view.model) fields.push({ name: 'Model', value: view.model, inline: true });
	fields.push({
		name: isFinal(view.stage) ? 'Took' : 'Elapsed',
		value: clock((view.now - view.startedAt) / 1000),
		inline: true,
	});
	const kind = `${MODE_TEXT[view.mode]}${view.instrumental ? ', instrumental' : ''}`;
	fields.push({ name: 'Kind', value: kind, inline: true });
	if (view.style) fields.push({ name: 'Style', value: truncate(escapeMarkdown(view.style), 1024), inline: false });
	if (view.lyrics) fields.push({ name: 'Lyrics', value: truncate(escapeMarkdown(view.lyrics), 1024), inline: false });
	const quota = quotaText(view.quota);
	const untitled = view.mode === 'lyrics' ? 'New lyrics' : 'Untitled song';
	const footer = [view.taskId ? `task ${view.taskId}` : undefined, quota].filter(Boolean).join(' · ');
	const embed: APIEmbed = {
		title: `${view.mode === 'lyrics' ? '📝' : '🎵'} ${view.title ? inlineTitle(view.title, 240) : untitled}`,
		description: lines.join('\n'),
		color: COLOR[view.stage],
		fields,
		...(footer ? { footer: { text: footer } } : {}),
	};
	const streams = isFinal(view.stage) ? [] : (view.streams ?? []);
	const components: APIActionRowComponent<APIButtonComponent>[] = streams.slice(0, 5).map((s) => ({
		type: 1,
		components: [
			{ type: 2, style: 5, label: `Listen early (take ${s.take})`, url: s.url },
			...(s.clipId && view.taskId
				? [
						{
							type: 2 as const,
							style: 2 as const,
							label: `Play in voice (take ${s.take})`,
							emoji: { name: '🔊' },
							custom_id: encodeCustomId('play', 'clip', view.taskId, s.clipId),
						},
					]
				: []),
		],
	}));
	for (const take of unposted) {
		const row = unpostedRow(view.taskId, take);
		if (row && components.length < 5) components.push(row);
	}
	const again = retryRow(view);
	if (again && components.length < 5) components.push(again);
	return { content: '', embeds: [embed], components };
}

/** "Done: takes 1 and 2 are below", or what was and was not posted; undefined before the song is done. */
function finalText(view: TrackerView, unposted: number): string | undefined {
	if ((view.stage !== 'done' && view.stage !== 'partial') || view.posted === undefined) return undefined;
	const posted = view.posted;
	const names = posted.length === 1 ? `take ${posted[0]} is` : `takes ${listOfNumbers(posted)} are`;
	if (unposted === 0 && view.stage === 'done') return `✅ Done: ${names} below`;
	if (unposted === 0) return `⚠️ Done: ${names} below; the other take failed`;
	if (posted.length === 0) return '⚠️ Done, but no take could be posted here';
	return `⚠️ Done: ${names} below; not every take could be posted`;
}

function listOfNumbers(numbers: readonly number[]): string {
	return numbers.length <= 1 ? numbers.join('') : `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
}

/** A download link (when the provider gave one) and a button that tries to post the take again. */
function unpostedRow(
	taskId: string | undefined,
	take: NonNullable<TrackerView['unposted']>[number],
): APIActionRowComponent<APIButtonComponent> | undefined {
	const buttons: APIButtonComponent[] = [];
	if (take.url && /^https?:\/\//.test(take.url))
		buttons.push({ type: 2, style: 5, label: `Download take ${take.take}`, url: take.url });
	const retry = taskId ? retryId(taskId, take.clipId) : undefined;
	if (retry)
		buttons.push({ type: 2, style: 1, label: `Post take ${take.take} again`, emoji: { name: '🔁' }, custom_id: retry });
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

function quotaText(quota: TrackerView['quota']): string | undefined {
	if (!quota) return undefined;
	const parts: string[] = [];
	if (quota.userLeft !== undefined) parts.push(`${quota.userLeft} left for you today`);
	if (quota.guildLeft !== undefined) parts.push(`${quota.guildLeft} left for the server`);
	return parts.length ? parts.join(', ') : undefined;
}
