import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { VoiceServer } from '../doubles/discord/voice/server.ts';
import { type Rig, startRig } from './rig.ts';
import { takeMarkerOf } from './song-steps.ts';
import { audioFrames, makeSong, until, VOICE_ENV, waitForText } from './voice-steps.ts';

/**
 * A take whose local file is gone (evicted from the audio cache, or delivered by another process) is played
 * from the bot's own posted attachment, never from the provider's URL (which expires).
 */
describe('replaying a take whose file is gone', () => {
	let rig: Rig;
	let voice: VoiceServer;

	beforeAll(async () => {
		rig = await startRig({ voice: true, env: VOICE_ENV });
		voice = rig.voice as VoiceServer;
	}, 40_000);
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN the downloaded audio was deleted WHEN alice presses Play THEN the take is fetched from its Discord attachment and heard', async () => {
		const [, take2] = await makeSong(rig, 'Echo');
		// Both takes are marked posted in the store (a moment after they appear in the channel).
		const taskId = takeMarkerOf(take2)?.split(':')[0] as string;
		await vi.waitFor(async () => {
			const record = await rig.app.ctx.tracker.get(taskId);
			expect(record?.clips.every((c) => c.delivery?.status === 'delivered')).toBe(true);
		});
		const audioDir = join(rig.dataDir, 'audio');
		rmSync(audioDir, { recursive: true, force: true });
		rmSync(join(rig.dataDir, 'voice-cache'), { recursive: true, force: true });
		const providerFiles = () => rig.fake.requests.filter((r) => r.route === 'file').length;
		const before = providerFiles();

		const alice = rig.double.user('alice');
		await alice.joinVoice('General');
		const player = await (await alice.click(take2, 'Play')).reply();
		const general = rig.double.channel('general');
		await waitForText(general, player.id, 'Now playing', '**\u2068Echo · take 2\u2069**');
		const guildId = rig.double.guild.id;
		await until(() => audioFrames(voice, guildId) > 50, 'the take to be heard');

		expect(providerFiles()).toBe(before);
		// The file is back in the audio cache, byte for byte the attachment.
		const [task] = readdirSync(audioDir);
		const [file] = readdirSync(join(audioDir, task as string));
		const attached = take2.attachments[0]?.bytes as Buffer;
		expect(readFileSync(join(audioDir, task as string, file as string)).equals(attached)).toBe(true);

		const playing = await waitForText(general, player.id, 'Now playing');
		await (await alice.click(playing, 'Stop')).response();
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');
	});
});
