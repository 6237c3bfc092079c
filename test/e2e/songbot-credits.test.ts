import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, waitForMessage, waitForTakes } from './song-steps.ts';

/** Provider credits (issue 14): the balance for admins, one low-balance warning, one alert when songs are refused. */
describe('/songbot credits end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		// Family B reports its credits (GET /api/v1/generate/credit); a song costs 10 on the fake.
		rig = await startRig({
			provider: { family: 'sunoapi', mode: 'kie', credits: 1000 },
			env: { USER_DAILY_LIMIT: '0' },
		});
	});
	afterAll(async () => {
		await rig?.close();
	});

	const fromBotIn = (channel: string, text: string) =>
		rig.double.channel(channel).messages.filter((m: MessageView) => m.fromBot && m.text.includes(text));

	it('GIVEN an admin THEN /songbot credits shows the balance and sets the warning channel and level', async () => {
		const owner = rig.double.user('server-owner');
		const shown = await (await owner.runSlash('songbot credits')).reply();
		expect(shown.ephemeral).toBe(true);
		expect(shown.text).toContain('Credits left at the music provider: **1000**');
		expect(shown.text).toContain('No warning channel is set');

		const saved = await (await owner.runSlash('songbot credits', { channel: 'songs', below: 985 })).reply();
		const songs = rig.double.channel('songs');
		expect(saved.text).toContain(`a warning goes to <#${songs.id}> when fewer than 985 credits are left`);
		expect(fromBotIn('songs', 'running low')).toHaveLength(0);
	});

	it('GIVEN songs spending credits THEN one warning when the balance falls below the level, not one per song', async () => {
		const general = rig.double.channel('general');
		const alice = rig.double.user('alice');
		for (const n of [1, 2, 3]) await waitForTakes(general, (await (await askForSong(alice, `song ${n}`)).reply()).id);
		await rig.double.channel('songs').waitFor((ms) => ms.some((m) => m.text.includes('running low')));
		const warnings = fromBotIn('songs', 'running low');
		expect(warnings).toHaveLength(1);
		expect(warnings[0]?.text).toContain('**980** credits left (the warning level is 985)');
	});

	it('GIVEN no credits left THEN members are told plainly, and the admins are alerted once', async () => {
		rig.fake.setCredits(0);
		const general = rig.double.channel('general');
		for (const who of ['alice', 'bob']) {
			const tracker = await (await askForSong(rig.double.user(who), `a song for ${who}`)).reply();
			const failed = await waitForMessage(general, tracker.id, (m) => m.text.includes('Failed'));
			expect(failed.text).toContain(
				'The music provider account is out of credits. The bot operator needs to top it up.',
			);
		}
		await rig.double.channel('songs').waitFor((ms) => ms.some((m) => m.text.includes('Songs are being refused')));
		expect(fromBotIn('songs', 'Songs are being refused')).toHaveLength(1);
	});
});
