import type { Clip, ClipState, TaskSnapshot, TaskStatus } from './provider.ts';
import { type ClipRecord, requestedTitle, type TaskRecord } from './records.ts';

/**
 * How a provider snapshot is merged into a task's record, monotonically: statuses and clip states only move
 * forward and known clips are never dropped, so a duplicated, late or out-of-order snapshot brings nothing.
 * Kept apart from the state machine (task.ts), which decides from the merged record what state the task is in.
 */

const STATUS_RANK: Record<TaskStatus, number> = { queued: 0, running: 1, partial: 2, succeeded: 3, failed: 3 };
const CLIP_RANK: Record<ClipState, number> = { pending: 0, streaming: 1, complete: 2, error: 2 };

/**
 * The record with the snapshot merged in, or undefined when the snapshot brings nothing new. Copy on write: only
 * what changes is copied (the record's top level, its clip list and the changed clips); the rest is shared with
 * `record`, which is never modified.
 */
export function merge(record: TaskRecord, snapshot: TaskSnapshot): TaskRecord | undefined {
	const changes: Partial<TaskRecord> = {};
	const old = record.providerStatus;
	const oldDone = old === 'succeeded' || old === 'failed';
	if (old === undefined || (!oldDone && STATUS_RANK[snapshot.status] > STATUS_RANK[old])) {
		if (snapshot.status !== old) changes.providerStatus = snapshot.status;
		if (snapshot.status === 'failed' && snapshot.failureReason && snapshot.failureReason !== record.failureReason) {
			changes.failureReason = snapshot.failureReason;
		}
		if (snapshot.status === 'failed' && snapshot.providerRefunded && !record.providerRefunded)
			changes.providerRefunded = true;
	}
	if (snapshot.progressPct !== undefined && snapshot.progressPct > (record.progressPct ?? -1)) {
		changes.progressPct = snapshot.progressPct;
	}
	if (snapshot.lyrics && snapshot.lyrics.length > (record.lyrics?.length ?? 0)) changes.lyrics = snapshot.lyrics;
	let clips: ClipRecord[] | undefined;
	// What the person named the song names its takes, whatever the provider answers: family B and C take no title
	// in describe mode and name the song themselves.
	const title = requestedTitle(record);
	for (const reported of snapshot.clips) {
		const clip = title === undefined ? reported : { ...reported, title };
		const list = clips ?? record.clips;
		const index = list.findIndex((c) => c.id === clip.id);
		if (index === -1) {
			clips = [...list, { ...defined(clip), take: list.length + 1 }];
			continue;
		}
		const existing = list[index]!;
		const merged = mergeClip(existing, clip);
		if (merged === existing || sameClip(merged, existing)) continue;
		clips ??= [...record.clips];
		clips[index] = merged;
	}
	if (clips) changes.clips = clips;
	return Object.keys(changes).length > 0 ? { ...record, ...changes } : undefined;
}

/** Clip fields are primitives or objects carried over by reference (file, delivery): a shallow look suffices. */
function sameClip(a: ClipRecord, b: ClipRecord): boolean {
	const keys = Object.keys(a) as (keyof ClipRecord)[];
	return keys.length === Object.keys(b).length && keys.every((key) => key in b && a[key] === b[key]);
}

function mergeClip(existing: ClipRecord, incoming: Clip): ClipRecord {
	if (existing.state === 'error' && existing.timedOut && incoming.state === 'complete') {
		const { timedOut: _t, errorMessage: _e, ...rest } = existing;
		return { ...rest, ...defined(incoming) };
	}
	const oldRank = CLIP_RANK[existing.state];
	const newRank = CLIP_RANK[incoming.state];
	if (newRank > oldRank) return { ...existing, ...defined(incoming) };
	// Same terminal state: only fill in what is missing (a later callback may add the cover image).
	if (newRank === oldRank && incoming.state === existing.state) {
		return oldRank === 2 ? { ...defined(incoming), ...existing } : { ...existing, ...defined(incoming) };
	}
	return existing;
}

function defined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
