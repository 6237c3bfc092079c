import { describe, expect, it } from 'vitest';
import { InFlight, InFlightRefusal } from '../../src/core/inflight.ts';
import type { TaskRecord } from '../../src/core/records.ts';
import { newRecord } from './records.fixtures.ts';
import { moneyEngines } from './money-engines.ts';

const engines = moneyEngines();
const GUILD = '222222222222222222';

function running(id: string, userId: string, createdAt: number, extra: Partial<TaskRecord> = {}): TaskRecord {
	return newRecord({
		id,
		createdAt,
		requester: { userId, name: userId },
		place: { guildId: GUILD, channelId: 'c1', messageId: `msg-${id}` },
		...extra,
	});
}

async function refusalOf(promise: Promise<unknown>): Promise<InFlightRefusal> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof InFlightRefusal) return error;
		throw error;
	}
	throw new Error('expected an in-flight refusal');
}

describe.each(engines.names)('InFlight on %s', (engine) => {
	it('GIVEN two unfinished songs of one person THEN a third is refused with the count and the oldest one', async () => {
		const store = await engines.open(engine);
		await store.saveTask(running('new', 'alice', 2_000));
		await store.saveTask(running('old', 'alice', 1_000));
		const caps = new InFlight(store);
		const refusal = await refusalOf(caps.check(GUILD, 'alice', { user: 2, guild: 10 }));
		expect(refusal.scope).toBe('user');
		expect(refusal.running).toBe(2);
		expect(refusal.oldest).toEqual({ guildId: GUILD, channelId: 'c1', messageId: 'msg-old' });
		// Someone else in the server is not held back by alice's songs.
		await caps.check(GUILD, 'bob', { user: 2, guild: 10 });
	});

	it('GIVEN the server cap is reached THEN everyone there is refused; a settled song frees a slot', async () => {
		const store = await engines.open(engine);
		await store.saveTask(running('a', 'alice', 1_000));
		const done = running('b', 'bob', 2_000);
		await store.saveTask(done);
		const caps = new InFlight(store);
		const refusal = await refusalOf(caps.check(GUILD, 'carol', { user: 2, guild: 2 }));
		expect(refusal.scope).toBe('guild');
		expect(refusal.oldest?.messageId).toBe('msg-a');
		await store.saveTask({
			...done,
			state: { status: 'failed', failure: { kind: 'generation', message: 'x', source: 'provider' }, at: 3_000 },
			settledAt: 3_000,
		});
		await caps.check(GUILD, 'carol', { user: 2, guild: 2 });
	});

	it('GIVEN unfinished lyrics sheets THEN they are not songs and do not count', async () => {
		const store = await engines.open(engine);
		await store.saveTask(running('l1', 'alice', 1_000, { kind: 'lyrics', request: { action: 'lyrics', prompt: 'x' } }));
		await store.saveTask(running('l2', 'alice', 1_000, { kind: 'lyrics', request: { action: 'lyrics', prompt: 'y' } }));
		await new InFlight(store).check(GUILD, 'alice', { user: 1, guild: 1 });
	});

	it('GIVEN a burst of starts before any is saved THEN reservations never exceed the cap, and released ones are free again', async () => {
		const store = await engines.open(engine);
		await store.saveTask(running('a', 'alice', 1_000));
		const caps = new InFlight(store);
		const burst = await Promise.allSettled(
			Array.from({ length: 6 }, () => caps.reserve(GUILD, 'alice', { user: 3, guild: 10 })),
		);
		const slots = burst.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
		expect(slots).toHaveLength(2);
		slots[0]?.release();
		slots[0]?.release();
		await caps.reserve(GUILD, 'alice', { user: 3, guild: 10 });
		await expect(caps.reserve(GUILD, 'alice', { user: 3, guild: 10 })).rejects.toBeInstanceOf(InFlightRefusal);
	});

	it('GIVEN a reserved song whose task is saved before its slot is released THEN it is counted once', async () => {
		const store = await engines.open(engine);
		const caps = new InFlight(store);
		const slot = await caps.reserve(GUILD, 'alice', { user: 2, guild: 10 });
		slot.shownAt('msg-first');
		await store.saveTask(running('first', 'alice', 1_000));
		// One running, not two: alice's second song still fits a cap of two.
		const second = await caps.reserve(GUILD, 'alice', { user: 2, guild: 10 });
		slot.release();
		second.release();
	});

	it('GIVEN one song saved as an intent and bound to its task THEN it takes one slot, whether its answer was lost or its task is known', async () => {
		const store = await engines.open(engine);
		const caps = new InFlight(store);
		const intent = running('intent-a', 'alice', 1_000, {
			state: { status: 'unconfirmed', since: 1_000, recovery: 'callback' },
		});
		await store.saveTask(intent);
		// Its answer lost, the song may be paid for: it takes alice's only slot.
		expect((await refusalOf(caps.check(GUILD, 'alice', { user: 1, guild: 10 }))).running).toBe(1);
		await caps.check(GUILD, 'alice', { user: 2, guild: 10 });
		// The callback named the task: intent (not yet settled) and task are the same song, counted once.
		await store.saveTask({ ...intent, state: { status: 'moved', taskId: 't-a', at: 2_000 } });
		await store.saveTask(running('t-a', 'alice', 2_000, { intentId: 'intent-a', place: intent.place }));
		await caps.check(GUILD, 'alice', { user: 2, guild: 10 });
		const refusal = await refusalOf(caps.check(GUILD, 'alice', { user: 1, guild: 10 }));
		expect(refusal.running).toBe(1);
		expect(refusal.oldest?.messageId).toBe('msg-intent-a');
	});

	it('GIVEN caps of 0 THEN nothing is capped', async () => {
		const store = await engines.open(engine);
		for (let i = 0; i < 3; i++) await store.saveTask(running(`t${i}`, 'alice', i));
		await new InFlight(store).check(GUILD, 'alice', { user: 0, guild: 0 });
	});
});
