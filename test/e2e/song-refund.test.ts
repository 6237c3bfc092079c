import { afterEach, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import { askForSong, taskIdOf, waitForMessage } from './song-steps.ts';

/** The quota after a song the provider took and then failed (issue 14's refund rule, README "What the limits count"). */

let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

describe('a song the provider failed after taking it', () => {
	it('GIVEN code 531 (the provider refunded) THEN the song is given back, once, across restarts; GIVEN code 400 (copyrighted lyrics) THEN it still counts', async () => {
		rig = await startRig({
			provider: { family: 'sunoapi', timeline: { type: 'manual' } },
			env: { USER_DAILY_LIMIT: '3', GUILD_DAILY_LIMIT: '0' },
		});
		const alice = rig.double.user('alice');
		const channel = rig.double.channel('general');

		const first = await (await askForSong(alice, 'a song about rain')).reply();
		expect(first.text).toContain('2 left for you today');
		const running = await waitForMessage(channel, first.id, (m) => taskIdOf(m) !== undefined);
		// The failure arrives while the bot is down: the restarted bot learns it and gives the song back.
		await rig.stopBot();
		rig.fake.failTask(taskIdOf(running) as string, { code: 531 });
		await rig.restartBot();
		const refunded = await waitForMessage(channel, first.id, (m) => m.text.includes('Failed'));
		expect(refunded.text).toContain('gave its credits back');
		expect(refunded.text).toContain('This song was not counted against your limit.');
		expect(refunded.text).toContain('3 left for you today');
		expect(refunded.buttons).toContain('Change and try again');
		// Another restart resumes nothing that could give it back a second time.
		await rig.stopBot();
		await rig.restartBot();
		expect((await (await alice.runSlash('limits')).reply()).text).toContain('Songs left for you today: **3** of 3');

		const second = await (await askForSong(alice, 'a song about snow')).reply();
		expect(second.text).toContain('2 left for you today');
		const queued = await waitForMessage(channel, second.id, (m) => taskIdOf(m) !== undefined);
		rig.fake.failTask(taskIdOf(queued) as string, { code: 400, reason: 'Lyrics contain copyrighted content' });
		const refused = await waitForMessage(channel, second.id, (m) => m.text.includes('Failed'));
		expect(refused.text).toContain('the lyrics look copyrighted');
		expect(refused.text).not.toContain('not counted against your limit');
		expect(refused.text).toContain('2 left for you today');
		expect((await (await alice.runSlash('limits')).reply()).text).toContain('Songs left for you today: **2** of 3');

		const third = await (await askForSong(alice, 'a song about sun')).reply();
		expect(third.text).toContain('1 left for you today');
	});
});
