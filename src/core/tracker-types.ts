import type { Logger } from '../log.ts';
import type { FleetOptions } from './fleet.ts';
import type { AudioCache, ReportResult, ReportSource, TrackerMetrics } from './ports.ts';
import type { Family, SongProvider, TaskSnapshot } from './provider.ts';
import type { Credit, Lineage, QuotaCharge, Requester, SongRequest, TaskRecord, TrackerPlace } from './records.ts';
import type { TaskSink } from './sink.ts';
import type { Store } from './store.ts';
import type { PollTiming } from './schedule.ts';
import type { DeliveryRetry } from './takes.ts';
import type { Deadlines } from './task.ts';

/** A studio result kept on the take it was made of (ClipRecord.musicVideoUrl / wavUrl). */
export type StudioLink = { kind: 'video' | 'wav'; url: string };

/**
 * The tracker's public contract (implemented by `createTracker` in tracker.ts). The Discord layer submits
 * through it and renders what it reports through the `TaskSink` port; the HTTP server feeds it callbacks.
 */
export interface Tracker {
	/** Resumes unfinished work from the store, then polls and prunes old songs (every 6 h) until `stop`. */
	start(): Promise<void>;
	/**
	 * Tracks every unsettled task in the store again: unfinished ones are polled at once, every tracker message
	 * is re-rendered (`sink.update(task, [])`), finished but undelivered takes are delivered. Part of `start`.
	 * With shared leases, only the free tasks of the guilds this process serves; the others are left to their
	 * holders (or taken over later when nobody holds them).
	 */
	resume(): Promise<{ tasks: number; pendingTakes: number }>;
	/**
	 * Saves an intent, validates and sends the request to the provider, saves the task (before returning) and
	 * tracks it. When the answer is lost (`ProviderError.maybeAccepted`), resolves with the intent, now
	 * `unconfirmed`: the tracker message says so, and a callback naming the intent (or a restart) carries on.
	 * @throws ProviderError when the provider provably did not take the request (the intent ends).
	 */
	submit(input: SubmitInput): Promise<TaskRecord>;
	/**
	 * The one path for status, from polls, callbacks and submit answers: merges the snapshot into the saved
	 * record and saves it before resolving, then (asynchronously) updates the sink and delivers finished takes.
	 * Duplicated, stale or out-of-order snapshots change nothing.
	 * @param family - The provider family the snapshot came from; a task of another family is never changed.
	 * @param intentId - The intent named in the callback URL: a task nobody knows yet is bound to it first (its
	 * submit answer was lost).
	 * @returns `applied`, `unchanged`, `unknown` (no such task; logged), `foreign` (other family; logged) or
	 * `forwarded` (another process holds the task: the snapshot is stored for it, which applies it).
	 */
	report(snapshot: TaskSnapshot, source: ReportSource, family?: Family, intentId?: string): Promise<ReportResult>;
	/** The task as last saved, tracked or not. */
	get(taskId: string): Promise<TaskRecord | undefined>;
	/** Stores the tracker message id (when it is posted after submit) and re-renders it. */
	setTrackerMessage(taskId: string, messageId: string): Promise<TaskRecord | undefined>;
	/**
	 * Keeps the id of a message that pinged the requester about the task (failed, stalled, undelivered, ready) in
	 * `place.pingMessageIds`, so deleting the song deletes it too; an id already kept changes nothing. Undefined when
	 * there is no such task or another process holds it right now.
	 */
	notePing(taskId: string, messageId: string): Promise<TaskRecord | undefined>;
	/**
	 * Keeps what the studio made of a take on that take's record: its music video (the song card links it, so the
	 * card is re-rendered) or its WAV (/songs links it). Setting the same link again changes nothing. Undefined for
	 * no such task or take, or when another process holds the task right now.
	 */
	keepStudioLink(taskId: string, clipId: string, link: StudioLink): Promise<TaskRecord | undefined>;
	/**
	 * Tries again to post a take that was given up on (someone pressed the tracker's retry button): the channel is
	 * searched for an earlier post first, then the take is posted and the tracker message re-rendered.
	 * @returns `retrying`; `not-needed` when the take is posted or being posted; `unknown` for no such task or take;
	 * `busy` when another process holds the task right now.
	 */
	redeliver(taskId: string, clipId: string): Promise<'retrying' | 'not-needed' | 'unknown' | 'busy'>;
	/** Unsettled tasks this process looks after (the `songbot_active_tasks` figure). */
	activeCount(): number;
	/** Ids of tasks still asked about (not yet finished). */
	pollingIds(): string[];
	/** Stops timers and waits for work in progress (a poll, deliveries, sink updates). */
	stop(): Promise<void>;
	/** Resolves when nothing is in flight (tests, orderly shutdown). */
	idle(): Promise<void>;
}

export interface SubmitInput {
	request: SongRequest;
	requester: Requester;
	/** Where the tracker message is (or will be: see `Tracker.setTrackerMessage`). */
	place: TrackerPlace;
	/** Derived from the request for extends when omitted. */
	lineage?: Lineage;
	credits?: Credit[];
	quota?: TaskRecord['quota'];
	/** What the quotas took for this request (Quotas.take's ticket), for a refund if the provider fails it. */
	charge?: TaskRecord['charge'];
	signal?: AbortSignal;
}

/** What the tracker is told of the configuration (made from it in src/tracker-options.ts). */
export interface TrackerOptions {
	timing: PollTiming;
	deadlines: Deadlines;
	/** Where providers POST status updates (enables callbacks); undefined = polling only. */
	callbackUrl?: string;
	/** Finished songs older than this are pruned (with their audio); 0 keeps them forever. */
	retentionMs: number;
	/** Take delivery retries; default 6 attempts from 5 s to 10 min apart. */
	deliveryRetry?: DeliveryRetry;
	/** Safety timeout over one polling round's status requests; default 30 s (+2 s per request). */
	fetchTimeoutMs?: number;
	/** Per take; default 120 s. */
	downloadTimeoutMs?: number;
}

/**
 * Callbacks are on only when a URL is configured *and* the provider sends them (`capabilities.callbacks`; a stock
 * new-api drops notify_hook): otherwise a song would be polled at the slow safety pace and a lost answer would
 * promise a report that never comes.
 */
export function withProviderCallbacks(options: TrackerOptions, providerCalls: boolean): TrackerOptions {
	if (providerCalls || (options.callbackUrl === undefined && !options.timing.callbacks)) return options;
	const { callbackUrl: _unused, ...rest } = options;
	return { ...rest, timing: { ...options.timing, callbacks: false } };
}

export interface TrackerDeps {
	provider: SongProvider;
	store: Store;
	sink: TaskSink;
	audio: AudioCache;
	log: Logger;
	options: TrackerOptions;
	/** Prometheus figures (src/http/metrics.ts); none by default. */
	metrics?: TrackerMetrics;
	/** Sharing tasks with other processes through leases (src/core/fleet.ts); default: this process does all. */
	fleet?: FleetOptions;
	/** Gives a failed song's quota back (Quotas.giveBack); refunds are marked on records but not made without it. */
	refund?: (charge: QuotaCharge) => Promise<void>;
	/** Clock and randomness, for tests. */
	now?: () => number;
	random?: () => number;
}
