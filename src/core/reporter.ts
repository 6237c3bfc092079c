import type { Logger } from '../log.ts';
import type { Fleet } from './fleet.ts';
import type { KeyedMutex } from './lock.ts';
import type { ReportResult, ReportSource, TrackerMetrics } from './ports.ts';
import type { Family, TaskSnapshot } from './provider.ts';
import type { TaskRecord } from './records.ts';
import type { Store } from './store.ts';
import { apply, type Transition } from './task.ts';

export interface ReporterDeps {
	fleet: Fleet;
	store: Pick<Store, 'getTask'>;
	/** The tracker's per-task lock, record cache and commit (save, then tell the sink). */
	locks: KeyedMutex;
	load(taskId: string): Promise<TaskRecord | undefined>;
	commit(prev: TaskRecord, transition: Transition): Promise<TaskRecord>;
	isTracked(taskId: string): boolean;
	release(taskId: string): void;
	defaultFamily: Family;
	metrics: TrackerMetrics;
	log: Logger;
	now: () => number;
	/** Something changed: the tracker reconsiders when to poll next. */
	wake(): void;
}

/** The lease was lost while the update waited for the task's lock. */
type Elsewhere = 'elsewhere';

/**
 * `tracker.report`: the one path for status. The process that holds the task applies the update (saved
 * before this resolves); another process takes the task when it is free, else leaves the update in the
 * holder's inbox. Duplicates and stale updates are recognised before anything is forwarded.
 */
export function createReporter(deps: ReporterDeps) {
	const { fleet, locks, log, now } = deps;

	function applyHere(snapshot: TaskSnapshot, family: Family): Promise<ReportResult | Elsewhere> {
		return locks.run(snapshot.taskId, async (): Promise<ReportResult | Elsewhere> => {
			if (!fleet.holds(snapshot.taskId)) return 'elsewhere';
			const current = await deps.load(snapshot.taskId);
			if (current === undefined) return 'unknown';
			if (current.family !== family) return 'foreign';
			const transition = apply(current, snapshot, now());
			if (transition.record === current) return 'unchanged';
			await deps.commit(current, transition);
			return 'applied';
		});
	}

	async function applyOrForward(snapshot: TaskSnapshot, source: ReportSource, family: Family): Promise<ReportResult> {
		const current = await deps.store.getTask(snapshot.taskId);
		if (current === undefined) return 'unknown';
		if (current.family !== family) return 'foreign';
		if (apply(current, snapshot, now()).record === current) return 'unchanged';
		if (await fleet.claim(current.id)) {
			const here = await applyHere(snapshot, family);
			if (here !== 'elsewhere') return here;
		}
		if (await fleet.forward(current.id, { snapshot, source, family })) return 'forwarded';
		log.warn({ taskId: current.id }, 'update for a task another process holds, and no inbox to leave it in');
		return 'unchanged';
	}

	return async function report(
		snapshot: TaskSnapshot,
		source: ReportSource,
		family: Family = deps.defaultFamily,
	): Promise<ReportResult> {
		const id = snapshot.taskId;
		const here = fleet.holds(id) ? await applyHere(snapshot, family) : 'elsewhere';
		const result = here === 'elsewhere' ? await applyOrForward(snapshot, source, family) : here;
		// A settled task taken only to apply this update is free again (unless the update revived it).
		if (!deps.isTracked(id) && fleet.holds(id)) deps.release(id);
		deps.metrics.reported(source, result);
		if (result === 'unknown' || result === 'foreign')
			log.info({ taskId: id, source, family, result }, 'report ignored');
		else log.debug({ taskId: id, source, status: snapshot.status, result }, 'report');
		if (result === 'applied') deps.wake();
		return result;
	};
}
