import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import type { VoiceServer } from '../doubles/discord/voice/server.ts';
import { type Rig, startRig } from './rig.ts';
import { audioFrames, until, VOICE_ENV, waitForMessage } from './voice-steps.ts';

/** A take still generating can be played from its stream URL, transcoded live, from the tracker message. */
describe('playing a take while it is still generating', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ voice: true, env: VOICE_ENV, provider: { family: 'newapi', timeline: { type: 'manual' } } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a take that is streaming THEN "Play in voice" on the tracker plays it in the listener’s channel', async () => {
		const alice = rig.double.user('alice');
		const modal = await (await alice.runSlash('song', { mode: 'describe' })).modal();
		const tracker = await (await modal.submit({ description: 'a song heard early', title: 'Early' })).reply();
		const general = rig.double.channel('general');
		await until(() => rig.fake.tasks.size === 1, 'the provider to receive the song');
		const [taskId] = [...rig.fake.tasks.keys()];
		// submitted → queued → text → streaming: the stream URLs now exist, no take is final yet.
		rig.fake.advance(taskId, 3);
		const streaming = await waitForMessage(general, tracker.id, (m: MessageView) =>
			m.buttons.includes('Play in voice (take 1)'),
		);
		expect(streaming.buttons).toEqual(expect.arrayContaining(['Listen early (take 1)', 'Play in voice (take 1)']));

		await alice.joinVoice('General');
		await alice.click(streaming, 'Play in voice (take 1)');
		const voice = rig.voice as VoiceServer;
		const guildId = rig.double.guild.id;
		await until(() => audioFrames(voice, guildId) > 100, 'live audio to be heard at the double', 20_000);
		expect(rig.double.botVoiceChannelId()).toBe(rig.double.channel('General').id);
	});
});
