import type { Logger } from '../log.ts';
import type { ReportSource, TrackerMetrics } from './ports.ts';
import type { Family, SongProvider, TaskKind, TaskSnapshot } from './provider.ts';
import { type ClipRecord, isPollable, type TaskRecord, type TaskState } from './records.ts';
import { type PollTiming, pollInterval, requestCount, selectDue, withJitter } from './schedule.ts';
import { type DeliveryView, isDeliveryDue } from './takes.ts';
import type { Deadlines, Transition } from './task.ts';
import { checkDeadlines, deadlineDue, giveUp } from './task.ts';

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

export interface PollerDeps {
	provider: SongProvider;
	timing: PollTiming;
	deadlines: Deadlines;
	tracked: Map<string, Tracked>;
	report(snapshot: TaskSnapshot, source: ReportSource): Promise<unknown>;
	mutate(taskId: string, change: (record: TaskRecord) => Transition | undefined): Promise<TaskRecord | undefined>;
	kickDelivery(taskId: string): void;
	log: Logger;
	metrics: TrackerMetrics;
	now: () => number;
	random: () => number;
	fetchTimeoutMs: number;
}

/** A provider that keeps saying it does not know a task it accepted has lost it (explicit answers only). */
const MAX_MISSES = 8;

/**
 * One polling round: deadlines, one `provider.fetch` for every due task (the adapter splits it into as few
 * requests as its family allows), then any take deliveries whose retry time has come.
 */
export async function pollOnce(deps: PollerDeps): Promise<void> {
	const { tracked, provider, log } = deps;
	const start = deps.now();
	// Tasks of another family (the operator switched providers) cannot be asked about; their deadlines end them.
	const candidates = [...tracked.entries()]
		.filter(([, t]) => isPollable(t.record) && t.record.family === provider.family)
		.map(([id, t]) => ({ id, nextPollAt: t.nextPollAt, intervalMs: t.intervalMs }));
	const ids = selectDue(candidates, start, provider.capabilities.batchSize);
	if (ids.length > 0) {
		const refs = ids.flatMap((id) => {
			const entry = tracked.get(id);
			return entry ? [{ taskId: id, kind: entry.record.kind }] : [];
		});
		const requests = requestCount(refs.length, provider.capabilities.batchSize);
		deps.metrics.statusRequests(requests, refs.length);
		const jitter = withJitter(1000, deps.random) / 1000;
		// A safety net over the adapter's own per-request timeouts; many single-task requests take longer.
		const signal = AbortSignal.timeout(deps.fetchTimeoutMs + requests * 2_000);
		try {
			const snapshots = await provider.fetch(refs, { signal });
			const unanswered = snapshots.unanswered ?? new Set<string>();
			if (unanswered.size > 0) log.warn({ tasks: unanswered.size }, 'some status requests failed; backing off');
			for (const ref of refs) {
				if (unanswered.has(ref.taskId)) backOff(deps, ref.taskId, jitter);
				else await handleAnswer(deps, ref.taskId, snapshots.get(ref.taskId), jitter);
				// Answers are applied one by one (each saved): the ones applied need not wait in memory for the rest.
				snapshots.delete(ref.taskId);
			}
		} catch (error) {
			log.warn({ err: error, tasks: refs.length }, 'status request failed; backing off');
			for (const ref of refs) backOff(deps, ref.taskId, jitter);
		}
	}
	// Deadlines after the answers: a task that finished while the bot was down is delivered, not timed out.
	for (const [id, entry] of tracked) {
		// Read from the store only when a deadline has passed.
		if (deadlineDue(entry.record, start, deps.deadlines)) {
			await deps.mutate(id, (r) => checkDeadlines(r, start, deps.deadlines));
		}
	}
	const now = deps.now();
	for (const [id, entry] of tracked) {
		if (entry.record.clips.some((clip) => isDeliveryDue(clip, now))) deps.kickDelivery(id);
	}
}

/** A failed status request (429, 5xx, timeout) is no news about the task: ask again later, count no miss. */
function backOff(deps: PollerDeps, id: string, jitter: number): void {
	const entry = deps.tracked.get(id);
	if (entry === undefined) return;
	entry.failures += 1;
	const backoff = Math.min(deps.timing.slowMs, entry.intervalMs * 2 ** entry.failures);
	entry.nextPollAt = deps.now() + backoff * jitter;
}

/** An answer about the task: a snapshot, or the provider's explicit "no such task" (absent from the answer). */
async function handleAnswer(deps: PollerDeps, id: string, snapshot: TaskSnapshot | undefined, jitter: number) {
	const entry = deps.tracked.get(id);
	if (entry === undefined) return;
	entry.failures = 0;
	if (snapshot) {
		entry.misses = 0;
		await deps.report(snapshot, 'poll');
	} else {
		entry.misses += 1;
		deps.log.warn({ taskId: id, misses: entry.misses }, 'provider does not know this task');
		if (entry.misses >= MAX_MISSES) {
			const message = `The music provider no longer knows this song (task ${id}).`;
			await deps.mutate(id, (r) => giveUp(r, { kind: 'not_found', message, source: 'timeout' }, deps.now()));
		}
	}
	const current = deps.tracked.get(id);
	if (current === undefined) return;
	const now = deps.now();
	current.intervalMs = pollInterval(now - current.record.createdAt, deps.timing);
	current.nextPollAt = now + current.intervalMs * jitter;
}

/** When the earliest of these tasks needs something done (epoch ms), or undefined if none does. */
export function nextWorkAt(entries: Iterable<Tracked>, deadlines: Deadlines, family: Family): number | undefined {
	let at = Number.POSITIVE_INFINITY;
	for (const { record, nextPollAt } of entries) {
		if (record.state.status === 'unconfirmed') at = Math.min(at, record.createdAt + deadlines.taskTimeoutMs);
		if (isPollable(record)) {
			at = Math.min(at, record.createdAt + deadlines.taskTimeoutMs);
			if (record.family === family) at = Math.min(at, nextPollAt);
			if (record.state.status !== 'stalled') at = Math.min(at, record.lastProgressAt + deadlines.stallMs);
		}
		for (const clip of record.clips) {
			if (clip.state === 'complete' && clip.delivery?.status === 'posting')
				at = Math.min(at, clip.delivery.nextAttemptAt);
		}
	}
	return Number.isFinite(at) ? at : undefined;
}
