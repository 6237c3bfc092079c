import { setTimeout as sleep } from 'node:timers/promises';
import { spread } from './stats.ts';
import { heapAfterGc, type Usage } from './usage.ts';

/** What both sides of the provider-traffic scenario are given and report (bench/provider-traffic.ts). */

export type TrafficFamily = 'newapi' | 'sunoapi';

export interface TrafficInput {
	family: TrafficFamily;
	baseUrl: string;
	apiKey: string;
	/** Generations to start, evenly spread over `windowMs`. */
	tasks: number;
	windowMs: number;
	/** Ours: receive the provider's callbacks (family B). Baseline: where to point the required callBackUrl. */
	callbacks: boolean;
	ignoredCallbackUrl?: string;
	/** Give up waiting for deliveries after this long. */
	deadlineMs: number;
	/** Ours only: `memory` swaps the SQLite store for the in-memory one (a diagnostic, not a shipped option). */
	store?: 'sqlite' | 'memory';
}

/** One take handed to the sink (ours) or "posted" by the baseline, epoch ms. */
export interface Posted {
	taskId: string;
	clipId: string;
	at: number;
}

export interface TrafficResult {
	posted: Posted[];
	submitted: number;
	failedSubmits: number;
	/** (V8 heap after GC with every task tracked − before the first submit) / tasks: the definition. */
	heapPerTaskBytes: number;
	/** (V8 heap with every task tracked − with the first tenth tracked) / the other nine tenths: one more task's cost. */
	heapMarginalPerTaskBytes: number;
	/** Ours: mean size of a tracked task's record as JSON when the heap was measured. */
	recordJsonBytes?: number;
	/** Ours: V8 heap taken by a copy of those records, per record (the record's share of the per-task figure). */
	recordHeapBytes?: number;
	usage: Usage;
	/** Our own count of status requests (src/http/metrics.ts), to cross-check the fake's log; baseline: its count. */
	statusRequests: number;
	/** Ours: task records saved to the store (intents included). */
	saves?: number;
}

/** The song every generation asks for (custom mode, the same on both sides). */
export const SONG = {
	title: 'Bench Song',
	style: 'indie pop',
	lyrics: '[Verse]\nRain on the window, songs in the night\n[Chorus]\nWe sing it together',
};

/**
 * Starts `count` submits spread evenly over `windowMs` without waiting for each other (a burst of users, not a
 * queue), and resolves when all have answered. Returns how many failed. `before(i)` runs just before submit `i`.
 */
export async function submitSpread(
	count: number,
	windowMs: number,
	submit: (i: number) => Promise<unknown>,
	before: (i: number) => void = () => {},
): Promise<number> {
	const start = performance.now();
	const runs: Promise<boolean>[] = [];
	for (let i = 0; i < count; i++) {
		const wait = start + spread(i, count, windowMs) - performance.now();
		if (wait > 1) await sleep(wait);
		before(i);
		runs.push(
			submit(i).then(
				() => true,
				() => false,
			),
		);
	}
	const outcomes = await Promise.all(runs);
	return outcomes.filter((ok) => !ok).length;
}

/**
 * The V8 heap of a side as its tasks pile up, measured after forced GCs: before the first submit, when a tenth of
 * the tasks has been submitted (code compiled on first use and other one-time costs are paid by then), and when
 * all are. Start it after the rest of the measuring is set up, so none of that is counted.
 */
export function heapProbe(tasks: number) {
	const tenth = Math.max(1, Math.floor(tasks / 10));
	const before = heapAfterGc();
	let atTenth = before;
	return {
		/** Pass as submitSpread's `before`. */
		checkpoint(i: number): void {
			if (i === tenth) atTenth = heapAfterGc();
		},
		finish(): Pick<TrafficResult, 'heapPerTaskBytes' | 'heapMarginalPerTaskBytes'> {
			const after = heapAfterGc();
			return {
				heapPerTaskBytes: (after - before) / tasks,
				heapMarginalPerTaskBytes: (after - atTenth) / (tasks - tenth),
			};
		},
	};
}

/** Resolves once `done()` holds, checking every 50 ms; false at the deadline. */
export async function until(done: () => boolean, deadlineMs: number): Promise<boolean> {
	const end = performance.now() + deadlineMs;
	while (!done()) {
		if (performance.now() > end) return false;
		await sleep(50);
	}
	return true;
}
