import type { Capabilities } from '../core/provider.ts';
import type { ClipRecord, TaskRecord } from '../core/records.ts';
import { isIntentId } from '../core/intent.ts';
import { songTitle } from '../core/records.ts';
import { lineageText, lyricsOf, requestFacts } from './request-facts.ts';
import { takeName } from '../core/take-name.ts';
import { type Locale, t } from './i18n.ts';
import { takeWords } from './views/card.ts';
import type { TakeView } from './views/take.ts';
import type { TrackerStage, TrackerView } from './views/tracker.ts';

/**
 * Pure mapping from the tracker's durable record to what the Discord views show. Everything here is derived
 * from the record, so a restart re-renders exactly the same message.
 */

export function stageOf(record: TaskRecord): TrackerStage {
	const state = record.state;
	switch (state.status) {
		case 'sending':
		case 'moved':
			return 'submitting';
		case 'unconfirmed':
			return 'unconfirmed';
		case 'failed':
			return 'failed';
		case 'delivered':
			return state.outcome === 'partial' ? 'partial' : 'done';
		case 'finished':
			return 'finishing';
		case 'stalled':
			return 'stalled';
		default:
			break;
	}
	if (record.clips.some((c) => c.state === 'complete')) return 'first-done';
	if (record.clips.some((c) => c.state === 'streaming')) return 'streaming';
	if (record.providerStatus === undefined || record.providerStatus === 'queued') return 'queued';
	return 'lyrics';
}

/** What the tracker says while a request's answer is lost: plainly, what happened and what happens next. */
export function lostAnswerText(record: TaskRecord, locale: Locale = 'en'): string | undefined {
	if (record.state.status !== 'unconfirmed') return undefined;
	const lost = t(locale, 'card.lost_answer');
	const next = t(locale, record.state.recovery === 'callback' ? 'card.lost_callback' : 'card.lost_no_lookup');
	// The request's id, which the operator needs to find it, is behind the Details button: no ids in the channel.
	return `${lost} ${next}`;
}

function isIntent(record: TaskRecord): boolean {
	const status = record.state.status;
	return status === 'sending' || status === 'unconfirmed' || status === 'moved' || isIntentId(record.id);
}

export function trackerViewOf(
	record: TaskRecord,
	now: number,
	extras: { parentTitle?: string; quota?: TrackerView['quota']; usualMs?: number; locale?: Locale } = {},
): TrackerView {
	const locale = extras.locale ?? 'en';
	const facts = requestFacts(record);
	const stage = stageOf(record);
	const state = record.state;
	const problem =
		state.status === 'unconfirmed'
			? lostAnswerText(record, locale)
			: state.status === 'failed'
				? state.failure.message
				: state.status === 'stalled'
					? t(locale, 'card.no_progress', { since: state.since })
					: stage === 'partial'
						? record.clips.find((c) => c.state === 'error')?.errorMessage
						: undefined;
	const streams = record.clips
		.filter((c) => c.state === 'streaming' && c.streamUrl)
		.map((c) => ({ take: c.take, url: c.streamUrl as string, clipId: c.id }));
	const lyrics = lyricsOf(record);
	const lineage = lineageText(record, extras.parentTitle, locale);
	const title = record.clips.find((c) => c.title)?.title ?? facts.title;
	const posted = record.clips.filter((c) => c.delivery?.status === 'delivered').map((c) => c.take);
	const unposted = record.clips.flatMap((c) =>
		c.delivery?.status === 'abandoned'
			? [{ take: c.take, clipId: c.id, reason: c.delivery.reason, ...(c.audioUrl ? { url: c.audioUrl } : {}) }]
			: [],
	);
	return {
		// An intent has no task id yet: its own id is shown in the problem text, never as a task.
		...(isIntent(record) ? {} : { taskId: record.id }),
		detailsId: record.id,
		locale,
		stage,
		takes: takesOf(record),
		requesterId: record.requester.userId,
		model: facts.model,
		mode: facts.mode,
		instrumental: facts.instrumental,
		...(record.request.action === 'generate' && record.request.request.personaId ? { houseSinger: true } : {}),
		startedAt: record.createdAt,
		now: record.settledAt ?? record.finishedAt ?? now,
		...(title ? { title } : {}),
		...(facts.style ? { style: facts.style } : {}),
		...(lineage ? { lineage } : {}),
		...(record.credits?.length ? { credits: record.credits } : {}),
		...(record.progressPct !== undefined ? { progressPct: record.progressPct } : {}),
		...(lyrics ? { lyrics } : {}),
		...(streams.length ? { streams } : {}),
		...(problem ? { problem } : {}),
		...(extras.quota ? { quota: extras.quota } : {}),
		...(extras.usualMs !== undefined ? { usualMs: extras.usualMs } : {}),
		...(state.status === 'failed' && record.charge?.refundedAt !== undefined ? { givenBack: true } : {}),
		...(record.kind !== 'lyrics' ? { posted } : {}),
		...(unposted.length ? { unposted } : {}),
		// Our own deadline is not the provider's word: a late success still arrives, so nothing is offered again.
		...(state.status === 'failed' && state.failure.source === 'provider' && isSong(record) ? { retry: true } : {}),
		...(isSong(record) && !isIntent(record) && againAllowed(state) ? { again: true } : {}),
	};
}

/** Each take's progress for the checklist: two takes (one for a full song) are expected until the provider names them. */
function takesOf(record: TaskRecord): NonNullable<TrackerView['takes']> {
	const known = record.clips.map((c) => ({
		take: c.take,
		state:
			c.state === 'complete' ? ('done' as const) : c.state === 'error' ? ('failed' as const) : ('pending' as const),
	}));
	const expected = record.request.action === 'concat' ? 1 : 2;
	for (let take = known.length + 1; take <= expected; take++) known.push({ take, state: 'pending' });
	return known;
}

/** A request that can be asked again as it was, or changed in its form: a song, an extension, a remix. */
function isSong(record: TaskRecord): boolean {
	const action = record.request.action;
	return action === 'generate' || action === 'extend' || action === 'cover';
}

/**
 * 🔄 Reroll once delivered; Try again after a failure the provider reported, unless it refused the words (sent
 * again unchanged they would be refused again: only "Change and try again" is offered then).
 */
function againAllowed(state: TaskRecord['state']): boolean {
	if (state.status === 'delivered') return true;
	if (state.status !== 'failed' || state.failure.source !== 'provider') return false;
	return state.failure.kind !== 'content_policy' && state.failure.kind !== 'invalid_input';
}

export function takeViewOf(
	record: TaskRecord,
	clip: ClipRecord,
	context: {
		capabilities: Capabilities;
		mention: boolean;
		contributors: TakeView['contributors'];
		parentTitle?: string;
		audio: TakeView['audio'];
		extraActions?: TakeView['extraActions'];
		/** The server's language (the take is posted in the channel). */
		locale?: Locale;
	},
): TakeView {
	const locale = context.locale ?? 'en';
	const facts = requestFacts(record);
	const lineage = lineageText(record, context.parentTitle, locale);
	const lyrics = clip.lyrics ?? facts.lyrics;
	const style = clip.tags ?? facts.style;
	const caps = context.capabilities;
	return {
		locale,
		taskId: record.id,
		clipId: clip.id,
		take: clip.take,
		takes: Math.max(record.clips.length, clip.take),
		title: clip.title ?? songTitle(record),
		name: takeName(record, clip, undefined, takeWords(locale)),
		model: facts.model,
		requesterId: record.requester.userId,
		mention: context.mention,
		contributors: context.contributors,
		audio: context.audio,
		actions: {
			play: true,
			extend: caps.extend,
			// Without a cover operation a remix is a new generation from the take's lyrics, so it is always offered.
			remix: true,
			fullSong: caps.concat && record.lineage?.type === 'extend',
		},
		...(style ? { style } : {}),
		...(clip.durationSec !== undefined ? { durationSec: clip.durationSec } : {}),
		...(lyrics ? { lyrics } : {}),
		...(clip.imageUrl ? { imageUrl: clip.imageUrl } : {}),
		...(lineage ? { lineage } : {}),
		...(context.extraActions ? { extraActions: context.extraActions } : {}),
	};
}
