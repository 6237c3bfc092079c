import { afterEach, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/core/records.ts';
import { MAX_PINGS } from '../../src/core/tracker-edits.ts';
import { type Rig, song, startRig, waitFor, who } from './rig.ts';

let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

describe('Tracker.notePing: the pings about a song, kept on its record so /remove-song deletes them (SQLite)', () => {
	it('GIVEN a failed song WHEN its pings are noted THEN each id is kept once, oldest first; a ready reply kept by this morning’s builds stays listed; past the bound the oldest goes', async () => {
		rig = await startRig({ family: 'sunoapi', timeline: { type: 'manual' } });
		const { id } = await rig.tracker.submit({ request: song(), ...who });
		rig.fake.failTask(id, { reason: 'nope' });
		await waitFor('the song fails and settles', async () => (await rig!.store.getTask(id))?.settledAt !== undefined);
		await rig.tracker.idle();
		const saved = async () => (await rig!.store.getTask(id)) as TaskRecord;

		await rig.tracker.notePing(id, 'failed-ping');
		expect((await saved()).place.pingMessageIds).toEqual(['failed-ping']);
		await rig.tracker.notePing(id, 'failed-ping');
		const before = await saved();
		expect(before.place.pingMessageIds).toEqual(['failed-ping']);
		// Still settled: noting a ping is not something left to do.
		expect((await saved()).settledAt).toBeDefined();

		// A record written this morning, when only the ready reply was kept, and under its own field.
		const { pingMessageIds: _, ...place } = before.place;
		await rig.store.saveTask({ ...before, place: { ...place, readyMessageId: 'ready-reply' } });
		await rig.tracker.notePing(id, 'ready-reply');
		expect((await saved()).place).toMatchObject({ readyMessageId: 'ready-reply' });
		await rig.tracker.notePing(id, 'stalled-ping');
		expect((await saved()).place.pingMessageIds).toEqual(['ready-reply', 'stalled-ping']);
		expect((await saved()).place.readyMessageId).toBeUndefined();

		for (let i = 0; i < MAX_PINGS; i++) await rig.tracker.notePing(id, `ping-${i}`);
		const kept = (await saved()).place.pingMessageIds;
		expect(kept).toHaveLength(MAX_PINGS);
		expect(kept?.at(0)).toBe('ping-0');
		expect(kept?.at(-1)).toBe(`ping-${MAX_PINGS - 1}`);
		expect(await rig.tracker.notePing('no-such-task', 'x')).toBeUndefined();
	});
});
