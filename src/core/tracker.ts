import { createDeliverer } from './deliverer.ts';
import { createFleet } from './fleet.ts';
import { createIntake } from './intake.ts';
import { KeyedMutex } from './lock.ts';
import { newTracked, pollState, type Tracked } from './poll-state.ts';
import { createPollTimer } from './poller.ts';
import { noMetrics, type ReportResult, type ReportSource } from './ports.ts';
import type { Family, TaskSnapshot } from './provider.ts';
import { isPollable, type TaskRecord } from './records.ts';
import { createRedeliver } from './redeliver.ts';
import { createRecordEdits } from './tracker-edits.ts';
import { trackerLifecycle } from './tracker-lifecycle.ts';
import { createRetention } from './retention.ts';
import { markRefunded } from './refund.ts';
import { type TaskChange, TaskRepository } from './repository.ts';
import { createFleetSide, type Elsewhere } from './tracker-fleet.ts';
import {
	beginDelivery,
	DEFAULT_DELIVERY_RETRY,
	isDeliveryDue,
	nextToPost,
	settle,
	shownAsIs,
	unsettle,
} from './takes.ts';
import { apply, type TaskEvent, type Transition } from './task.ts';
import { type Tracker, type TrackerDeps, withProviderCallbacks } from './tracker-types.ts';

export type { StudioLink, SubmitInput, Tracker, TrackerDeps, TrackerOptions } from './tracker-types.ts';

/**
 * The durable song-task tracker. How one status update flows, in the order of this file:
 *
 * 1. `report(snapshot)`, from a poll (poller.ts), a callback (src/http) or a submit answer (intake.ts), asks the
 *    repository (repository.ts, the only writer) to `change` the task: under the task's lock the record is read,
 *    the snapshot merged (`apply`, task.ts, pure: stale or duplicate snapshots change nothing and stop here) and
 *    the result saved before anyone hears of it.
 * 2. `afterSave` runs after every save, still under the lock: gives a failed song's quota back, keeps what polling
 *    needs in memory and queues the announcement.
 * 3. `announce` runs outside the lock, in order per task: tells the sink (the tracker message), hands due takes to
 *    the deliverer (deliverer.ts: `posting` → post → `delivered`, each one more `change`) and settles the task
 *    once it is shown as it is and has nothing left to do.
 *
 * Every other change (deadlines, deliveries, intents, redelivery) is a `change` too, so it is saved and announced
 * the same way. With a fleet (fleet.ts), only the process holding a task's lease changes it and reports for
 * other tasks are forwarded to their holder; alone, the solo fleet holds everything and checks nothing. What
 * Discord notes on a record (tracker-edits.ts) and the order of start and stop (tracker-lifecycle.ts) live apart.
 */
export function createTracker(deps: TrackerDeps): Tracker {
	const { provider, store, sink, log } = deps;
	const options = withProviderCallbacks(deps.options, provider.capabilities.callbacks);
	const metrics = deps.metrics ?? noMetrics;
	const now = deps.now ?? Date.now;
	const fleet = createFleet({ ...(deps.fleet ? { options: deps.fleet } : {}), store, log, now });
	const repo = new TaskRepository(store, fleet.shared ? (id) => fleet.holds(id) : undefined);
	/** What polling keeps of each unsettled task this process looks after. */
	const tracked = new Map<string, Tracked>();
	const announcements = new KeyedMutex();

	// 1. Reports: the holder applies them; another process claims a free task or forwards the report.

	async function report(snapshot: TaskSnapshot, source: ReportSource, family = provider.family) {
		const id = snapshot.taskId;
		const here = fleet.holds(id) ? await applyHere(snapshot, family) : 'elsewhere';
		const result = here === 'elsewhere' ? await applyElsewhere(snapshot, source, family) : here;
		// A settled task taken only to apply this update is free again (unless the update revived it).
		if (fleet.shared && !tracked.has(id) && fleet.holds(id)) release(id);
		metrics.reported(source, result);
		if (result === 'unknown' || result === 'foreign')
			log.info({ taskId: id, source, family, result }, 'report ignored');
		else log.debug({ taskId: id, source, status: snapshot.status, result }, 'report');
		if (result === 'applied') timer.wake();
		return result;
	}

	async function applyHere(snapshot: TaskSnapshot, family: Family): Promise<ReportResult | Elsewhere> {
		let result: ReportResult | undefined;
		await change(snapshot.taskId, (record) => {
			if (record.family !== family) {
				result = 'foreign';
				return undefined;
			}
			const transition = apply(record, snapshot, now());
			result = transition.record === record ? 'unchanged' : 'applied';
			return transition;
		});
		return result ?? (fleet.holds(snapshot.taskId) ? 'unknown' : 'elsewhere');
	}

	// 2. Every change of a record, and what follows each save.

	/** A transition of the task's record, saved; resolves with the record as saved now. */
	function change(id: string, next: (r: TaskRecord) => Transition | undefined): Promise<TaskRecord | undefined> {
		let marked: string | undefined;
		return repo.change(
			id,
			(record) => {
				const transition = next(record);
				if (transition === undefined || transition.record === record) return undefined;
				// The refund mark goes in the same write; a settled task that changes is active again.
				const refunded = markRefunded(transition.record, now());
				const after = unsettle(refunded ?? transition.record);
				// A take that became due starts its delivery in this write, rather than in one of its own.
				marked = nextToPost(after);
				return { record: marked ? beginDelivery(after, marked, now()) : after, events: transition.events };
			},
			(saved) => {
				if (marked) deliverer.begun(id, marked);
				return afterSave(saved);
			},
		);
	}

	async function afterSave({ before, after, events }: TaskChange): Promise<void> {
		// After the mark is saved: a crash in between loses the refund rather than ever making it twice.
		const charge = after.charge;
		if (charge?.refundedAt !== undefined && before.charge?.refundedAt === undefined && deps.refund) {
			await deps.refund(charge).catch((err: unknown) => log.warn({ err, taskId: after.id }, 'refund failed'));
		}
		// Queued before `keep` may queue the lease's release: this change reaches the sink first.
		announce(after.id, events);
		keep(after, now() + options.timing.fastMs);
		if (after.state.status === 'failed' && before.state.status !== 'failed') metrics.failed(after.state.failure.kind);
		// A delivery retry or a sooner deadline may now be the next thing to do.
		timer.wake(after.id);
	}

	/** Called with every record as saved (after the save). */
	function keep(record: TaskRecord, nextPollAt: number): void {
		if (record.settledAt !== undefined) {
			tracked.delete(record.id);
			// Announcements queued before it settled still need the lease to tell the sink: it goes back after them.
			if (fleet.shared) {
				void announcements.run(record.id, async () => {
					if (!tracked.has(record.id)) release(record.id);
				});
			}
		} else {
			const entry = tracked.get(record.id);
			if (entry) entry.record = pollState(record);
			else tracked.set(record.id, newTracked(record, nextPollAt, options.timing.fastMs));
		}
		metrics.activeTasks(tracked.size);
	}

	// 3. Announcements: the sink, the deliverer, settling.

	function announce(id: string, events: readonly TaskEvent[]): void {
		void announcements
			.run(id, async () => {
				const record = await repo.get(id);
				// A moved intent's task speaks for it on the tracker message (the intake shows it and settles both).
				if (record === undefined || !fleet.holds(id) || record.state.status === 'moved') return;
				if (events.length > 0 || record.settledAt === undefined) {
					await sink
						.update(record, events)
						.catch((error: unknown) => log.warn({ err: error, taskId: id }, 'sink update failed'));
				}
				if (record.clips.some((clip) => isDeliveryDue(clip, now()))) deliverer.kick(id);
				await change(id, (r) => {
					// Changed since the sink was told (a take posted meanwhile): that change's announcement settles it.
					if (!shownAsIs(record, r)) return undefined;
					const settled = settle(r, now());
					return settled ? { record: settled, events: [] } : undefined;
				});
			})
			.catch((error: unknown) => log.error({ err: error, taskId: id }, 'task announcement failed'));
	}

	const deliverer = createDeliverer({
		sink,
		audio: deps.audio,
		access: { read: (id) => repo.get(id), mutate: change, confirm: (id) => fleet.confirm(id) },
		log,
		metrics,
		retry: options.deliveryRetry ?? DEFAULT_DELIVERY_RETRY,
		now,
		downloadTimeoutMs: options.downloadTimeoutMs ?? 120_000,
		localFilesOnly: fleet.shared,
	});

	const intake = createIntake({
		provider,
		repo,
		fleet,
		mutate: change,
		keep,
		show: announce,
		report,
		callbackUrl: options.callbackUrl,
		fastMs: options.timing.fastMs,
		metrics,
		log,
		now,
		wake: () => timer.wake(),
	});

	const timer = createPollTimer({
		provider,
		options,
		tracked,
		report,
		mutate: change,
		kickDelivery: (id) => deliverer.kick(id),
		log,
		metrics,
		now,
		random: deps.random ?? Math.random,
	});

	const retention = createRetention({ store, audio: deps.audio, retentionMs: options.retentionMs, log, now });

	// Resuming after a restart; with a fleet, reports for tasks held elsewhere and leases taken or lost.
	const { applyElsewhere, release, resume, host } = createFleetSide({
		fleet,
		repo,
		tracked,
		applyHere,
		keep,
		announce,
		store,
		recover: (id) => intake.recover(id),
		applyForwarded: (item) => intake.report(item.snapshot, item.source, item.family, item.intentId),
		wake: () => timer.wake(),
		metrics,
		log,
		now,
	});

	return {
		...trackerLifecycle({ fleet, host, timer, retention, intake, deliverer, announcements, repo, resume }),
		resume,
		submit: (input) => intake.submit(input),
		report: intake.report,
		get: (id) => repo.get(id),
		...createRecordEdits({ fleet, mutate: change, load: (id) => repo.get(id), announcements, sink, log }),
		redeliver: createRedeliver({
			fleet,
			load: (id) => repo.get(id),
			mutate: change,
			isTracked: (id) => tracked.has(id),
			release,
			now,
		}),
		activeCount: () => tracked.size,
		pollingIds: () => [...tracked.values()].filter((t) => isPollable(t.record)).map((t) => t.record.id),
	};
}
