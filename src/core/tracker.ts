import type { Logger } from '../log.ts';
import { createDeliverer } from './deliverer.ts';
import { createFleet, type FleetOptions } from './fleet.ts';
import { KeyedMutex } from './lock.ts';
import { nextWorkAt, pollOnce, pollState, type Tracked } from './poller.ts';
import { type AudioCache, noMetrics, type TrackerMetrics } from './ports.ts';
import { createIntake } from './intake.ts';
import type { SongProvider } from './provider.ts';
import { isPollable, type QuotaCharge, type TaskRecord } from './records.ts';
import { markRefunded } from './refund.ts';
import type { TaskSink } from './sink.ts';
import type { Store } from './store.ts';
import { createRedeliver } from './redeliver.ts';
import { createReporter } from './reporter.ts';
import { DEFAULT_RETRY, isDeliveryDue, settle, shownAsIs, unsettle } from './takes.ts';
import type { TaskEvent, Transition } from './task.ts';
import { type Tracker, type TrackerOptions, withProviderCallbacks } from './tracker-types.ts';

export type { SubmitInput, Tracker, TrackerOptions } from './tracker-types.ts';
export { trackerOptionsFrom } from './tracker-types.ts';

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

const RETENTION_EVERY_MS = 6 * 3_600_000;
/** Full records kept in memory, however many tasks are tracked (see `recent`). */
const RECENT_RECORDS = 64;

/**
 * The durable song-task tracker. Status from polls and callbacks goes through one path (`report`); every
 * change is saved before anyone hears of it; finished takes are delivered exactly once through the sink.
 * It looks after the tasks whose lease it holds (all of them when alone): only the holder polls a task,
 * changes its record and posts its takes; updates for tasks held elsewhere are forwarded to their holder.
 */
export function createTracker(deps: TrackerDeps): Tracker {
	const { provider, store, sink, log } = deps;
	const options = withProviderCallbacks(deps.options, provider.capabilities.callbacks);
	const metrics = deps.metrics ?? noMetrics;
	const now = deps.now ?? Date.now;
	const random = deps.random ?? Math.random;
	const tracked = new Map<string, Tracked>();
	const locks = new KeyedMutex();
	const followUps = new KeyedMutex();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let retention: ReturnType<typeof setInterval> | undefined;
	let ticking: Promise<void> | undefined;
	let stopped = true;
	/** When `timer` fires. */
	let timerAt: number | undefined;
	const fleet = createFleet({ ...(deps.fleet ? { options: deps.fleet } : {}), store, log, now });

	/**
	 * The records of the tasks changed last, as saved: a task's changes come in bursts (a take's delivery is three
	 * in a row), read back from memory. Tracked tasks only, whose records no other process writes.
	 */
	const recent = new Map<string, TaskRecord>();

	async function load(id: string): Promise<TaskRecord | undefined> {
		return (tracked.has(id) ? recent.get(id) : undefined) ?? (await store.getTask(id));
	}

	function remember(record: TaskRecord): void {
		recent.delete(record.id);
		recent.set(record.id, record);
		if (recent.size > RECENT_RECORDS) recent.delete(recent.keys().next().value as string);
	}

	/** Called with every record as saved (after the save). */
	function track(record: TaskRecord, nextPollAt: number): void {
		const existing = tracked.get(record.id);
		if (record.settledAt !== undefined) {
			tracked.delete(record.id);
			recent.delete(record.id);
			// Follow-ups queued before it settled still need the lease to tell the sink: it goes back after them.
			void followUps.run(record.id, async () => {
				if (!tracked.has(record.id)) release(record.id);
			});
		} else {
			remember(record);
			if (existing) existing.record = pollState(record);
			else {
				const entry = {
					record: pollState(record),
					nextPollAt,
					intervalMs: options.timing.fastMs,
					misses: 0,
					failures: 0,
				};
				tracked.set(record.id, entry);
			}
		}
		metrics.activeTasks(tracked.size);
	}

	/** A settled task needs nobody; a late update lets any process take it again. */
	function release(id: string): void {
		fleet.release(id).catch((error: unknown) => log.warn({ err: error, taskId: id }, 'could not release a lease'));
	}

	/** Lost leases: another process polls these tasks and posts their takes now. */
	function drop(ids: readonly string[]): void {
		for (const id of ids) {
			tracked.delete(id);
			recent.delete(id);
		}
		metrics.activeTasks(tracked.size);
	}

	/** Saves, then (outside the lock, in order per task) tells the sink, kicks deliveries and settles. */
	async function commit(prev: TaskRecord, transition: Transition): Promise<TaskRecord> {
		const refunded = markRefunded(transition.record, now());
		const next = unsettle(refunded ?? transition.record);
		// `prev` is the record as saved last (cached or read back): the store writes only the indexes that change.
		await store.saveTask(next, prev);
		// After the mark is saved: a crash in between loses the refund rather than ever making it twice.
		if (refunded?.charge && deps.refund)
			await deps.refund(refunded.charge).catch((err: unknown) => log.warn({ err, taskId: next.id }, 'refund failed'));
		// Queued before `track` may queue the lease's release: this change reaches the sink first.
		followUp(next.id, transition.events);
		track(next, now() + options.timing.fastMs);
		if (next.state.status === 'failed' && prev.state.status !== 'failed') metrics.failed(next.state.failure.kind);
		// A delivery retry or a sooner deadline may now be the next thing to do.
		wake(next.id);
		return next;
	}

	function followUp(id: string, events: readonly TaskEvent[]): void {
		void followUps
			.run(id, async () => {
				const record = await load(id);
				// A moved intent's task speaks for it on the tracker message (the intake shows it and settles both).
				if (record === undefined || !fleet.holds(id) || record.state.status === 'moved') return;
				if (events.length > 0 || record.settledAt === undefined) {
					await sink
						.update(record, events)
						.catch((error: unknown) => log.warn({ err: error, taskId: id }, 'sink update failed'));
				}
				if (record.clips.some((clip) => isDeliveryDue(clip, now()))) deliverer.kick(id);
				await mutate(id, (r) => {
					// Changed since the sink was told (a take posted meanwhile): that change's follow-up shows it, then settles.
					if (!shownAsIs(record, r)) return undefined;
					const settled = settle(r, now());
					return settled ? { record: settled, events: [] } : undefined;
				});
			})
			.catch((error: unknown) => log.error({ err: error, taskId: id }, 'task follow-up failed'));
	}

	async function mutate(
		id: string,
		change: (r: TaskRecord) => Transition | undefined,
	): Promise<TaskRecord | undefined> {
		return locks.run(id, async () => {
			// Only the lease holder writes a task's record: no two processes ever interleave their changes.
			if (!fleet.holds(id)) return undefined;
			const current = await load(id);
			if (current === undefined) return undefined;
			const transition = change(current);
			if (transition === undefined || transition.record === current) return current;
			return commit(current, transition);
		});
	}

	const deliverer = createDeliverer({
		sink,
		audio: deps.audio,
		access: { read: load, mutate, confirm: (id) => fleet.confirm(id) },
		log,
		metrics,
		retry: options.retry ?? DEFAULT_RETRY,
		now,
		downloadTimeoutMs: options.downloadTimeoutMs ?? 120_000,
		localFilesOnly: fleet.shared,
	});

	const report = createReporter({
		fleet,
		store,
		locks,
		load,
		commit,
		isTracked: (id) => tracked.has(id),
		release,
		defaultFamily: provider.family,
		metrics,
		log,
		now,
		wake: () => wake(),
	});

	/** Starts looking after a task whose lease this process just took, from the record as saved now. */
	async function adopt(id: string): Promise<void> {
		await locks.run(id, async () => {
			const record = await store.getTask(id);
			if (record === undefined || record.settledAt !== undefined) return;
			track(record, now());
			followUp(id, []);
		});
		await intake.recover(id);
		wake();
	}

	const intake = createIntake({
		provider,
		store,
		fleet,
		locks,
		load,
		mutate,
		track,
		show: (id) => followUp(id, []),
		report,
		callbackUrl: options.callbackUrl,
		fastMs: options.timing.fastMs,
		metrics,
		log,
		now,
		wake: () => wake(),
	});

	async function resume(): Promise<{ tasks: number; pendingTakes: number }> {
		const records = await store.listActive();
		let tasks = 0;
		let pendingTakes = 0;
		for (const record of records) {
			// Tasks of other processes' guilds are left to them; the fleet's scan takes them if they are orphaned.
			if (!fleet.prefers(record) || !(await fleet.claim(record.id))) continue;
			tasks += 1;
			pendingTakes += record.clips.filter((clip) => isDeliveryDue(clip, Number.POSITIVE_INFINITY)).length;
		}
		log.info({ tasks, pendingTakes }, 'tracker resumed');
		wake();
		return { tasks, pendingTakes };
	}

	/**
	 * Something changed: works out when to poll next. With the task that changed, only that task is looked at: a
	 * change can bring its next work forward, and a timer left earlier than needed costs one idle round at most
	 * (after which every task is looked at again); scanning every task on every change grows with their square.
	 */
	function wake(changed?: string): void {
		if (stopped || ticking) return;
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
		timer = setTimeout(runTick, delay);
	}

	function runTick(): void {
		timer = undefined;
		timerAt = undefined;
		ticking = pollOnce({
			provider,
			timing: options.timing,
			deadlines: options.deadlines,
			tracked,
			report,
			mutate,
			kickDelivery: (id) => deliverer.kick(id),
			log,
			metrics,
			now,
			random,
			fetchTimeoutMs: options.fetchTimeoutMs ?? 30_000,
		})
			.catch((error: unknown) => log.error({ err: error }, 'polling round failed'))
			.finally(() => {
				ticking = undefined;
				wake();
			});
	}

	async function pruneOld(): Promise<void> {
		// With retention off no song is old, but expired saved state is still swept (prune(0) removes no song).
		const pruned = await store.prune(options.retentionMs > 0 ? now() - options.retentionMs : 0);
		// Intents (and songs that never had a take) have no audio.
		for (const record of pruned) if (record.clips.length > 0) await deps.audio.remove(record.id);
		if (pruned.length > 0) log.info({ pruned: pruned.length }, 'old songs pruned');
	}

	return {
		async start(): Promise<void> {
			stopped = false;
			await fleet.start({
				adopt,
				drop,
				apply: (item) => intake.report(item.snapshot, item.source, item.family, item.intentId),
				tracks: (id) => tracked.has(id),
			});
			await resume();
			await pruneOld().catch((error: unknown) => log.warn({ err: error }, 'pruning failed'));
			retention = setInterval(
				() => void pruneOld().catch((error: unknown) => log.warn({ err: error }, 'pruning failed')),
				RETENTION_EVERY_MS,
			);
		},
		resume,
		submit: (input) => intake.submit(input),
		report: intake.report,
		get: load,
		async setTrackerMessage(taskId: string, messageId: string): Promise<TaskRecord | undefined> {
			if (!fleet.holds(taskId) && !(await fleet.claim(taskId))) {
				log.warn({ taskId }, 'tracker message not recorded: another process holds the task');
				return load(taskId);
			}
			const record = await mutate(taskId, (r) => ({ record: { ...r, place: { ...r.place, messageId } }, events: [] }));
			return record;
		},
		redeliver: createRedeliver({ fleet, load, mutate, isTracked: (id) => tracked.has(id), release, now }),
		activeCount: () => tracked.size,
		pollingIds: () => [...tracked.values()].filter((t) => isPollable(t.record)).map((t) => t.record.id),
		async stop(): Promise<void> {
			stopped = true;
			await intake.idle();
			await fleet.stop();
			if (timer) clearTimeout(timer);
			if (retention) clearInterval(retention);
			timer = undefined;
			await ticking;
			await deliverer.idle();
			await followUps.idle();
			await locks.idle();
			await deliverer.idle();
			await fleet.close();
		},
		async idle(): Promise<void> {
			for (let i = 0; i < 5; i++) {
				await ticking;
				await locks.idle();
				await followUps.idle();
				await deliverer.idle();
			}
		},
	};
}
