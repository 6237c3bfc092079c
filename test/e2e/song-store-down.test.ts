import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import { askForSong, waitForMessage, waitForTakes } from './song-steps.ts';

/**
 * The store refuses to save a request's intent (a disk error, Redis gone): the request is never sent unsaved, so
 * nothing can have been charged. The whole bot on the Discord double: the person is told so on the tracker
 * message, and the quota, the dedupe claim and the in-flight slot are all given back.
 */
describe('a request the store cannot save', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ env: { USER_DAILY_LIMIT: '5', USER_RUNNING_LIMIT: '1' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN saving the intent fails THEN the tracker says it was not sent and nothing was charged, and the same request right after is a new song, counted once', async () => {
		const store = rig.app.ctx.store;
		const save = store.saveTask.bind(store);
		let failed = 0;
		// Only the first intent's save fails: quotas, claims and everything after work as usual.
		store.saveTask = async (record) => {
			if (failed === 0 && record.id.startsWith('intent-')) {
				failed += 1;
				throw new Error('SQLITE_IOERR: disk I/O error');
			}
			return save(record);
		};
		const alice = rig.double.user('alice');
		const channel = rig.double.channel('general');
		const tracker = await (await askForSong(alice, 'a song the store could not keep')).reply();

		const shown = await waitForMessage(channel, tracker.id, (m) => m.text.includes('was not sent'));
		expect(failed).toBe(1);
		expect(shown.text).toContain('The bot could not save this request, so it was not sent to the music provider.');
		expect(shown.text).toContain('Nothing was charged to your quota.');
		expect(shown.text).toMatch(/Please try again in a moment \(ref `[0-9a-f]{8}`\)/);
		expect(shown.text).toContain('5 left for you today');
		expect(shown.text).not.toContain('SQLITE');
		expect(rig.fake.requestsOf('submit')).toHaveLength(0);

		// The same request again within the minute: not "already on it" (claim given back), not over the cap of one
		// running song (slot given back), and the first of the day (quota given back).
		const again = await (await askForSong(alice, 'a song the store could not keep')).reply();
		expect(again.ephemeral).toBe(false);
		expect(again.id).not.toBe(tracker.id);
		expect(again.text).toContain('4 left for you today');
		const takes = await waitForTakes(channel, again.id);
		expect(takes).toHaveLength(2);
		expect(rig.fake.requestsOf('submit')).toHaveLength(1);
	});
});
