import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import { askForSong, waitForTakes } from './song-steps.ts';

describe('/song quotas end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ env: { USER_DAILY_LIMIT: '1', GUILD_DAILY_LIMIT: '10' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a daily limit of one song per person WHEN alice asks twice THEN the second is refused, nothing is sent, and bob still can', async () => {
		const channel = rig.double.channel('general');
		const alice = rig.double.user('alice');
		const first = await (await askForSong(alice, 'a waltz for rainy mondays')).reply();
		expect(first.ephemeral).toBe(false);
		expect(first.text).toContain('0 left for you today, 9 left for the server');
		await waitForTakes(channel, first.id);
		const submits = rig.fake.requestsOf('submit').length;

		// Refused at /song already, before the form.
		const refused = await (await alice.runSlash('song', { mode: 'describe' })).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('You have used all 1 of your songs for today on this server');
		expect(rig.fake.requestsOf('submit')).toHaveLength(submits);

		const bob = rig.double.user('bob');
		const other = await (await askForSong(bob, 'a polka for bob')).reply();
		expect(other.ephemeral).toBe(false);
		expect(other.text).toContain('0 left for you today, 8 left for the server');
		await waitForTakes(channel, other.id);
		expect(rig.fake.requestsOf('submit')).toHaveLength(submits + 1);
	});

	it('GIVEN two forms opened before either is sent WHEN both are sent THEN the quota still allows only one', async () => {
		const carol = rig.double.user('server-owner');
		const forms = [
			await (await carol.runSlash('song', { mode: 'describe' })).modal(),
			await (await carol.runSlash('song', { mode: 'describe' })).modal(),
		];
		const submits = rig.fake.requestsOf('submit').length;
		const replies = [];
		for (const [i, form] of forms.entries())
			replies.push(await (await form.submit({ description: `song ${i}` })).reply());
		expect(replies.map((r) => r.ephemeral)).toEqual([false, true]);
		expect(replies[1]!.text).toContain('You have used all 1 of your songs');
		// The tracker message is the answer; the submit follows it: counted once the song is there.
		await waitForTakes(rig.double.channel('general'), replies[0]!.id);
		expect(rig.fake.requestsOf('submit')).toHaveLength(submits + 1);
	});
});
