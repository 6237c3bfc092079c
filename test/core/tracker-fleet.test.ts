import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryInbox, type TaskInbox } from '../../src/core/inbox.ts';
import { createMemoryLeaseStore, type LeaseStore } from '../../src/core/lease.ts';
import type { Store } from '../../src/core/store.ts';
import { createTracker, type Tracker } from '../../src/core/tracker.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { log, options, song } from './tracker-setup.ts';
import { MemoryAudio, MemorySink, ScriptedProvider } from './scripted.ts';

/**
 * Several trackers ("processes") sharing one store, one lease store, one inbox and one channel, with fake
 * timers: what the fleet guarantees, without Redis (test/scale runs the real thing).
 */

const LEASE_MS = 3_000;

beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
	vi.useRealTimers();
});

interface Process {
	tracker: Tracker;
	provider: ScriptedProvider;
	/** Makes the lease store unreachable for this process (a partition, or a process frozen in place). */
	cut(): void;
}

function fleet() {
	const store: Store = createMemoryStore();
	const leases = createMemoryLeaseStore({ shared: true });
	const inbox: TaskInbox = createMemoryInbox();
	const channel = new MemorySink();
	const processes: Process[] = [];
	const start = async (name: string, guildId: string): Promise<Process> => {
		let reachable = true;
		const guarded: LeaseStore = {
			shared: true,
			acquire: (...a) => (reachable ? leases.acquire(...a) : Promise.reject(new Error('unreachable'))),
			renew: (...a) => (reachable ? leases.renew(...a) : Promise.reject(new Error('unreachable'))),
			release: (...a) => (reachable ? leases.release(...a) : Promise.reject(new Error('unreachable'))),
			holders: (...a) => (reachable ? leases.holders(...a) : Promise.reject(new Error('unreachable'))),
		};
		const provider = new ScriptedProvider('newapi', 100, `${name}-t`);
		const tracker = createTracker({
			provider,
			store,
			sink: channel,
			audio: new MemoryAudio(),
			log,
			options,
			random: () => 0.5,
			fleet: {
				leases: guarded,
				inbox,
				holder: name,
				leaseMs: LEASE_MS,
				prefers: (record) => record.place.guildId === guildId,
			},
		});
		await tracker.start();
		const process = {
			tracker,
			provider,
			cut: () => {
				reachable = false;
			},
		};
		processes.push(process);
		return process;
	};
	/** The provider's view of a task, the same whichever process asks. */
	const set = (id: string, stage: Parameters<ScriptedProvider['set']>[1]) => {
		for (const p of processes) {
			p.provider.tasks.set(id, { taskId: id, kind: 'music', status: 'queued', clips: [] });
			p.provider.set(id, stage);
		}
	};
	return { store, leases, channel, start, set };
}

const place = (guildId: string) => ({
	requester: { userId: '1', name: 'ana' },
	place: { guildId, channelId: `c-${guildId}`, messageId: `tm-${guildId}` },
});

describe('trackers of several processes sharing leases', () => {
	it('GIVEN a callback received by the process that does not hold the task THEN it is forwarded, applied by the holder, and each take is posted once', async () => {
		const f = fleet();
		const a = await f.start('a', 'g-a');
		const b = await f.start('b', 'g-b');
		const { id } = await a.tracker.submit({ request: song, ...place('g-a') });
		f.set(id, 'done');
		const snapshot = a.provider.tasks.get(id);
		if (!snapshot) throw new Error('no snapshot');

		expect(await b.tracker.report(snapshot, 'callback')).toBe('forwarded');
		await vi.advanceTimersByTimeAsync(100);
		await a.tracker.idle();

		expect(f.channel.markers()).toEqual([`songbot:${id}:${id}-a`, `songbot:${id}:${id}-b`]);
		expect(b.provider.fetches).toEqual([]);
		expect(b.tracker.activeCount()).toBe(0);
		expect(await b.tracker.report(snapshot, 'callback')).toBe('unchanged');
		await a.tracker.stop();
		await b.tracker.stop();
	});

	it('GIVEN a lost submit answer in one process WHEN the callback naming its intent reaches the other THEN it is forwarded, the holder binds the task, and each take is posted once', async () => {
		const f = fleet();
		const a = await f.start('a', 'g-a');
		const b = await f.start('b', 'g-b');
		a.provider.loseNextAnswer = true;
		const intent = await a.tracker.submit({ request: song, ...place('g-a') });
		expect(intent.state.status).toBe('unconfirmed');
		f.set('a-t1', 'done');
		const snapshot = a.provider.tasks.get('a-t1');
		if (!snapshot) throw new Error('no snapshot');

		expect(await b.tracker.report(snapshot, 'callback', 'newapi', intent.id)).toBe('forwarded');
		await vi.advanceTimersByTimeAsync(100);
		await a.tracker.idle();

		expect(await f.store.getTask('a-t1')).toMatchObject({ intentId: intent.id, state: { status: 'delivered' } });
		expect(f.channel.markers()).toEqual(['songbot:a-t1:a-t1-a', 'songbot:a-t1:a-t1-b']);
		expect(b.tracker.activeCount()).toBe(0);
		expect(a.provider.submits).toHaveLength(1);
		await a.tracker.stop();
		await b.tracker.stop();
	});

	it('GIVEN tasks in both processes THEN each polls only its own tasks', async () => {
		const f = fleet();
		const a = await f.start('a', 'g-a');
		const b = await f.start('b', 'g-b');
		const one = await a.tracker.submit({ request: song, ...place('g-a') });
		const two = await b.tracker.submit({ request: song, ...place('g-b') });
		f.set(one.id, 'running');
		f.set(two.id, 'running');
		await vi.advanceTimersByTimeAsync(20_000);

		expect(new Set(a.provider.fetches.flat())).toEqual(new Set([one.id]));
		expect(new Set(b.provider.fetches.flat())).toEqual(new Set([two.id]));
		await a.tracker.stop();
		await b.tracker.stop();
	});

	it('GIVEN the holder cut off while a take it posted was never marked THEN the other process takes the task over after the lease lapses and every take is in the channel once', async () => {
		const f = fleet();
		const a = await f.start('a', 'g-a');
		const b = await f.start('b', 'g-b');
		const { id } = await a.tracker.submit({ request: song, ...place('g-a') });
		f.set(id, 'first');
		// A's post of take 1 reaches the channel, but A never learns it did; then A is cut off.
		f.channel.loseAnswers = 1;
		await vi.advanceTimersByTimeAsync(5_000);
		expect(f.channel.posts).toHaveLength(1);
		a.cut();
		f.set(id, 'done');

		await vi.advanceTimersByTimeAsync(LEASE_MS);
		expect(a.tracker.activeCount()).toBe(0);
		expect(b.tracker.activeCount()).toBe(0);
		await vi.advanceTimersByTimeAsync(3 * LEASE_MS);
		await b.tracker.idle();

		expect(f.channel.markers()).toEqual([`songbot:${id}:${id}-a`, `songbot:${id}:${id}-b`]);
		expect(f.channel.lookups).toContain(`songbot:${id}:${id}-a`);
		expect((await f.store.getTask(id))?.settledAt).toBeDefined();
		expect(b.provider.fetches.flat()).toContain(id);
		await b.tracker.stop();
	});

	it('GIVEN a song given up after the overall timeout WHEN its late success reaches the other process THEN that process takes the song and posts both takes once', async () => {
		const f = fleet();
		const a = await f.start('a', 'g-a');
		const b = await f.start('b', 'g-b');
		const { id } = await a.tracker.submit({ request: song, ...place('g-a') });
		f.set(id, 'running');
		await vi.advanceTimersByTimeAsync(options.deadlines.taskTimeoutMs + 60_000);
		await a.tracker.idle();
		expect((await f.store.getTask(id))?.settledAt).toBeDefined();
		expect(await f.leases.holders([id])).toEqual([undefined]);

		f.set(id, 'done');
		const late = b.provider.tasks.get(id);
		if (!late) throw new Error('no snapshot');
		expect(await b.tracker.report(late, 'callback')).toBe('applied');
		await vi.advanceTimersByTimeAsync(1_000);
		await b.tracker.idle();

		expect(f.channel.markers()).toEqual([`songbot:${id}:${id}-a`, `songbot:${id}:${id}-b`]);
		expect(await f.leases.holders([id])).toEqual([undefined]);
		await a.tracker.stop();
		await b.tracker.stop();
	});

	it('GIVEN a process stopping in an orderly way THEN its tasks are free at once and the process of their guild takes them', async () => {
		const f = fleet();
		const a = await f.start('a', 'g-a');
		const { id } = await a.tracker.submit({ request: song, ...place('g-b') });
		f.set(id, 'running');
		await a.tracker.stop();
		expect(await f.leases.holders([id])).toEqual([undefined]);

		const b = await f.start('b', 'g-b');
		expect(b.tracker.activeCount()).toBe(1);
		f.set(id, 'done');
		await vi.advanceTimersByTimeAsync(10_000);
		await b.tracker.idle();
		expect(f.channel.markers()).toEqual([`songbot:${id}:${id}-a`, `songbot:${id}:${id}-b`]);
		await b.tracker.stop();
	});
});
