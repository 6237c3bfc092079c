import type { Logger } from '../log.ts';
import type { ReportSource, TrackerMetrics } from './ports.ts';
import type { Tracked } from './poll-state.ts';
import type { Family, SongProvider, TaskSnapshot } from './provider.ts';
import { isPollable, type TaskRecord } from './records.ts';
import { type PollTiming, pollInterval, requestCount, selectDue, withJitter } from './schedule.ts';
import { isDeliveryDue } from './takes.ts';
import type { TrackerOptions } from './tracker-types.ts';
import type { Deadlines, Transition } from './task.ts';
import { checkDeadlines, deadlineDue, giveUp } from './task.ts';

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

export interface PollTimerDeps extends Omit<PollerDeps, 'timing' | 'deadlines' | 'fetchTimeoutMs'> {
	options: Pick<TrackerOptions, 'timing' | 'deadlines' | 'fetchTimeoutMs'>;
}

/**
 * When the polling rounds run: one timer, set for the earliest work of any tracked task, and never two rounds at
 * once. `wake` after anything that may bring work forward.
 */
export function createPollTimer(deps: PollTimerDeps) {
	const { options, tracked, provider, now } = deps;
	let timer: ReturnType<typeof setTimeout> | undefined;
	/** When `timer` fires. */
	let timerAt: number | undefined;
	let ticking: Promise<void> | undefined;
	let running = false;

	/**
	 * Works out when to poll next. With the task that changed, only that task is looked at: a change can bring its
	 * next work forward, and a timer left earlier than needed costs one idle round at most (after which every task
	 * is looked at again); scanning every task on every change grows with their square.
	 */
	function wake(changed?: string): void {
		if (!running || ticking) return;
		if (timer && timerAt !== undefined && changed !== undefined) {
			// A task no longer tracked needs nothing.
			const entry = tracked.get(changed);
			const at = entry && nextWorkAt([entry], options.deadlines, provider.family);
			if (at === undefined || at >= timerAt) return;
		}
		if (timer) clearTimeout(timer);
		timer = undefined;
		timerAt = undefined;
		const at = nextWorkAt(tracked.values(), options.deadlines, provider.family);
		if (at === undefined) return;
		const delay = Math.max(at - now(), 10);
		timerAt = now() + delay;
		timer = setTimeout(tick, delay);
	}

	function tick(): void {
		timer = undefined;
		timerAt = undefined;
		ticking = pollOnce({
			...deps,
			timing: options.timing,
			deadlines: options.deadlines,
			fetchTimeoutMs: options.fetchTimeoutMs ?? 30_000,
		})
			.catch((error: unknown) => deps.log.error({ err: error }, 'polling round failed'))
			.finally(() => {
				ticking = undefined;
				wake();
			});
	}

	return {
		wake,
		start(): void {
			running = true;
		},
		/** No more rounds; resolves when the round in progress has finished. */
		async stop(): Promise<void> {
			running = false;
			if (timer) clearTimeout(timer);
			timer = undefined;
			await ticking;
		},
		/** Resolves when no round is in progress. */
		async idle(): Promise<void> {
			await ticking;
		},
	};
}
