import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import type { VoiceServer } from '../doubles/discord/voice/server.ts';
import { type Rig, startRig } from './rig.ts';
import { isTake, takeMarkerOf, waitForMessage, waitForTakes } from './song-steps.ts';
import { clickTool, studioPanel, toolTask } from './studio-steps.ts';
import { audioFrames, until, VOICE_ENV } from './voice-steps.ts';

/**
 * Karaoke in voice (issue 17) on the family-B fake: the take's instrumental is heard at the double (decrypted there)
 * while the player message follows the take's timed lyrics. The fake times the words evenly over the take, so five
 * two-word lines change every fifth of it (about 2.4 s): far more often than the player's 5 s redraw, so only the
 * lyric timer can keep up.
 */
const LINES = ['Neon rain', 'falls down', 'city lights', 'fade out', 'sing along'];

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
		const modal = await (await alice.runSlash('song', { mode: 'custom' })).modal();
		const tracker = await (
			await modal.submit({ lyrics: `[Verse]\n${LINES.join('\n')}`, style: 'synthpop', title: 'Sing along' })
		).reply();
		take = (await waitForTakes(general, tracker.id))[0] as MessageView;
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
		const [taskId, clipId] = (takeMarkerOf(take) ?? '').split(':');
		const durationSec = rig.fake.tasks.get(taskId ?? '')?.clips.find((c) => c.id === clipId)?.durationSec ?? 0;
		expect(durationSec).toBeGreaterThan(5);
		await waitForMessage(
			general,
			player.id,
			(m) => m.text.includes(`🎤 **${LINES[0]}**`) && m.text.includes(LINES[1]!),
		);

		// Each time a line shows, how much of the take the double has heard (20 ms a frame) against when it is sung.
		const heardMs = LINES.map(() => -1);
		await general.waitFor(
			(all) => {
				const text = all.find((m) => m.id === player.id)?.text ?? '';
				const line = LINES.findIndex((l) => text.includes(`🎤 **${l}**`));
				if (line >= 0 && heardMs[line] === -1) heardMs[line] = audioFrames(voice, guildId) * 20;
				return line === LINES.length - 1;
			},
			{ timeout: 20_000 },
		);
		const sungMs = LINES.map((_, i) => Math.round(((i * 2 * durationSec) / (LINES.length * 2)) * 1000));
		for (let i = 1; i < LINES.length; i++)
			expect(
				Math.abs((heardMs[i] as number) - (sungMs[i] as number)),
				`line ${i + 1}: shown at ${heardMs[i]} ms of audio, sung at ${sungMs[i]} ms`,
			).toBeLessThanOrEqual(1_000);
		// No further paid split: karaoke reused the one posted.
		expect(rig.fake.requestsOf('split')).toHaveLength(1);
		await waitForMessage(general, player.id, (m) => m.text.includes('Left the voice channel'));
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');
	});
});
