import type { ClipRecord, TaskRecord, TaskState } from './records.ts';
import type { Family, TaskKind } from './provider.ts';
import type { DeliveryView } from './takes.ts';

/**
 * What polling needs of a task's record: the rest (the request, lyrics, credits, the provider's URLs) stays in
 * the store, so a tracked task costs a few hundred bytes of memory rather than its whole record.
 */
export interface PollState {
	id: string;
	family: Family;
	kind: TaskKind;
	createdAt: number;
	lastProgressAt: number;
	state: { status: TaskState['status'] };
	clips: DeliveryView[];
}

export function pollState(record: TaskRecord): PollState {
	return {
		id: record.id,
		family: record.family,
		kind: record.kind,
		createdAt: record.createdAt,
		lastProgressAt: record.lastProgressAt,
		state: STATES[record.state.status],
		clips: record.clips.length === 0 ? NO_CLIPS : record.clips.map(deliveryView),
	};
}

/** Shared by every tracked task: most of what polling keeps differs only in a few numbers. */
const STATES = Object.fromEntries(
	(
		[
			'sending',
			'unconfirmed',
			'moved',
			'submitted',
			'queued',
			'running',
			'stalled',
			'finished',
			'delivered',
			'failed',
		] as const
	).map((status) => [status, Object.freeze({ status })]),
) as Record<TaskState['status'], { status: TaskState['status'] }>;
const NO_CLIPS: DeliveryView[] = Object.freeze([]) as unknown as DeliveryView[];
const VIEWS = new Map<string, DeliveryView>();

function deliveryView({ state, delivery }: ClipRecord): DeliveryView {
	if (delivery?.status === 'posting')
		return { state, delivery: { status: 'posting', nextAttemptAt: delivery.nextAttemptAt } };
	const key = `${state}:${delivery?.status ?? ''}`;
	let view = VIEWS.get(key);
	if (view === undefined) {
		view = Object.freeze(delivery ? { state, delivery: { status: delivery.status } } : { state });
		VIEWS.set(key, view);
	}
	return view;
}

/** What the tracker keeps in memory per unsettled task. */
export interface Tracked {
	record: PollState;
	nextPollAt: number;
	intervalMs: number;
	/** Consecutive polls in which the provider did not know the task. */
	misses: number;
	/** Consecutive failed status requests (back-off). */
	failures: number;
}

export function newTracked(record: TaskRecord, nextPollAt: number, intervalMs: number): Tracked {
	return { record: pollState(record), nextPollAt, intervalMs, misses: 0, failures: 0 };
}
