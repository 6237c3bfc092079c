/**
 * Pure polling policy: how often a task is asked about, and which tasks share one tick's status requests.
 */

export interface PollTiming {
	/** Interval for a new task. */
	fastMs: number;
	/** Interval for long-running tasks. */
	slowMs: number;
	/** Interval while callbacks are enabled: polling is then only a safety net. */
	safetyMs: number;
	callbacks: boolean;
}

/**
 * About ten polls per elapsed age, between `fastMs` and `slowMs`: a song that has taken 5 minutes is unlikely
 * to finish in the next 5 seconds. With callbacks on, never more often than `safetyMs`.
 */
export function pollInterval(ageMs: number, timing: PollTiming): number {
	const adaptive = Math.min(timing.slowMs, Math.max(timing.fastMs, ageMs / 10));
	return timing.callbacks ? Math.max(adaptive, timing.safetyMs) : adaptive;
}

/** ±10 % so that many bots (or many restarts) do not poll in lock-step. */
export function withJitter(ms: number, random: () => number): number {
	return Math.round(ms * (0.9 + 0.2 * random()));
}

export interface PollCandidate {
	id: string;
	nextPollAt: number;
	intervalMs: number;
}

/**
 * The tasks to ask about at `now` (the tracker wakes when the first one is due): those due within a quarter
 * of their interval, so tasks of the same age share a tick despite jitter; then, when one request carries
 * several ids, the tasks closest to their turn fill the remaining room: they ride along for free.
 */
export function selectDue(candidates: readonly PollCandidate[], now: number, batchSize: number): string[] {
	const due = candidates.filter((c) => c.nextPollAt - now <= c.intervalMs / 4);
	if (due.length === 0) return [];
	const ids = due.map((c) => c.id);
	if (batchSize <= 1) return ids;
	const room = Math.ceil(due.length / batchSize) * batchSize - due.length;
	const riders = candidates
		.filter((c) => !ids.includes(c.id))
		.sort((a, b) => a.nextPollAt - b.nextPollAt)
		.slice(0, room)
		.map((c) => c.id);
	return [...ids, ...riders];
}

/** Status requests a fetch of `tasks` ids costs. */
export function requestCount(tasks: number, batchSize: number): number {
	return Math.ceil(tasks / Math.max(1, batchSize));
}
