import type { ClipState } from './provider.ts';
import type { ClipRecord, LocalAudio, TaskRecord } from './records.ts';
import { isTerminal, pendingDeliveries } from './records.ts';
import type { Transition } from './task.ts';

/**
 * Pure delivery transitions for finished takes. The order the tracker follows — write `posting`, post, write
 * `delivered` — is what makes delivery exactly-once across crashes: a take found in `posting` after a restart
 * may already be in the channel, so the channel is asked before posting again.
 */

export interface DeliveryRetry {
	/** Attempts before a take is given up on (the user is told, the task still settles). */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = { maxAttempts: 6, baseDelayMs: 5_000, maxDelayMs: 10 * 60_000 };

/** How many posts of this take may have started, including ones a crash interrupted. */
export function attemptsMade(clip: ClipRecord): number {
	return clip.delivery?.status === 'posting' ? clip.delivery.attempts : 0;
}

/** What `isDeliveryDue` looks at: a take's record, or what the tracker keeps of it in memory. */
export interface DeliveryView {
	state: ClipState;
	delivery?: { status: 'posting'; nextAttemptAt: number } | { status: 'delivered' | 'abandoned' };
}

/** True when this take is due for a (re)try at `now`. */
export function isDeliveryDue(clip: DeliveryView, now: number): boolean {
	if (clip.state !== 'complete') return false;
	if (clip.delivery === undefined) return true;
	return clip.delivery.status === 'posting' && clip.delivery.nextAttemptAt <= now;
}

/**
 * The take whose delivery a change can begin in its own write: the first complete take never tried, when no
 * take is being posted (the deliverer posts one at a time and begins the next with the previous one's outcome).
 */
export function nextToPost(record: TaskRecord): string | undefined {
	if (record.clips.some((clip) => clip.delivery?.status === 'posting')) return undefined;
	return record.clips.find((clip) => clip.state === 'complete' && clip.delivery === undefined)?.id;
}

/** Recorded before posting, so a crash between posting and marking is detectable. */
export function beginDelivery(record: TaskRecord, clipId: string, now: number): TaskRecord {
	return withClip(record, clipId, now, (clip) => {
		const previous = clip.delivery?.status === 'posting' ? clip.delivery : undefined;
		const delivery = { status: 'posting' as const, attempts: attemptsMade(clip) + 1, nextAttemptAt: now };
		return { ...clip, delivery: previous?.lastError ? { ...delivery, lastError: previous.lastError } : delivery };
	});
}

export function attachFile(record: TaskRecord, clipId: string, file: LocalAudio, now: number): TaskRecord {
	return withClip(record, clipId, now, (clip) => ({ ...clip, file }));
}

export function markDelivered(
	record: TaskRecord,
	clipId: string,
	messageId: string,
	now: number,
	recovered = false,
): TaskRecord {
	const next = withClip(record, clipId, now, (clip) => ({
		...clip,
		delivery: recovered
			? { status: 'delivered', messageId, at: now, recovered }
			: { status: 'delivered', messageId, at: now },
	}));
	return completeIfDelivered(next, now);
}

/** A failed post: retried later with back-off, or abandoned after `policy.maxAttempts`. */
export function deliveryFailed(
	record: TaskRecord,
	clipId: string,
	error: string,
	now: number,
	policy: DeliveryRetry = DEFAULT_DELIVERY_RETRY,
	giveUpNow = false,
): Transition {
	const clip = record.clips.find((c) => c.id === clipId);
	if (clip === undefined) return { record, events: [] };
	const attempts = attemptsMade(clip);
	if (giveUpNow || attempts >= policy.maxAttempts) {
		const reason = `Take ${clip.take} could not be posted: ${error}`.slice(0, 300);
		const next = withClip(record, clipId, now, (c) => ({ ...c, delivery: { status: 'abandoned', reason, at: now } }));
		return {
			record: completeIfDelivered(next, now),
			events: [{ type: 'delivery-failed', take: clip.take, clipId, message: reason }],
		};
	}
	const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
	const next = withClip(record, clipId, now, (c) => ({
		...c,
		delivery: { status: 'posting', attempts, nextAttemptAt: now + delay, lastError: error.slice(0, 300) },
	}));
	return { record: next, events: [] };
}

/**
 * Someone asked to try a given-up take again: it is due at once, and a task that had settled as `delivered`
 * is `finished` again until the take is posted (or given up on once more). Undefined when there is nothing to retry.
 */
export function retryDelivery(record: TaskRecord, clipId: string, now: number): TaskRecord | undefined {
	const clip = record.clips.find((c) => c.id === clipId);
	if (clip?.state !== 'complete' || clip.delivery?.status !== 'abandoned') return undefined;
	// As after a crash: an earlier attempt may have reached the channel unnoticed, so it is looked for first.
	const next = withClip(record, clipId, now, (c) => ({
		...c,
		delivery: { status: 'posting', attempts: 1, nextAttemptAt: now },
	}));
	if (next.state.status === 'delivered') next.state = { status: 'finished', outcome: next.state.outcome };
	return next;
}

/** `finished` becomes `delivered` once no complete take is waiting to be posted. */
export function completeIfDelivered(record: TaskRecord, now: number): TaskRecord {
	if (record.state.status !== 'finished' || pendingDeliveries(record).length > 0) return record;
	return { ...record, state: { status: 'delivered', outcome: record.state.outcome, at: now }, updatedAt: now };
}

/** The settled record when the task has nothing left to do, else undefined. */
export function settle(record: TaskRecord, now: number): TaskRecord | undefined {
	if (record.settledAt !== undefined || !isTerminal(record) || pendingDeliveries(record).length > 0) return undefined;
	return { ...record, settledAt: now, updatedAt: now };
}

/** What the tracker message shows is the same for both: the state and each take's delivery. */
export function shownAsIs(shown: TaskRecord, current: TaskRecord): boolean {
	if (shown === current) return true;
	if (shown.state.status !== current.state.status || shown.clips.length !== current.clips.length) return false;
	return current.clips.every((clip, i) => clip.delivery?.status === shown.clips[i]?.delivery?.status);
}

/** A settled task that receives a late take becomes active again. */
export function unsettle(record: TaskRecord): TaskRecord {
	if (record.settledAt === undefined || (isTerminal(record) && pendingDeliveries(record).length === 0)) return record;
	const { settledAt: _settled, ...rest } = record;
	return rest;
}

function withClip(
	record: TaskRecord,
	clipId: string,
	now: number,
	change: (clip: ClipRecord) => ClipRecord,
): TaskRecord {
	return {
		...record,
		clips: record.clips.map((clip) => (clip.id === clipId ? change(clip) : clip)),
		updatedAt: now,
	};
}
