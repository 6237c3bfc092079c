import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { newRecord } from '../core/records.fixtures.ts';
import { moneyEngines } from '../core/money-engines.ts';

const engines = moneyEngines();

describe.each(engines.names)('short-lived claims on %s', (engine) => {
	it('GIVEN a live claim THEN a second claimer gets the first value; only the holder may change or drop it', async () => {
		const store = await engines.open(engine);
		expect(await store.claimFor('k', 'one', 60_000)).toEqual({ held: true, value: 'one' });
		expect(await store.claimFor('k', 'two', 60_000)).toEqual({ held: false, value: 'one' });
		expect(await store.peekClaim('k')).toBe('one');
		expect(await store.updateClaim('k', 'two', 'three')).toBe(false);
		expect(await store.updateClaim('k', 'one', 'one+link')).toBe(true);
		await store.dropClaim('k', 'one');
		expect(await store.peekClaim('k')).toBe('one+link');
		await store.dropClaim('k', 'one+link');
		expect(await store.peekClaim('k')).toBeUndefined();
		expect((await store.claimFor('k', 'two', 60_000)).held).toBe(true);
	});

	it('GIVEN a claim past its window THEN it is gone, also after pruning, and a new claimer takes it', async () => {
		const store = await engines.open(engine);
		await store.claimFor('short', 'old', 150);
		await sleep(250);
		expect(await store.peekClaim('short')).toBeUndefined();
		expect(await store.updateClaim('short', 'old', 'late')).toBe(false);
		await store.prune(0);
		expect(await store.claimFor('short', 'new', 60_000)).toEqual({ held: true, value: 'new' });
	});
});

describe.each(engines.names)('running songs index on %s', (engine) => {
	it('GIVEN songs and lyrics of two people THEN each person’s and the server’s unfinished songs are listed oldest first', async () => {
		const store = await engines.open(engine);
		const place = { guildId: 'g1', channelId: 'c1' };
		const of = (id: string, userId: string, createdAt: number) =>
			newRecord({ id, createdAt, place: { ...place, messageId: `m-${id}` }, requester: { userId, name: userId } });
		await store.saveTask(of('b2', 'bob', 3_000));
		await store.saveTask(of('a1', 'alice', 2_000));
		await store.saveTask(of('b1', 'bob', 1_000));
		await store.saveTask({ ...of('lyr', 'bob', 500), kind: 'lyrics', request: { action: 'lyrics', prompt: 'x' } });
		expect((await store.listRunning('g1', 'bob')).map((r) => r.id)).toEqual(['b1', 'b2']);
		expect((await store.listRunning('g1')).map((r) => r.id)).toEqual(['b1', 'a1', 'b2']);
		expect(await store.listRunning('g2')).toEqual([]);
		await store.saveTask({ ...of('b1', 'bob', 1_000), settledAt: 4_000 });
		expect((await store.listRunning('g1', 'bob')).map((r) => r.id)).toEqual(['b2']);
		expect((await store.listRunning('g1')).map((r) => r.id)).toEqual(['a1', 'b2']);
	});

	it('GIVEN a request saved as an intent and then bound to its task THEN the server and the person count one running song at every step', async () => {
		const store = await engines.open(engine);
		const place = { guildId: 'g1', channelId: 'c1', messageId: 'm-song' };
		const requester = { userId: 'bob', name: 'bob' };
		const ids = async () => [
			(await store.listRunning('g1', 'bob')).map((r) => r.id),
			(await store.listRunning('g1')).map((r) => r.id),
		];
		const intent = newRecord({ id: 'intent-1', place, requester, state: { status: 'sending' } });
		await store.saveTask(intent);
		expect(await ids()).toEqual([['intent-1'], ['intent-1']]);
		// The answer was lost: the provider may have the song (and the money), so it still counts.
		const unconfirmed = {
			...intent,
			state: { status: 'unconfirmed' as const, since: 2_000, recovery: 'none' as const },
		};
		await store.saveTask(unconfirmed);
		expect(await ids()).toEqual([['intent-1'], ['intent-1']]);
		// A callback named the task: the intent points at it, and the task's own record is the one song.
		await store.saveTask({ ...unconfirmed, state: { status: 'moved', taskId: 't-1', at: 3_000 } });
		expect(await ids()).toEqual([[], []]);
		await store.saveTask(newRecord({ id: 't-1', intentId: 'intent-1', place, requester, createdAt: 3_000 }));
		expect(await ids()).toEqual([['t-1'], ['t-1']]);
		await store.saveTask({
			...unconfirmed,
			state: { status: 'moved', taskId: 't-1', at: 3_000 },
			finishedAt: 3_000,
			settledAt: 3_000,
		});
		expect(await ids()).toEqual([['t-1'], ['t-1']]);
	});
});
