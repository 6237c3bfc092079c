import type { FailureKind, LocalAudio } from './records.ts';

/** Small ports the tracker depends on besides the provider, the store and the sink. */

/** The local audio cache (src/audio/download.ts): delivery, replays and voice never need provider URLs. */
export interface AudioCache {
	/** Returns the local copy of a take, downloading it the first time; throws when it cannot be fetched. */
	ensure(taskId: string, clipId: string, url: string, signal?: AbortSignal): Promise<LocalAudio>;
	/** Deletes every local file of a task (retention pruning). */
	remove(taskId: string): Promise<void>;
}

export type ReportSource = 'poll' | 'callback' | 'submit';

/** Figures for operators and the bench; src/http/metrics.ts implements it with prom-client. */
export interface TrackerMetrics {
	/** One provider status request (a batch counts once) covering `tasks` tasks. */
	statusRequests(requests: number, tasks: number): void;
	/** A snapshot reached `tracker.report`; `result` says what it did. */
	reported(source: ReportSource, result: ReportResult): void;
	delivered(): void;
	failed(kind: FailureKind): void;
	activeTasks(count: number): void;
}

/**
 * applied: the record changed; unchanged: duplicate or stale; unknown: no such task; foreign: other family;
 * forwarded: left (durably) for the process that looks after the task, which applies it.
 */
export type ReportResult = 'applied' | 'unchanged' | 'unknown' | 'foreign' | 'forwarded';

export const noMetrics: TrackerMetrics = {
	statusRequests() {},
	reported() {},
	delivered() {},
	failed() {},
	activeTasks() {},
};
