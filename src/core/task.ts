import { PROVIDER_ERROR_TEXT, type ProviderErrorKind } from './errors.ts';
import type { TaskSnapshot } from './provider.ts';
import {
	type Failure,
	isPollable,
	type Outcome,
	pendingDeliveries,
	type Recovery,
	type TaskRecord,
	type TaskState,
} from './records.ts';
import { merge } from './task-merge.ts';

/**
 * The pure task state machine. `apply` merges a provider snapshot into a record (task-merge.ts) and derives the
 * task's state from it; `checkDeadlines` applies the stall and overall timeouts. Both return the new record and
 * the events a user should hear about. Merging is monotonic (statuses and clip states only move forward, known
 * clips are never dropped), so a duplicated, late or out-of-order snapshot changes nothing and yields no events.
 */

/** Transitions that matter to the person who asked; the Discord layer renders the record, events add emphasis. */
export type TaskEvent =
	| { type: 'queued' }
	| { type: 'progress'; pct: number }
	| { type: 'lyrics-ready'; title?: string; lyrics: string }
	| { type: 'take-streaming'; take: number; clipId: string; first: boolean }
	| { type: 'take-done'; take: number; clipId: string; first: boolean }
	| { type: 'take-failed'; take: number; clipId: string; message: string }
	| { type: 'finished'; outcome: Outcome }
	| { type: 'failed'; failure: Failure }
	| { type: 'stalled'; taskId: string; silentForMs: number }
	| { type: 'recovered' }
	| { type: 'answer-lost'; recovery: Recovery }
	| { type: 'delivery-failed'; take: number; clipId: string; message: string };

export interface Transition {
	record: TaskRecord;
	events: TaskEvent[];
}

export interface Deadlines {
	/** No progress for this long → stalled (still polled). */
	stallMs: number;
	/** Older than this → concluded with what exists (partial) or failed with kind `timeout`. */
	taskTimeoutMs: number;
}

const NO_AUDIO = 'The music provider finished without producing this take.';
const TIMED_OUT_TAKE = 'The music provider did not finish this take in time.';

export function apply(record: TaskRecord, snapshot: TaskSnapshot, now: number): Transition {
	const unchanged = { record, events: [] };
	if (snapshot.taskId !== record.id) return unchanged;
	if (record.state.status === 'failed' && record.state.failure.source === 'provider') return unchanged;
	const next = merge(record, snapshot);
	if (next === undefined) return unchanged;
	next.state = derive(next, record.state, snapshot.failureKind, now);
	next.updatedAt = now;
	next.lastProgressAt = now;
	return finalize(record, next, now);
}

/** Applies the stall timeout and the overall timeout; a no-op for tasks that are no longer polled. */
export function checkDeadlines(record: TaskRecord, now: number, limits: Deadlines): Transition {
	if (record.state.status === 'unconfirmed' && now - record.createdAt >= limits.taskTimeoutMs) {
		// Nothing more can be learnt: say so plainly. A late callback naming the task still brings the song.
		const message =
			'The music provider never said whether it took this request, so the bot cannot follow it. ' +
			'It may still have been charged: check with the bot operator before trying again.';
		const failure: Failure = { kind: 'timeout', message, source: 'timeout' };
		const next: TaskRecord = { ...record, state: { status: 'failed', failure, at: now }, updatedAt: now };
		next.finishedAt = now;
		return { record: next, events: [{ type: 'failed', failure }] };
	}
	if (!isPollable(record)) return { record, events: [] };
	if (now - record.createdAt >= limits.taskTimeoutMs) {
		const message = `The music provider did not finish in time (task ${record.id}).`;
		return giveUp(record, { kind: 'timeout', message, source: 'timeout' }, now);
	}
	const silentForMs = now - record.lastProgressAt;
	if (record.state.status !== 'stalled' && silentForMs >= limits.stallMs) {
		const next: TaskRecord = { ...record, state: { status: 'stalled', since: record.lastProgressAt }, updatedAt: now };
		return { record: next, events: [{ type: 'stalled', taskId: record.id, silentForMs }] };
	}
	return { record, events: [] };
}

/** Whether `checkDeadlines` would change anything now; needs only what the tracker keeps in memory. */
export function deadlineDue(
	task: Pick<TaskRecord, 'createdAt' | 'lastProgressAt'> & { state: { status: TaskState['status'] } },
	now: number,
	limits: Deadlines,
): boolean {
	const status = task.state.status;
	const timedOut = now - task.createdAt >= limits.taskTimeoutMs;
	if (status === 'unconfirmed') return timedOut;
	if (!isPollable(task)) return false;
	return timedOut || (status !== 'stalled' && now - task.lastProgressAt >= limits.stallMs);
}

/**
 * Stops waiting for the provider: takes that are complete are kept (a partial result), the rest become
 * errors, and the task fails when nothing is complete. A late success is still accepted afterwards.
 */
export function giveUp(record: TaskRecord, failure: Failure, now: number): Transition {
	if (!isPollable(record)) return { record, events: [] };
	const next = { ...record };
	next.state = conclude(next, record.state, { ...failure, source: 'timeout' }, true, now);
	next.updatedAt = now;
	return finalize(record, next, now);
}

function finalize(prev: TaskRecord, next: TaskRecord, now: number): Transition {
	if (isConcluded(next.state) && !isConcluded(prev.state)) next.finishedAt = now;
	return { record: next, events: diff(prev, next) };
}

function isConcluded(state: TaskState): boolean {
	return state.status === 'finished' || state.status === 'delivered' || state.status === 'failed';
}

function derive(next: TaskRecord, prev: TaskState, failureKind: ProviderErrorKind | undefined, now: number): TaskState {
	const status = next.providerStatus;
	const providerDone = status === 'succeeded' || status === 'failed';
	const timedOutBefore =
		prev.status === 'finished' ||
		prev.status === 'delivered' ||
		(prev.status === 'failed' && prev.failure.source === 'timeout');
	if (providerDone) {
		const kind = failureKind ?? (status === 'failed' ? 'generation' : 'protocol');
		return conclude(next, prev, providerFailure(kind, next.failureReason, failureKind !== undefined), false, now);
	}
	if (timedOutBefore && prev.status === 'failed') return conclude(next, prev, prev.failure, true, now);
	if (timedOutBefore) return conclude(next, prev, undefined, true, now);
	return status === 'queued' ? { status: 'queued' } : { status: 'running' };
}

function providerFailure(kind: Failure['kind'], reason: string | undefined, kindKnown: boolean): Failure {
	const known = kind !== 'generation' && kindKnown;
	let message = 'The music provider could not generate this song.';
	// A content refusal names what to change (e.g. "the lyrics look copyrighted"): the person can act on it.
	if (known && kind === 'content_policy' && reason)
		message = `The music provider refused this request under its content policy: ${reason.slice(0, 200)}`;
	else if (known) message = PROVIDER_ERROR_TEXT[kind];
	else if (reason) message = `The music provider reported: ${reason.slice(0, 200)}`;
	else if (kind === 'protocol') message = 'The music provider finished without producing any audio.';
	return { kind, message, source: 'provider' };
}

/**
 * The provider is done (or our deadline passed): unfinished takes become errors, and the task is finished
 * when at least one take is complete, failed otherwise.
 */
function conclude(
	next: TaskRecord,
	prev: TaskState,
	failure: Failure | undefined,
	byTimeout: boolean,
	now: number,
): TaskState {
	next.clips = next.clips.map((clip) => {
		if (clip.state === 'complete' || clip.state === 'error') return clip;
		if (byTimeout) return { ...clip, state: 'error', errorMessage: TIMED_OUT_TAKE, timedOut: true };
		return { ...clip, state: 'error', errorMessage: clip.errorMessage ?? next.failureReason ?? NO_AUDIO };
	});
	const succeeded =
		next.kind === 'lyrics'
			? (next.lyrics?.length ?? 0) > 0 && next.providerStatus === 'succeeded'
			: next.clips.some((clip) => clip.state === 'complete');
	if (!succeeded) {
		if (prev.status === 'failed' && (failure === undefined || failure.source === prev.failure.source)) return prev;
		return { status: 'failed', failure: failure ?? providerFailure('generation', undefined, false), at: now };
	}
	const outcome: Outcome = next.clips.every((clip) => clip.state === 'complete') ? 'complete' : 'partial';
	if (pendingDeliveries(next).length > 0) return { status: 'finished', outcome };
	if (prev.status === 'delivered') return { ...prev, outcome };
	return { status: 'delivered', outcome, at: now };
}

function diff(prev: TaskRecord, next: TaskRecord): TaskEvent[] {
	const events: TaskEvent[] = [];
	const before = prev.state;
	const after = next.state;
	if (after.status === 'queued' && before.status === 'submitted') events.push({ type: 'queued' });
	if (before.status === 'stalled' && (after.status === 'queued' || after.status === 'running')) {
		events.push({ type: 'recovered' });
	}
	if (next.progressPct !== undefined && next.progressPct !== prev.progressPct && !isConcluded(after)) {
		events.push({ type: 'progress', pct: next.progressPct });
	}
	const lyricsBefore = lyricsOf(prev);
	const lyricsAfter = lyricsOf(next);
	if (!lyricsBefore && lyricsAfter) events.push({ type: 'lyrics-ready', ...lyricsAfter });
	let anyStreaming = prev.clips.some((c) => c.state === 'streaming' || c.state === 'complete');
	let anyDone = prev.clips.some((c) => c.state === 'complete');
	for (const clip of next.clips) {
		const old = prev.clips.find((c) => c.id === clip.id);
		if (clip.state === 'streaming' && (old === undefined || old.state === 'pending')) {
			events.push({ type: 'take-streaming', take: clip.take, clipId: clip.id, first: !anyStreaming });
			anyStreaming = true;
		}
		if (clip.state === 'complete' && old?.state !== 'complete') {
			events.push({ type: 'take-done', take: clip.take, clipId: clip.id, first: !anyDone });
			anyDone = true;
			anyStreaming = true;
		}
		if (clip.state === 'error' && old?.state !== 'error' && after.status !== 'failed') {
			events.push({ type: 'take-failed', take: clip.take, clipId: clip.id, message: clip.errorMessage ?? NO_AUDIO });
		}
	}
	const outcomeBefore = before.status === 'finished' || before.status === 'delivered' ? before.outcome : undefined;
	if ((after.status === 'finished' || after.status === 'delivered') && after.outcome !== outcomeBefore) {
		events.push({ type: 'finished', outcome: after.outcome });
	}
	if (after.status === 'failed' && before.status !== 'failed') events.push({ type: 'failed', failure: after.failure });
	return events;
}

function lyricsOf(record: TaskRecord): { title?: string; lyrics: string } | undefined {
	if (record.kind === 'lyrics') {
		const first = record.lyrics?.[0];
		return first?.text ? { title: first.title, lyrics: first.text } : undefined;
	}
	const clip = record.clips.find((c) => c.lyrics);
	if (!clip?.lyrics) return undefined;
	return clip.title ? { title: clip.title, lyrics: clip.lyrics } : { lyrics: clip.lyrics };
}
