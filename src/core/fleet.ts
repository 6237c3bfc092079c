import type { Logger } from '../log.ts';
import type { InboxItem, TaskInbox } from './inbox.ts';
import { KeyedMutex } from './lock.ts';
import { LeaseKeeper, type LeaseStore } from './lease.ts';
import type { TaskRecord } from './records.ts';
import type { Store } from './store.ts';

/** How the trackers of several processes share the work (see README, "Scaling"). */
export interface FleetOptions {
	leases: LeaseStore;
	/** Where updates for tasks of other processes go; needed when `leases` is shared. */
	inbox?: TaskInbox;
	/** This process in the lease store: unique per start. */
	holder: string;
	/** Lease lifetime; a crashed process's tasks are taken over this long (plus as long again) after it died. */
	leaseMs: number;
	/** True for tasks of the guilds this process serves (its shards): it takes them first when they are free. */
	prefers(record: TaskRecord): boolean;
}

/** What the tracker does for the fleet. */
export interface FleetHost {
	/** Starts looking after a task whose lease was just taken, from its record as saved now. */
	adopt(taskId: string): Promise<void>;
	/** Applies an update another process received (the tracker's own report path). */
	apply(item: InboxItem): Promise<unknown>;
	/** Stops looking after tasks whose leases were lost. */
	drop(taskIds: string[]): void;
	/** Whether the task is being looked after (unfinished, lease held). */
	tracks(taskId: string): boolean;
}

export interface Fleet {
	readonly shared: boolean;
	/** Whether this process should look after the task while it is free (its guild is served here). */
	prefers(record: TaskRecord): boolean;
	holds(taskId: string): boolean;
	/** Takes the lease of a task that has no record yet (just submitted). */
	acquire(taskId: string): Promise<boolean>;
	/** Renews the lease right before an effect that must happen once (posting a take). */
	confirm(taskId: string): Promise<boolean>;
	/** Takes a free lease and adopts the task; false when another process has it. */
	claim(taskId: string): Promise<boolean>;
	release(taskId: string): Promise<void>;
	/** Leaves an update for the task's holder; false when there is no inbox to leave it in. */
	forward(taskId: string, item: InboxItem): Promise<boolean>;
	/** Applies what waits in the task's inbox, when this process holds the task. */
	drain(taskId: string): Promise<void>;
	/** Renews leases and (shared leases only) scans for orphaned tasks and waiting updates. */
	start(host: FleetHost): Promise<void>;
	/** Takes no more tasks and applies no more forwarded updates; leases are still renewed. */
	stop(): Promise<void>;
	/** Gives every lease back (after the tracker's work in progress has finished). */
	close(): Promise<void>;
}

export interface FleetDeps {
	options?: FleetOptions;
	store: Pick<Store, 'activeIds' | 'getTask'>;
	log: Logger;
	now: () => number;
}

/**
 * One process alone: it holds every task, so there are no leases to take, renew or check, no inbox and no scans.
 * Claiming a task (resuming it after a restart) only starts looking after it.
 */
export function soloFleet(): Fleet {
	let host: FleetHost | undefined;
	const yes = async () => true;
	const nothing = async () => {};
	return {
		shared: false,
		prefers: () => true,
		holds: () => true,
		acquire: yes,
		confirm: yes,
		async claim(taskId) {
			if (host && !host.tracks(taskId)) await host.adopt(taskId);
			return true;
		},
		release: nothing,
		forward: async () => false,
		drain: nothing,
		async start(h) {
			host = h;
		},
		stop: nothing,
		close: nothing,
	};
}

/**
 * The tracker's share of the fleet's work. Free tasks of this process's guilds are claimed at once; a task of
 * another guild only after it has been seen free for a whole lease time (its own process had a chance);
 * updates other processes received are applied by the holder, woken by the inbox or found by the scan.
 */
export function createFleet(deps: FleetDeps): Fleet {
	if (deps.options === undefined) return soloFleet();
	const options = deps.options;
	const { log, now } = deps;
	const inbox = options.inbox;
	const drains = new KeyedMutex();
	const freeSince = new Map<string, number>();
	let host: FleetHost | undefined;
	let scanTimer: ReturnType<typeof setInterval> | undefined;
	let scanning: Promise<void> | undefined;
	let stopped = false;
	const keeper = new LeaseKeeper({
		store: options.leases,
		holder: options.holder,
		ttlMs: options.leaseMs,
		now,
		onLost: (ids) => {
			log.warn({ tasks: ids }, 'task leases lost; another process looks after them now');
			host?.drop(ids);
		},
		onError: (error) => log.warn({ err: error }, 'lease store did not answer'),
	});

	async function claim(taskId: string): Promise<boolean> {
		if (keeper.holds(taskId)) return true;
		if (stopped || !(await keeper.acquire(taskId))) return false;
		freeSince.delete(taskId);
		await host?.adopt(taskId);
		if (inbox) void drain(taskId);
		return true;
	}

	function drain(taskId: string): Promise<void> {
		if (!inbox) return Promise.resolve();
		return drains
			.run(taskId, async () => {
				if (stopped || !keeper.holds(taskId)) return;
				const items = await inbox.peek(taskId);
				for (const item of items) await host?.apply(item);
				if (items.length > 0) await inbox.ack(taskId, items.length);
			})
			.catch((error: unknown) => log.warn({ err: error, taskId }, 'could not apply forwarded updates'));
	}

	/** Orphaned tasks (their holder died) and updates left for tasks nobody holds. */
	async function scan(): Promise<void> {
		const active = await deps.store.activeIds();
		const ids = active.filter((id) => !keeper.holds(id));
		const holders = await options.leases.holders(ids);
		const seen = new Set<string>();
		for (const [i, id] of ids.entries()) {
			if (holders[i] !== undefined) continue;
			seen.add(id);
			const record = await deps.store.getTask(id);
			if (record === undefined || record.settledAt !== undefined) continue;
			const since = freeSince.get(id) ?? now();
			freeSince.set(id, since);
			if (options.prefers(record) || now() - since >= options.leaseMs) {
				if (await claim(id)) log.info({ taskId: id, guildId: record.place.guildId }, 'took over a task');
			}
		}
		for (const id of freeSince.keys()) if (!seen.has(id)) freeSince.delete(id);
		for (const id of (await inbox?.waiting()) ?? []) {
			if (keeper.holds(id)) await drain(id);
			// Unfinished tasks were considered above; a settled one revived by a late update goes to anyone.
			else if (!active.includes(id) && (await options.leases.holders([id]))[0] === undefined && (await claim(id))) {
				await drain(id);
				if (!host?.tracks(id)) await keeper.release(id);
			}
		}
	}

	return {
		get shared() {
			return keeper.shared;
		},
		prefers: (record) => options.prefers(record),
		holds: (taskId) => keeper.holds(taskId),
		acquire: (taskId) => keeper.acquire(taskId),
		confirm: (taskId) => keeper.confirm(taskId),
		claim,
		release: (taskId) => keeper.release(taskId),
		async forward(taskId, item) {
			if (!inbox) return false;
			await inbox.post(taskId, item);
			return true;
		},
		drain,
		async start(h) {
			host = h;
			keeper.start();
			if (!keeper.shared) return;
			await inbox?.listen((taskId) => {
				if (keeper.holds(taskId)) void drain(taskId);
			});
			scanTimer = setInterval(() => {
				scanning ??= scan()
					.catch((error: unknown) => log.warn({ err: error }, 'fleet scan failed'))
					.finally(() => {
						scanning = undefined;
					});
			}, options.leaseMs / 2);
		},
		async stop() {
			stopped = true;
			if (scanTimer) clearInterval(scanTimer);
			scanTimer = undefined;
			await scanning;
			await drains.idle();
		},
		close: () => keeper.stop(),
	};
}
