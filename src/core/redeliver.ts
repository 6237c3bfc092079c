import type { Fleet } from './fleet.ts';
import type { TaskRecord } from './records.ts';
import { retryDelivery } from './takes.ts';
import type { Transition } from './task.ts';
import type { Tracker } from './tracker-types.ts';

export interface RedeliverDeps {
	fleet: Pick<Fleet, 'holds' | 'claim'>;
	load(taskId: string): Promise<TaskRecord | undefined>;
	/** The tracker's change under the task's lock; the change is not called when the lease is not held. */
	mutate(taskId: string, change: (record: TaskRecord) => Transition | undefined): Promise<unknown>;
	isTracked(taskId: string): boolean;
	release(taskId: string): void;
	now: () => number;
}

/**
 * `tracker.redeliver`: a take given up on becomes due again (the channel is searched before it is posted), on
 * whichever process presses the button, by taking the task's lease when it is free.
 */
export function createRedeliver(deps: RedeliverDeps): Tracker['redeliver'] {
	const { fleet } = deps;
	return async (taskId, clipId) => {
		const record = await deps.load(taskId);
		if (!record?.clips.some((c) => c.id === clipId)) return 'unknown';
		// Twice at most: the task may settle (and its lease go back) between the claim and the change.
		for (let attempt = 0; attempt < 2; attempt++) {
			if (!fleet.holds(taskId) && !(await fleet.claim(taskId))) return 'busy';
			let retried: boolean | undefined;
			await deps.mutate(taskId, (r) => {
				const next = retryDelivery(r, clipId, deps.now());
				retried = next !== undefined;
				return next ? { record: next, events: [] } : undefined;
			});
			if (retried === undefined) continue;
			// Taken only to look: a settled task is free again.
			if (!retried && !deps.isTracked(taskId)) deps.release(taskId);
			return retried ? 'retrying' : 'not-needed';
		}
		return 'busy';
	};
}
