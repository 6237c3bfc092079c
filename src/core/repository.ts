import { KeyedMutex } from './lock.ts';
import type { TaskRecord } from './records.ts';
import type { Store } from './store.ts';
import type { TaskEvent, Transition } from './task.ts';

/** One saved change of a task's record. */
export interface TaskChange {
	/** The record as saved before. */
	before: TaskRecord;
	/** The record as saved now. */
	after: TaskRecord;
	/** What the user is told about (a take failed for good, …). */
	events: readonly TaskEvent[];
}

/** Records of unsettled tasks kept in memory, however many tasks are tracked. */
const CACHED_RECORDS = 64;

/**
 * The only writer of task records in this process: one change at a time per task (a lock), the records changed
 * last kept in memory (a task's changes come in bursts: a take's delivery is three in a row), and each save
 * naming the record as saved before, so the store writes only the index entries that changed.
 *
 * Only records this process looks after are cached: whoever else may write a record (another process of the
 * fleet) has its lease, and `forget` is called when this process loses one.
 */
export class TaskRepository {
	readonly #store: Pick<Store, 'getTask' | 'saveTask'>;
	readonly #locks = new KeyedMutex();
	readonly #cache = new Map<string, TaskRecord>();
	readonly #mayWrite: ((id: string) => boolean) | undefined;

	/** @param mayWrite - With a fleet: whether this process holds the task's lease (checked under the lock). */
	constructor(store: Pick<Store, 'getTask' | 'saveTask'>, mayWrite?: (id: string) => boolean) {
		this.#store = store;
		this.#mayWrite = mayWrite;
	}

	/** The record as last saved (from memory when this process saved it last). */
	async get(id: string): Promise<TaskRecord | undefined> {
		return this.#cache.get(id) ?? (await this.#store.getTask(id));
	}

	/** The record as saved now, never from memory (a task this process starts looking after). */
	read(id: string): Promise<TaskRecord | undefined> {
		return this.#store.getTask(id);
	}

	/** Runs `work` alone for this task (no change of it interleaves). */
	locked<T>(id: string, work: () => Promise<T>): Promise<T> {
		return this.#locks.run(id, work);
	}

	/**
	 * Under the task's lock: reads the record, asks `change` for the next one and saves it; `saved` runs right
	 * after the save, still under the lock (what must follow every save, in order). Resolves with the record as
	 * saved now (unchanged when `change` changes nothing); undefined when there is no such record or this process
	 * may not write it.
	 */
	change(
		id: string,
		change: (record: TaskRecord) => Transition | undefined,
		saved: (change: TaskChange) => Promise<void> | void,
	): Promise<TaskRecord | undefined> {
		return this.#locks.run(id, async () => {
			if (this.#mayWrite && !this.#mayWrite(id)) return undefined;
			const before = await this.get(id);
			if (before === undefined) return undefined;
			const transition = change(before);
			if (transition === undefined || transition.record === before) return before;
			await this.save(transition.record, before);
			await saved({ before, after: transition.record, events: transition.events });
			return transition.record;
		});
	}

	/** Saves a record (call under its lock): a new one without `before`. */
	async save(record: TaskRecord, before?: TaskRecord): Promise<void> {
		// Out of memory while it is written: the store lands the record before its indexes, and a reader in between
		// (a command, not a change: those wait for the lock) must not get the copy the store has already replaced.
		this.#cache.delete(record.id);
		await this.#store.saveTask(record, before);
		if (record.settledAt === undefined) this.#remember(record);
	}

	/** Another process may write this record now (its lease is gone). */
	forget(id: string): void {
		this.#cache.delete(id);
	}

	/** Resolves when no change is in progress. */
	idle(): Promise<void> {
		return this.#locks.idle();
	}

	#remember(record: TaskRecord): void {
		this.#cache.delete(record.id);
		this.#cache.set(record.id, record);
		if (this.#cache.size > CACHED_RECORDS) this.#cache.delete(this.#cache.keys().next().value as string);
	}
}
