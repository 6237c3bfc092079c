import type { FailureKind, TaskRecord } from './records.ts';

/**
 * When a song the provider accepted ends without a take, whether the member gets their quota back. Only for
 * failures on the provider's side that the member's input did not cause: the provider gave its credits back
 * (531), could not generate or start or lost the song (501, GENERATE_AUDIO_FAILED, CREATE_TASK_FAILED,
 * CALLBACK_EXCEPTION, the generation errors of families A and C). Not for content refusals (the member is
 * asked to change their words, and retrying unchanged would be free spam), not for our own timeout (a late
 * success still counts) and not for a lost answer (the provider may have charged; it fails by timeout too).
 */
const MEMBER_CAUSED: ReadonlySet<FailureKind> = new Set(['content_policy', 'invalid_input']);

export function refundDue(record: TaskRecord): boolean {
	const state = record.state;
	if (state.status !== 'failed' || record.charge === undefined || record.charge.refundedAt !== undefined) return false;
	// The provider itself ended the task: an intent the provider refused at submit has no provider status (its
	// quota is given back where the submit failed), and a timeout is our own.
	if (state.failure.source !== 'provider' || record.providerStatus === undefined) return false;
	if (record.clips.some((clip) => clip.state === 'complete' || clip.delivery?.status === 'delivered')) return false;
	if (record.providerRefunded) return true;
	return !MEMBER_CAUSED.has(state.failure.kind);
}

/**
 * The record with its charge marked as given back (and what the tracker message shows as left raised by it),
 * or undefined when no refund is due. Saved before the counters change: a restart or a repeated failure never
 * gives it back twice.
 */
export function markRefunded(record: TaskRecord, now: number): TaskRecord | undefined {
	if (!refundDue(record) || record.charge === undefined) return undefined;
	const { cost } = record.charge;
	const quota = record.quota && {
		...(record.quota.userLeft !== undefined ? { userLeft: record.quota.userLeft + cost } : {}),
		...(record.quota.guildLeft !== undefined ? { guildLeft: record.quota.guildLeft + cost } : {}),
	};
	return { ...record, charge: { ...record.charge, refundedAt: now }, ...(quota ? { quota } : {}) };
}
