import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView, UserHandle } from '../doubles/discord/index.ts';
import type { VoiceServer } from '../doubles/discord/voice/server.ts';
import { type Rig, startRig } from './rig.ts';
import { audioFrames, makeSong, until, VOICE_ENV, waitForMessage, waitForText } from './voice-steps.ts';

/**
 * What listeners see around the queue: the voice channel's status while a take plays, Play all, the queue cap,
 * Shuffle, Remove, Loop and a pause that ends. The fake provider's takes last 12.04 s (take 1) and 9.04 s (take 2).
 */
const STATUS_ROUTE = 'PUT /channels/:channel/voice-status';

/** The "Up next" lines of a player message, in order. */
const upNext = (m: MessageView) => m.text.split('\n').flatMap((line) => line.match(/\d+\. \*\*.*$/)?.[0] ?? []);

describe('voice queue end to end: channel status, Play all, cap, shuffle, remove, loop, pause timeout', () => {
	let rig: Rig;
	let voice: VoiceServer;
	let general: ChannelHandle;
	let generalVoice: ChannelHandle;
	let alice: UserHandle;
	let guildId: string;
	let dawn: [MessageView, MessageView];
	let dusk: [MessageView, MessageView];
	const statusRequests = () => rig.double.requests.filter((r) => r.route === STATUS_ROUTE);
	const current = (id: string) => general.messages.find((m) => m.id === id) as MessageView;

	beforeAll(async () => {
		rig = await startRig({
			voice: true,
			env: { ...VOICE_ENV, VOICE_QUEUE_MAX: '3', VOICE_PAUSE_TIMEOUT_SEC: '2' },
		});
		voice = rig.voice as VoiceServer;
		general = rig.double.channel('general');
		generalVoice = rig.double.channel('General');
		alice = rig.double.user('alice');
		guildId = rig.double.guild.id;
		dawn = await makeSong(rig, 'Dawn');
		dusk = await makeSong(rig, 'Dusk');
		await alice.joinVoice('General');
	}, 40_000);
	afterAll(async () => {
		await rig?.close();
	});

	const outOfVoice = () => until(() => rig.double.botVoiceChannelId() === null, 'the bot to be out of voice');

	it('GIVEN the bot may set the channel status WHEN alice plays take 2 THEN the channel shows it until she presses Stop', async () => {
		const player = await (await alice.click(dawn[1], 'Play')).reply();
		await waitForText(general, player.id, 'Now playing', '**\u2068Dawn · take 2\u2069**');
		expect(await generalVoice.waitForVoiceStatus((s) => s !== null)).toBe('🎵 Dawn · take 2 — by @Alice');

		await alice.click(current(player.id), 'Stop');
		await waitForText(general, player.id, `Stopped by <@${alice.id}>`);
		expect(await generalVoice.waitForVoiceStatus((s) => s === null)).toBeNull();
		expect(generalVoice.voiceStatusHistory).toEqual(['🎵 Dawn · take 2 — by @Alice', null]);
		// Discord asks MANAGE_CHANNELS (which the bot lacks) of a member outside the channel: the clear went
		// through because it was sent before the bot left.
		expect(statusRequests().map((r) => r.status)).toEqual([204, 204]);
		await outOfVoice();
	});

	it('GIVEN the bot may not set the channel status WHEN a take plays THEN it plays and nothing is asked of Discord', async () => {
		generalVoice.setPermissions('bot', { deny: ['SET_VOICE_CHANNEL_STATUS'] });
		try {
			const before = statusRequests().length;
			const player = await (await alice.click(dusk[0], 'Play')).reply();
			await waitForText(general, player.id, 'Now playing', '**\u2068Dusk · take 1\u2069**');
			await until(() => audioFrames(voice, guildId) > 25, 'Dusk to be heard');
			await (await alice.runSlash('stop')).reply();
			await outOfVoice();
			expect(statusRequests()).toHaveLength(before);
			expect(generalVoice.voiceStatus).toBeNull();
		} finally {
			generalVoice.setPermissions('bot', {});
		}
	});

	let playerId = '';

	it('GIVEN a song of two takes WHEN alice presses Play all THEN take 1 plays and take 2 waits', async () => {
		const player = await (await alice.click(dawn[0], 'Play all')).reply();
		expect(player.ephemeral).toBe(false);
		playerId = player.id;
		const shown = await waitForText(
			general,
			player.id,
			'Now playing',
			'**\u2068Dawn · take 1\u2069**',
			'`0:12`',
			'Up next (1)',
		);
		expect(upNext(shown)).toEqual([`1. **\u2068Dawn · take 2\u2069** · 0:09 · played by <@${alice.id}>`]);
		expect(await generalVoice.waitForVoiceStatus((s) => s !== null)).toBe('🎵 Dawn · take 1 — by @Alice');
	});

	it('GIVEN the queue holds VOICE_QUEUE_MAX takes WHEN alice queues one more THEN she is told it is full', async () => {
		expect((await (await alice.click(dusk[0], 'Play')).reply()).text).toContain(
			'Queued #3: **\u2068Dusk · take 1\u2069**',
		);
		expect((await (await alice.click(dusk[1], 'Play')).reply()).text).toContain(
			'Queued #4: **\u2068Dusk · take 2\u2069**',
		);
		await waitForText(general, playerId, 'Up next (3)');
		const refused = await (await alice.click(dawn[1], 'Play')).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('The queue is full (3 takes)');
		expect(upNext(current(playerId))).toHaveLength(3);
	});

	it('GIVEN three takes waiting WHEN alice presses Shuffle THEN the same takes wait in another order', async () => {
		const before = upNext(current(playerId)).map((line) => line.slice(3));
		await alice.click(current(playerId), 'Shuffle');
		const after = await waitForMessage(general, playerId, (m) => {
			const order = upNext(m).map((line) => line.slice(3));
			return order.length === 3 && order.join() !== before.join();
		});
		expect([...upNext(after).map((line) => line.slice(3))].sort()).toEqual([...before].sort());
	});

	it('GIVEN takes waiting WHEN alice picks one in the Remove menu THEN it leaves the queue and she is told', async () => {
		const menu = current(playerId).controls.find((c) => c.kind === 'select');
		const dusk12 = menu?.options.find((o) => o.label.includes('Dusk'));
		expect(dusk12).toBeDefined();
		const reply = await (
			await alice.select(current(playerId), 'Remove a take from the queue…', [dusk12?.value ?? ''])
		).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain('Removed **\u2068Dusk · take ');
		const after = await waitForText(general, playerId, 'Up next (2)');
		expect(upNext(after).filter((line) => line.includes('**\u2068Dusk · take '))).toHaveLength(1);
	});

	it('GIVEN loop set to the queue WHEN alice skips THEN the skipped take goes to the end of the queue', async () => {
		await alice.click(current(playerId), 'Loop: off');
		await waitForMessage(general, playerId, (m) => m.buttons.includes('Loop: this take'));
		await alice.click(current(playerId), 'Loop: this take');
		const looping = await waitForMessage(general, playerId, (m) => m.buttons.includes('Loop: queue'));
		const waiting = upNext(looping).length;
		const [, title, length] =
			looping.text.match(/\*\*\u2068(\w+ · take \d)\u2069\*\*\nby .*\n`[\d:]+` [▰▱]+ `([\d:]+)`/) ?? [];
		const skipped = `${waiting}. **\u2068${title}\u2069** · ${length} · played by <@${alice.id}>`;
		await alice.click(looping, 'Skip');
		const after = await waitForMessage(general, playerId, (m) => upNext(m).at(-1) === skipped);
		expect(upNext(after)).toHaveLength(waiting);
		await (await alice.runSlash('stop')).reply();
		await outOfVoice();
		expect(generalVoice.voiceStatus).toBeNull();
	});

	it('GIVEN loop set to this take WHEN the take ends THEN it plays again instead of the queue ending', async () => {
		voice.clearFrames(guildId);
		const player = await (await alice.click(dusk[1], 'Play')).reply();
		await waitForText(general, player.id, 'Now playing', '**\u2068Dusk · take 2\u2069**');
		await alice.click(current(player.id), 'Loop: off');
		await waitForMessage(general, player.id, (m) => m.buttons.includes('Loop: this take'));
		// 9.04 s is 452 frames: more than that from a single 9 s take means it started over.
		await until(() => audioFrames(voice, guildId) > 520, 'the take to play a second time', 30_000);
		const again = current(player.id);
		expect(again.text).toContain('Now playing');
		expect(again.text).not.toContain('The queue has ended');
		await (await alice.runSlash('stop')).reply();
		await outOfVoice();
	}, 40_000);

	it('GIVEN takes waiting WHEN alice uses /queue remove, loop and shuffle THEN they act like the buttons, and bob outside the channel may not', async () => {
		const player = await (await alice.click(dawn[0], 'Play all')).reply();
		expect((await (await alice.click(dusk[0], 'Play')).reply()).text).toContain(
			'Queued #3: **\u2068Dusk · take 1\u2069**',
		);
		await waitForText(general, player.id, 'Up next (2)');

		const refused = await (await rig.double.user('bob').runSlash('queue', { shuffle: true })).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain(`Only people listening in <#${generalVoice.id}>`);

		const shuffled = await (await alice.runSlash('queue', { shuffle: true })).reply();
		expect(shuffled.ephemeral).toBe(true);
		expect(shuffled.text).toBe('🔀 Shuffled the queue.');
		const first = upNext(await waitForText(general, player.id, '1. **\u2068Dusk · take '))[0];
		expect(first).toContain('**\u2068Dusk · take 1\u2069** · 0:12');

		const removed = await (await alice.runSlash('queue', { remove: 1 })).reply();
		expect(removed.text).toBe('🗑️ Removed **\u2068Dusk · take 1\u2069** from the queue.');
		const after = await waitForText(general, player.id, 'Up next (1)');
		expect(upNext(after)).toEqual([`1. **\u2068Dawn · take 2\u2069** · 0:09 · played by <@${alice.id}>`]);
		expect((await (await alice.runSlash('queue', { remove: 5 })).reply()).text).toBe('There is no take #5 in Up next.');

		expect((await (await alice.runSlash('queue', { loop: 'take' })).reply()).text).toBe('🔂 Looping the take playing.');
		await waitForMessage(general, player.id, (m) => m.buttons.includes('Loop: this take'));
		await (await alice.runSlash('stop')).reply();
		await outOfVoice();
	});

	it('GIVEN a pause nobody resumes WHEN VOICE_PAUSE_TIMEOUT_SEC passes THEN the bot leaves, says why and clears the status', async () => {
		const player = await (await alice.click(dawn[0], 'Play')).reply();
		await waitForText(general, player.id, 'Now playing', '**\u2068Dawn · take 1\u2069**');
		await generalVoice.waitForVoiceStatus((s) => s !== null);
		await alice.click(current(player.id), 'Pause');
		const paused = await waitForText(general, player.id, 'Paused', 'I leave the channel <t:');
		expect(paused.text).toMatch(/<t:\d+:R>/);
		const left = await waitForText(general, player.id, 'Nobody resumed the pause, so I left the channel.');
		expect(left.buttons).not.toContain('Resume');
		await outOfVoice();
		expect(await generalVoice.waitForVoiceStatus((s) => s === null)).toBeNull();
		expect(statusRequests().every((r) => r.status === 204)).toBe(true);
	});

	it('GIVEN Discord slow to answer the status clear WHEN a pause runs out THEN the bot waits for the clear before it leaves, so no status is left behind', async () => {
		const player = await (await alice.click(dawn[0], 'Play')).reply();
		await waitForText(general, player.id, 'Now playing', '**\u2068Dawn · take 1\u2069**');
		await generalVoice.waitForVoiceStatus((s) => s !== null);
		const before = statusRequests().length;
		// Longer than a press on Stop is kept waiting for it (2 s); nobody is waiting on a leave of the bot's own.
		rig.double.rateLimits.latency(STATUS_ROUTE, 3_500);
		try {
			await alice.click(current(player.id), 'Pause');
			await waitForText(general, player.id, 'Nobody resumed the pause, so I left the channel.');
			await outOfVoice();
		} finally {
			rig.double.rateLimits.clearFaults();
		}
		expect(await generalVoice.waitForVoiceStatus((s) => s === null)).toBeNull();
		expect(
			statusRequests()
				.slice(before)
				.map((r) => r.status),
		).toEqual([204]);
	});
});
