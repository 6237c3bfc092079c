import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import type { VoiceServer } from '../doubles/discord/voice/server.ts';
import { type Rig, startRig } from './rig.ts';
import { isTake, waitForMessage } from './song-steps.ts';
import { aTake, clickTool, studioPanel, toolTask } from './studio-steps.ts';
import { audioFrames, until, VOICE_ENV } from './voice-steps.ts';

/**
 * Karaoke in voice (issue 17) on the family-B fake: the take's instrumental is heard at the double (decrypted there)
 * while the player message follows the take's timed lyrics. The fake's take 1 lasts 12.04 s and sings
 * "A fake little song / played all night long", its eight words spread evenly: the second line starts at 6.02 s.
 */
describe('karaoke in voice, family B, end to end', () => {
	let rig: Rig;
	let voice: VoiceServer;
	let take: MessageView;
	beforeAll(async () => {
		rig = await startRig({
			voice: true,
			provider: { family: 'sunoapi' },
			env: { ...VOICE_ENV, USER_DAILY_LIMIT: '0', GUILD_DAILY_LIMIT: '0' },
		});
		voice = rig.voice as VoiceServer;
	}, 40_000);
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a take with no split WHEN alice presses Karaoke THEN the split starts (counted like Split) and she is told to press again once it is posted', async () => {
		const general = rig.double.channel('general');
		const alice = rig.double.user('alice');
		take = await aTake(rig, 'a song to sing along');
		expect((await studioPanel(alice, take)).buttons).toContain('Karaoke');
		const click = await clickTool(alice, take, 'Karaoke');
		const status = await click.reply();
		expect(status.ephemeral).toBe(false);
		const [hint] = await click.waitForFollowUps(1);
		expect(hint?.ephemeral).toBe(true);
		expect(hint?.text).toContain('Press Karaoke again once the parts are posted');
		const splitId = await toolTask(rig, 'split');
		await general.waitFor((all) => all.filter((m) => isTake(m, splitId)).length >= 2);
		await waitForMessage(general, status.id, (m) => m.text.includes('Done'));
		await rig.app.ctx.tracker.idle();
		expect(rig.fake.requestsOf('split')).toHaveLength(1);
	});

	it('GIVEN the split is posted WHEN alice in General presses Karaoke THEN the instrumental is heard and the lyric line changes within a second of the voice', async () => {
		const general = rig.double.channel('general');
		const alice = rig.double.user('alice');
		const guildId = rig.double.guild.id;
		await alice.joinVoice('General');
		voice.clearFrames(guildId);
		const player = await (await clickTool(alice, take, 'Karaoke')).reply();
		expect(player.ephemeral).toBe(false);
		await waitForMessage(
			general,
			player.id,
			(m) => m.text.includes('🎤 **A fake little song**') && m.text.includes('played all night long'),
		);
		await until(() => audioFrames(voice, guildId) > 0, 'the instrumental to be heard');

		// The moment the second line shows, how much of the take the double has heard (20 ms a frame).
		let heardMs = -1;
		await general.waitFor(
			(all) => {
				const shown = all.some((m) => m.id === player.id && m.text.includes('🎤 **played all night long**'));
				if (shown && heardMs < 0) heardMs = audioFrames(voice, guildId) * 20;
				return shown;
			},
			{ timeout: 20_000 },
		);
		expect(Math.abs(heardMs - 6_020), `the line showed at ${heardMs} ms of audio`).toBeLessThanOrEqual(1_000);
		// No further paid split: karaoke reused the one posted.
		expect(rig.fake.requestsOf('split')).toHaveLength(1);
		await waitForMessage(general, player.id, (m) => m.text.includes('Left the voice channel'));
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');
	});
});
