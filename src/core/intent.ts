import { randomBytes } from 'node:crypto';
import type { Family } from './provider.ts';
import { awaitsTaskId, type Failure, type Recovery, type TaskRecord } from './records.ts';
import { recordFor } from './submit.ts';
import type { Transition } from './task.ts';
import type { SubmitInput } from './tracker-types.ts';

/**
 * Intents: a request is saved under an id of its own *before* it leaves the bot, so a lost answer (timeout,
 * reset, a crash between sending and saving) never loses a paid song. The intent id travels in the callback URL
 * path, so the provider's first callback names the task even when its submit answer never arrived. Pure
 * transitions; the tracker saves them.
 */

/** URL-safe and unlike any provider's task id (UUIDs, 32-hex, `task_…`). */
export function newIntentId(): string {
	return `intent-${randomBytes(12).toString('hex')}`;
}

export function isIntentId(value: string): boolean {
	return /^intent-[0-9a-f]{24}$/.test(value);
}

/** The record saved before the submit is sent. */
export function intentRecord(intentId: string, family: Family, input: SubmitInput, at: number): TaskRecord {
	return { ...recordFor(intentId, family, input, at), state: { status: 'sending' } };
}

/** The provider may have taken the request, but its answer (the task id) is lost. */
export function answerLost(record: TaskRecord, recovery: Recovery, now: number): Transition | undefined {
	if (record.state.status !== 'sending') return undefined;
	return {
		record: { ...record, state: { status: 'unconfirmed', since: now, recovery }, updatedAt: now },
		events: [{ type: 'answer-lost', recovery }],
	};
}

/** The provider refused the request: nothing was taken, the intent ends quietly (the caller shows why). */
export function refused(record: TaskRecord, reason: Omit<Failure, 'source'>, now: number): Transition | undefined {
	if (record.state.status !== 'sending') return undefined;
	const failure: Failure = { ...reason, source: 'provider' };
	const state = { status: 'failed' as const, failure, at: now };
	return { record: { ...record, state, updatedAt: now, finishedAt: now, settledAt: now }, events: [] };
}

/**
 * The task id is known: the intent points at it. It stays active until the task's own record is saved, so a
 * crash in between is finished on restart (see `taskOf`), and only then settles.
 */
export function moved(record: TaskRecord, taskId: string, now: number): Transition | undefined {
	if (!canBind(record)) return undefined;
	return { record: { ...record, state: { status: 'moved', taskId, at: now }, updatedAt: now }, events: [] };
}

/** Settles a moved intent without telling anyone: the task's record speaks for it on the tracker message. */
export function settleMoved(record: TaskRecord, now: number): Transition | undefined {
	if (record.state.status !== 'moved' || record.settledAt !== undefined) return undefined;
	return { record: { ...record, finishedAt: now, settledAt: now, updatedAt: now }, events: [] };
}

/** Still waiting for a task id; a late answer after our own deadline still counts. */
export function canBind(record: TaskRecord): boolean {
	const state = record.state;
	if (awaitsTaskId(record)) return true;
	return state.status === 'failed' && state.failure.source === 'timeout' && isIntentId(record.id);
}

/** The first record of the task an intent turned into: what was asked, where, by whom, from the intent. */
export function taskOf(intent: TaskRecord, taskId: string, now: number): TaskRecord {
	const { settledAt: _s, finishedAt: _f, ...rest } = intent;
	return {
		...rest,
		id: taskId,
		intentId: intent.id,
		state: { status: 'submitted' },
		updatedAt: now,
		lastProgressAt: now,
	};
}
