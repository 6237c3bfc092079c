import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCustomId } from '../../src/discord/custom-id.ts';
import type { ChannelHandle, MessageView, UserHandle } from '../doubles/discord/index.ts';
import type { VoiceServer } from '../doubles/discord/voice/server.ts';
import { type Rig, startRig } from './rig.ts';
import { pingsOf } from './song-steps.ts';
import { audioFrames, buttonStates, makeSong, until, VOICE_ENV, waitForMessage, waitForText } from './voice-steps.ts';

/**
 * A voice session around the edges: a missing permission, a take whose audio is broken (the fake serves random
 * bytes for every take 2), a take whose local copy is gone, a second voice channel, /queue, /stop, and the bot
 * leaving an emptied channel.
 */
describe('voice sessions end to end: permissions, broken takes, /queue, /stop, auto-leave', () => {
	let rig: Rig;
	let voice: VoiceServer;
	let general: ChannelHandle;
	let alice: UserHandle;
	let bob: UserHandle;
	let guildId: string;
	let generalVoice: ChannelHandle;
	let glass: [MessageView, MessageView];

	beforeAll(async () => {
		rig = await startRig({
			voice: true,
			env: VOICE_ENV,
			provider: { family: 'newapi', brokenAudio: true },
			double: { guilds: [{ voiceChannels: ['General', 'Lounge'] }] },
		});
		voice = rig.voice as VoiceServer;
		general = rig.double.channel('general');
		generalVoice = rig.double.channel('General');
		alice = rig.double.user('alice');
		bob = rig.double.user('bob');
		guildId = rig.double.guild.id;
		glass = await makeSong(rig, 'Glass');
		await alice.joinVoice('General');
	}, 40_000);
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN the bot may not connect to General WHEN alice presses Play THEN she is told which permission is missing', async () => {
		generalVoice.setPermissions('bot', { deny: ['CONNECT'] });
		try {
			const reply = await (await alice.click(glass[0], 'Play')).reply();
			expect(reply.ephemeral).toBe(true);
			expect(reply.text).toContain(`in <#${generalVoice.id}>: **Connect**`);
			expect(rig.double.botVoiceChannelId()).toBeNull();
		} finally {
			generalVoice.setPermissions('bot', {});
		}
	});

	it('GIVEN a broken take in the queue WHEN its turn comes THEN the player message says it was skipped and the next take plays', async () => {
		const player = await (await alice.click(glass[0], 'Play')).reply();
		await waitForText(general, player.id, 'Now playing', '**\u2068Glass · take 1\u2069**');
		expect((await (await alice.click(glass[1], 'Play')).reply()).text).toContain(
			'Queued #2: **\u2068Glass · take 2\u2069**',
		);
		expect((await (await alice.click(glass[0], 'Play')).reply()).text).toContain(
			'Queued #3: **\u2068Glass · take 1\u2069**',
		);
		const queued = await waitForText(general, player.id, 'Up next (2)');

		await alice.click(queued, 'Skip');
		const after = await waitForMessage(
			general,
			player.id,
			(m) =>
				m.text.includes('Now playing') &&
				m.text.includes('Skipped **\u2068Glass · take ') &&
				!m.text.includes('Up next'),
		);
		expect(after.text).toMatch(
			/⚠️ Skipped \*\*\u2068Glass · take \d\u2069\*\*: This take could not be played: its audio file is damaged/,
		);
		expect(after.text).toContain('`0:12`');
		// The player names who played each take; a mention there never notifies anyone.
		expect(after.text).toContain(`<@${alice.id}>`);
		expect(pingsOf([player, after])).toEqual({ users: [], roles: [], everyone: 0 });
		const heard = audioFrames(voice, guildId);
		await until(() => audioFrames(voice, guildId) > heard + 25, 'the next take to be heard');
		expect(voice.violations).toEqual([]);
	});

	it('GIVEN the bot playing in General WHEN bob in Lounge plays, stops or looks at the queue THEN he may only look, and /queue moves the player', async () => {
		await bob.joinVoice('Lounge');
		const busy = await (await bob.click(glass[0], 'Play')).reply();
		expect(busy.ephemeral).toBe(true);
		expect(busy.text).toContain(`I'm already playing in <#${generalVoice.id}>`);

		const refused = await (await bob.runSlash('stop')).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain(`Only people listening in <#${generalVoice.id}>`);
		expect(rig.double.botVoiceChannelId()).toBe(generalVoice.id);

		const before = general.messages.filter((m) => m.fromBot && m.buttons.includes('Skip'));
		const shown = await (await bob.runSlash('queue', {}, { channel: 'songs' })).reply();
		expect(shown.ephemeral).toBe(false);
		expect(shown.channelId).toBe(rig.double.channel('songs').id);
		expect(shown.text).toContain('**\u2068Glass · take ');
		// The older copy is removed, so the live player is never found far up a channel.
		expect(before).toHaveLength(1);
		await general.waitFor((all) => before.every((b) => !all.some((m) => m.id === b.id)));

		const stopped = await (await alice.runSlash('stop')).reply();
		expect(stopped.ephemeral).toBe(true);
		expect(stopped.text).toContain('Stopped');
		const final = await waitForText(rig.double.channel('songs'), shown.id, `Stopped by <@${alice.id}>`);
		expect(Object.values(buttonStates(final))).toEqual([false, false, false, false, false]);
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');
	});

	it('GIVEN the local copy of a take is gone WHEN it is played THEN it still plays, without asking the provider (whose URLs expire)', async () => {
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to be out of voice');
		const play = glass[0].controls.find((c) => c.label === 'Play')?.customId ?? '';
		const [taskId = '', clipId = ''] = decodeCustomId(play)?.args ?? [];
		const clip = (await rig.app.ctx.tracker.get(taskId))?.clips.find((c) => c.id === clipId);
		rmSync(clip?.file?.path ?? '');
		const fetches = () => rig.fake.requestsOf('file').filter((r) => r.path.includes(clipId)).length;
		const fetchedBefore = fetches();
		voice.clearFrames(guildId);

		const player = await (await alice.click(glass[0], 'Play')).reply();
		await waitForText(general, player.id, 'Now playing', '**\u2068Glass · take 1\u2069**');
		await until(() => audioFrames(voice, guildId) > 50, 'the take to be heard');
		// Replayed from the voice cache, or else from the bot's own posted attachment: never the provider's URL.
		expect(fetches()).toBe(fetchedBefore);

		await (await alice.runSlash('stop')).reply();
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');
	});

	it('GIVEN nothing playing WHEN someone runs /queue THEN they are told so, privately', async () => {
		const reply = await (await bob.runSlash('queue')).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain('Nothing is playing');
	});

	it('GIVEN a take playing WHEN alice leaves the channel THEN the bot leaves too and the message says why', async () => {
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to be out of voice');
		const player = await (await alice.click(glass[0], 'Play')).reply();
		await waitForText(general, player.id, 'Now playing', '**\u2068Glass · take 1\u2069**');
		await alice.leaveVoice();

		const left = await waitForText(general, player.id, 'Left the voice channel', 'Everyone left the voice channel.');
		expect(Object.values(buttonStates(left))).toEqual([false, false, false, false, false]);
		await until(() => rig.double.botVoiceChannelId() === null, 'the bot to leave');
	});
});
