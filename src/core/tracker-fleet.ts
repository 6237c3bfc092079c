import type { Logger } from '../log.ts';
import type { Fleet, FleetHost } from './fleet.ts';
import type { Tracked } from './poll-state.ts';
import type { ReportResult, ReportSource, TrackerMetrics } from './ports.ts';
import type { Family, TaskSnapshot } from './provider.ts';
import type { TaskRecord } from './records.ts';
import type { TaskRepository } from './repository.ts';
import type { Store } from './store.ts';
import { isDeliveryDue } from './takes.ts';
import { apply, type TaskEvent } from './task.ts';

/** A report for a task this process may not change now (another process holds its lease). */
export type Elsewhere = 'elsewhere';

export interface FleetSideDeps {
	fleet: Fleet;
	repo: TaskRepository;
	store: Pick<Store, 'listActive'>;
	tracked: Map<string, Tracked>;
	/** The tracker's own report path, for a task this process holds. */
	applyHere(snapshot: TaskSnapshot, family: Family): Promise<ReportResult | Elsewhere>;
	keep(record: TaskRecord, nextPollAt: number): void;
	announce(id: string, events: readonly TaskEvent[]): void;
	/** An intent cut off before its answer was saved (intake.ts). */
	recover(id: string): Promise<void>;
	/** An update another process received, applied the way the intake applies its own (intake.ts). */
	applyForwarded: FleetHost['apply'];
	wake(): void;
	metrics: TrackerMetrics;
	log: Logger;
	now: () => number;
}

/**
 * The tracker's part that the fleet (fleet.ts) decides: which unsettled tasks this process resumes, and, when
 * several processes share the tasks, reports for tasks held elsewhere and tasks whose lease it takes or loses. A
 * process alone holds every task: it resumes them all and never needs the rest.
 */
export function createFleetSide(deps: FleetSideDeps) {
	const { fleet, repo, tracked, log, now } = deps;

	/** Duplicates and stale updates are recognised before anything is claimed or forwarded. */
	async function applyElsewhere(snapshot: TaskSnapshot, source: ReportSource, family: Family): Promise<ReportResult> {
		const current = await repo.read(snapshot.taskId);
		if (current === undefined) return 'unknown';
		if (current.family !== family) return 'foreign';
		if (apply(current, snapshot, now()).record === current) return 'unchanged';
		if (await fleet.claim(current.id)) {
			const here = await deps.applyHere(snapshot, family);
			if (here !== 'elsewhere') return here;
		}
		if (await fleet.forward(current.id, { snapshot, source, family })) return 'forwarded';
		log.warn({ taskId: current.id }, 'update for a task another process holds, and no inbox to leave it in');
		return 'unchanged';
	}

	// The fleet's side: tasks whose lease this process takes or loses.

	/** Starts looking after a task whose lease this process just took, from the record as saved now. */
	async function adopt(id: string): Promise<void> {
		await repo.locked(id, async () => {
			const record = await repo.read(id);
			if (record === undefined || record.settledAt !== undefined) return;
			deps.keep(record, now());
			deps.announce(id, []);
		});
		await deps.recover(id);
		deps.wake();
	}

	/** Lost leases: another process polls these tasks and posts their takes now. */
	function drop(ids: readonly string[]): void {
		for (const id of ids) {
			tracked.delete(id);
			repo.forget(id);
		}
		deps.metrics.activeTasks(tracked.size);
	}

	/** A settled task needs nobody; a late update lets any process take it again. */
	function release(id: string): void {
		fleet.release(id).catch((error: unknown) => log.warn({ err: error, taskId: id }, 'could not release a lease'));
	}

	/** Every unsettled task of the guilds this process serves that no other process holds (all of them alone). */
	async function resume(): Promise<{ tasks: number; pendingTakes: number }> {
		let tasks = 0;
		let pendingTakes = 0;
		for (const record of await deps.store.listActive()) {
			// Tasks of other processes' guilds are left to them; the fleet's scan takes them if they are orphaned.
			if (!fleet.prefers(record) || !(await fleet.claim(record.id))) continue;
			tasks += 1;
			pendingTakes += record.clips.filter((clip) => isDeliveryDue(clip, Number.POSITIVE_INFINITY)).length;
		}
		log.info({ tasks, pendingTakes }, 'tracker resumed');
		deps.wake();
		return { tasks, pendingTakes };
	}

	/** What the tracker does for the fleet (`fleet.start`). */
	const host: FleetHost = { adopt, drop, apply: deps.applyForwarded, tracks: (id) => tracked.has(id) };
	return { applyElsewhere, adopt, drop, release, resume, host };
}
