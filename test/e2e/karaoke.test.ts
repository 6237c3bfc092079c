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
	let takes: MessageView[] = [];
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

	it('GIVEN alice in General and a take with no split WHEN she presses Karaoke THEN the split starts (counted like Split), and once it is posted karaoke starts by itself: the instrumental is heard and the lyric line changes within a second of the voice', async () => {
		const general = rig.double.channel('general');
		const alice = rig.double.user('alice');
		const guildId = rig.double.guild.id;
		const modal = await (await alice.runSlash('song', { mode: 'custom' })).modal();
		const tracker = await (
			await modal.submit({ lyrics: `[Verse]\n${LINES.join('\n')}`, style: 'synthpop', title: 'Sing along' })
		).reply();
		takes = await waitForTakes(general, tracker.id);
		const take = takes[0] as MessageView;
		expect((await studioPanel(alice, take)).buttons).toContain('Karaoke');
		await alice.joinVoice('General');
		voice.clearFrames(guildId);
		const click = await clickTool(alice, take, 'Karaoke');
		const status = await click.reply();
		expect(status.ephemeral).toBe(false);
		const [hint] = await click.waitForFollowUps(1);
		expect(hint?.ephemeral).toBe(true);
		expect(hint?.text).toContain('Karaoke starts in your voice channel as soon as it is ready');
		const splitId = await toolTask(rig, 'split');
		await general.waitFor((all) => all.filter((m) => isTake(m, splitId)).length >= 2);

		// Nobody presses anything more: the player message comes by itself, under the press, with the first line.
		const isPlayer = (m: MessageView) => m.text.includes(`🎤 **${LINES[0]}**`);
		const player = (await general.waitFor((all) => all.some(isPlayer), { timeout: 20_000 })).find(isPlayer);
		if (!player) throw new Error('no player message');
		expect(player.text).toContain(LINES[1]);
		// What plays is named as the karaoke version of the take.
		expect(player.text).toContain('Sing along · take 1 · karaoke');
		const [taskId, clipId] = (takeMarkerOf(take) ?? '').split(':');
		const durationSec = rig.fake.tasks.get(taskId ?? '')?.clips.find((c) => c.id === clipId)?.durationSec ?? 0;
		expect(durationSec).toBeGreaterThan(5);

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
		await waitForMessage(general, player.id, (m) => m.text.includes('Left the voice channel'));
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');
		await waitForMessage(general, status.id, (m) => m.text.includes('Done'));
		await rig.app.ctx.tracker.idle();
		expect(rig.fake.requestsOf('split')).toHaveLength(1);
	});

	it('GIVEN the split is posted WHEN alice presses Karaoke again THEN it plays from that split, with no second paid split', async () => {
		const general = rig.double.channel('general');
		const alice = rig.double.user('alice');
		const player = await (await clickTool(alice, takes[0] as MessageView, 'Karaoke')).reply();
		expect(player.ephemeral).toBe(false);
		await waitForMessage(general, player.id, (m) => m.text.includes(`🎤 **${LINES[0]}**`));
		await until(() => rig.double.botVoiceChannelId() !== null, 'the bot to join');
		expect(rig.fake.requestsOf('split')).toHaveLength(1);
		await (await alice.click(await waitForMessage(general, player.id, () => true), 'Stop')).response();
		await waitForMessage(general, player.id, (m) => m.text.includes('Left the voice channel'));
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');
	});

	it('GIVEN bob in no voice channel WHEN he presses Karaoke on a take with no split THEN, once the split is posted, he alone is told to join a voice channel and press again, and nothing plays', async () => {
		const general = rig.double.channel('general');
		const bob = rig.double.user('bob');
		const click = await clickTool(bob, takes[1] as MessageView, 'Karaoke');
		await click.reply();
		const [hint] = await click.waitForFollowUps(1);
		expect(hint?.text).toContain('if you are not in one by then, press Karaoke again');
		const splitId = await toolTask(rig, 'split', 2);
		await general.waitFor((all) => all.filter((m) => isTake(m, splitId)).length >= 2);
		const [, ready] = await click.waitForFollowUps(2);
		expect(ready?.ephemeral).toBe(true);
		expect(ready?.text).toContain('is ready. Join a voice channel and press Karaoke again');
		expect(rig.double.botVoiceChannelId()).toBeNull();
		expect(rig.fake.requestsOf('split')).toHaveLength(2);
	});

	it('GIVEN alice in voice waits for a split WHEN the bot restarts before the split is done THEN karaoke still starts by itself once it is posted', async () => {
		const general = rig.double.channel('general');
		const alice = rig.double.user('alice');
		const modal = await (await alice.runSlash('song', { mode: 'custom' })).modal();
		const tracker = await (
			await modal.submit({ lyrics: `[Verse]\n${LINES.join('\n')}`, style: 'city pop', title: 'After the restart' })
		).reply();
		const [take] = await waitForTakes(general, tracker.id);
		rig.fake.setTimeline({ type: 'manual' });
		try {
			const before = new Set(general.messages.map((m) => m.id));
			const click = await clickTool(alice, take as MessageView, 'Karaoke');
			await click.waitForFollowUps(1);
			const splitId = await toolTask(rig, 'split', 3);
			await rig.stopBot();
			await rig.restartBot();
			rig.fake.completeTask(splitId);
			await general.waitFor((all) => all.filter((m) => isTake(m, splitId)).length >= 2);
			const isPlayer = (m: MessageView) => !before.has(m.id) && m.text.includes(`🎤 **${LINES[0]}**`);
			const player = (await general.waitFor((all) => all.some(isPlayer), { timeout: 20_000 })).find(isPlayer);
			await (await alice.click(player as MessageView, 'Stop')).response();
			await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');
			expect(rig.fake.requestsOf('split')).toHaveLength(3);
		} finally {
			rig.fake.setTimeline({ type: 'polls', every: 1 });
		}
	});
});
