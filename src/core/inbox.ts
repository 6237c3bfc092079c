import type { ReportSource } from './ports.ts';
import type { Family, TaskSnapshot } from './provider.ts';

/** A status update received by a process that does not look after the task. */
export interface InboxItem {
	snapshot: TaskSnapshot;
	source: ReportSource;
	family: Family;
	/** The intent named in the callback URL, when the task may not be known here yet (a lost submit answer). */
	intentId?: string;
}

/**
 * Status updates waiting for the process that holds a task's lease (callbacks may reach any process behind a
 * load balancer). Items are kept until the holder has applied them and acknowledges them, so a holder that
 * dies half-way loses nothing: the next holder applies them again, which `tracker.report` makes harmless.
 * Implementations: a Redis list per task + pub/sub (src/store/redis-coordination.ts) and
 * {@link createMemoryInbox}.
 */
export interface TaskInbox {
	/** Stores the item durably, then wakes the listeners (of every process). */
	post(taskId: string, item: InboxItem): Promise<void>;
	/** The task's items, oldest first, without removing them. */
	peek(taskId: string): Promise<InboxItem[]>;
	/** Removes the task's first `count` items (applied); items posted meanwhile stay. */
	ack(taskId: string, count: number): Promise<void>;
	/** Tasks with items waiting: the safety net for a wake-up that got lost. */
	waiting(): Promise<string[]>;
	/** Calls `listener(taskId)` when an item is posted by any process; best effort. */
	listen(listener: (taskId: string) => void): Promise<void>;
	close(): Promise<void>;
}

/** An inbox in this process's memory (tests of several trackers in one process). */
export function createMemoryInbox(): TaskInbox {
	const items = new Map<string, InboxItem[]>();
	const listeners: ((taskId: string) => void)[] = [];
	return {
		async post(taskId, item) {
			items.set(taskId, [...(items.get(taskId) ?? []), structuredClone(item)]);
			for (const listener of listeners) queueMicrotask(() => listener(taskId));
		},
		async peek(taskId) {
			return structuredClone(items.get(taskId) ?? []);
		},
		async ack(taskId, count) {
			const rest = (items.get(taskId) ?? []).slice(count);
			if (rest.length > 0) items.set(taskId, rest);
			else items.delete(taskId);
		},
		async waiting() {
			return [...items.keys()];
		},
		async listen(listener) {
			listeners.push(listener);
		},
		async close() {
			listeners.length = 0;
		},
	};
}
