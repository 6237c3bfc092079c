import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView, UserHandle } from '../doubles/discord/index.ts';
import type { VoiceServer } from '../doubles/discord/voice/server.ts';
import { type Rig, startRig } from './rig.ts';
import { audioFrames, buttonStates, makeSong, until, VOICE_ENV, waitForText } from './voice-steps.ts';

/**
 * Playing takes in voice, heard at the double: the bot joins alice's channel, its Opus frames are decrypted and
 * counted there, and the now-playing message follows along. The fake provider's takes last 12.04 s (take 1)
 * and 9.04 s (take 2).
 */
describe('voice playback end to end', () => {
	let rig: Rig;
	let voice: VoiceServer;
	let general: ChannelHandle;
	let alice: UserHandle;
	let bob: UserHandle;
	let guildId: string;
	let voiceChannelId: string;
	let dawn: [MessageView, MessageView];
	let dusk: [MessageView, MessageView];

	beforeAll(async () => {
		rig = await startRig({ voice: true, env: VOICE_ENV });
		voice = rig.voice as VoiceServer;
		general = rig.double.channel('general');
		alice = rig.double.user('alice');
		bob = rig.double.user('bob');
		guildId = rig.double.guild.id;
		voiceChannelId = rig.double.channel('General').id;
		dawn = await makeSong(rig, 'Dawn');
		dusk = await makeSong(rig, 'Dusk');
	}, 40_000);
	afterAll(async () => {
		await rig?.close();
	});
	beforeEach(async () => {
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to be out of voice');
		voice.clearFrames(guildId);
	});

	it('GIVEN alice is in no voice channel WHEN she presses Play THEN she is told to join one and the bot stays out', async () => {
		const reply = await (await alice.click(dawn[0], 'Play')).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain('Join a voice channel first');
		expect(rig.double.botVoiceChannelId()).toBeNull();
	});

	it('GIVEN alice in General WHEN she plays a 9 s take THEN the double decrypts all of it evenly, with DAVE, and the bot leaves after', async () => {
		await alice.joinVoice('General');
		const player = await (await alice.click(dawn[1], 'Play')).reply();
		expect(player.ephemeral).toBe(false);
		expect(player.text).toContain(`In <#${voiceChannelId}>`);
		const playing = await waitForText(
			general,
			player.id,
			'Now playing',
			'**\u2068Dawn · take 2\u2069**',
			'`0:09`',
			`<@${alice.id}>`,
		);
		expect(buttonStates(playing)).toEqual({ Pause: true, Skip: true, Stop: true, 'Loop: off': true, Shuffle: false });
		expect(rig.double.botVoiceChannelId()).toBe(voiceChannelId);

		// Bob is not listening: the player is not his to control.
		const refusal = await (await bob.click(playing, 'Pause')).reply();
		expect(refusal.ephemeral).toBe(true);
		expect(refusal.text).toContain(`Only people listening in <#${voiceChannelId}>`);

		const left = await waitForText(general, player.id, 'Left the voice channel', 'The queue ended.');
		expect(Object.values(buttonStates(left))).toEqual([false, false, false, false, false]);
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');

		// 9.04 s of audio is 452 frames of 20 ms, within 5 %; the first packets may bunch up while the player starts.
		const stats = voice.stats(guildId, { skip: 1 });
		expect(Math.abs(stats.audioFrames + 1 - 452)).toBeLessThanOrEqual(452 * 0.05);
		// Time the whole test process was descheduled by an overloaded machine is not the bot's gap (stalls.ts).
		expect(stats.longestGapExcludingStallsMs, `raw longest gap ${stats.longestGapMs} ms`).toBeLessThanOrEqual(100);
		expect(voice.sessions(guildId).at(-1)?.maxDaveProtocolVersion).toBeGreaterThanOrEqual(1);
		expect(voice.violations).toEqual([]);
	});

	it('GIVEN a take playing WHEN alice queues another, pauses, resumes, skips and stops THEN each shows and is heard that way', async () => {
		await alice.joinVoice('General');
		const player = await (await alice.click(dawn[0], 'Play')).reply();
		await waitForText(general, player.id, 'Now playing', '**\u2068Dawn · take 1\u2069**', '`0:12`');
		await until(() => audioFrames(voice, guildId) > 0, 'Dawn to be heard');

		const queued = await (await alice.click(dusk[1], 'Play')).reply();
		expect(queued.ephemeral).toBe(true);
		expect(queued.text).toContain('Queued #2: **\u2068Dusk · take 2\u2069**');
		const listed = await waitForText(general, player.id, 'Up next (1)', '1. **\u2068Dusk · take 2\u2069** · 0:09');
		expect(listed.text).toContain('**\u2068Dawn · take 1\u2069**');

		const silenceBeforePause = voice.stats(guildId).silenceFrames;
		await alice.click(listed, 'Pause');
		const paused = await waitForText(general, player.id, 'Paused');
		expect(buttonStates(paused)).toMatchObject({ Resume: true, Skip: true, Stop: true });
		// A pause ends with 5 silence frames (the frame already prepared may still go out before them).
		await voice.waitFor(() => voice.stats(guildId).silenceFrames >= silenceBeforePause + 5, { what: 'the pause' });
		const heardBeforePause = audioFrames(voice, guildId);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(audioFrames(voice, guildId)).toBe(heardBeforePause);

		await alice.click(paused, 'Resume');
		await waitForText(general, player.id, 'Now playing', '**\u2068Dawn · take 1\u2069**');
		await until(() => audioFrames(voice, guildId) > heardBeforePause, 'Dawn to be heard again');

		const resumed = general.messages.find((m) => m.id === player.id) as MessageView;
		await alice.click(resumed, 'Skip');
		const second = await waitForText(general, player.id, 'Now playing', '**\u2068Dusk · take 2\u2069**', '`0:09`');
		expect(second.text).not.toContain('Up next');
		const heardAtSkip = audioFrames(voice, guildId);
		await until(() => audioFrames(voice, guildId) > heardAtSkip + 25, 'Dusk to be heard');

		await alice.click(second, 'Stop');
		const stopped = await waitForText(general, player.id, 'Left the voice channel', `Stopped by <@${alice.id}>`);
		expect(Object.values(buttonStates(stopped))).toEqual([false, false, false, false, false]);
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');
	});
});
