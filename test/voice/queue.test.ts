import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { userErrorText } from '../../src/discord/i18n.ts';
import { FfmpegMissingError, PlaybackError } from '../../src/voice/errors.ts';
import { createTakeAudio, TranscodeCache } from '../../src/voice/index.ts';
import type { Take } from '../../src/voice/types.ts';
import { CHANNEL, nextEvent, OTHER_CHANNEL, recordEvents, startVoiceHarness, type VoiceHarness } from './harness.ts';

let h: VoiceHarness;
let short: Take;
let other: Take;
let long: Take;

beforeAll(async () => {
	h = await startVoiceHarness();
	short = h.makeTake('short', 0.6, 440);
	other = h.makeTake('other', 0.6, 660);
	long = h.makeTake('long', 4, 330);
});

afterAll(() => h.close());

function setup(options: Parameters<VoiceHarness['manager']>[0] = {}) {
	const guildId = h.guild();
	const manager = h.manager(options);
	const target = { guildId, channelId: CHANNEL, adapterCreator: h.gateway.adapterCreator(guildId) };
	return { guildId, manager, target, events: recordEvents(manager) };
}

const framesNow = (guildId: string) => h.server.frames(guildId).length;

describe('voice engine queue and controls', () => {
	it('GIVEN two takes queued THEN they play in order, each frame for frame', async () => {
		const { guildId, manager, target, events } = setup();
		expect((await manager.play(target, short)).position).toBe(0);
		expect((await manager.play(target, other)).position).toBe(1);
		expect(
			manager
				.get(guildId)
				?.snapshot()
				.upcoming.map((e) => e.take.id),
		).toEqual(['other']);
		await nextEvent(manager, 'trackEnd', (e) => e.entry.take.id === 'other');

		expect(h.audioFrames(guildId)).toEqual([...(await h.cachedPackets(short)), ...(await h.cachedPackets(other))]);
		expect(events.lifecycle().map((e) => `${e.name}:${e.take}`)).toEqual([
			'trackStart:short',
			'trackEnd:short',
			'trackStart:other',
			'trackEnd:other',
		]);
		expect(manager.get(guildId)?.snapshot().status).toBe('idle');
	});

	it('GIVEN a playing take WHEN paused THEN no frame arrives until it is resumed', async () => {
		const { guildId, manager, target } = setup();
		const { player } = await manager.play(target, long);
		await h.server.waitFor(() => framesNow(guildId) > 10, { what: 'first frames' });
		expect(player.pause()).toBe(true);
		expect(player.snapshot()).toMatchObject({ status: 'paused', controls: { pause: false, resume: true } });
		// After a pause the library sends 5 silence frames, then SPEAKING 0 (the last frame follows one cycle later).
		await h.server.waitFor(() => h.server.sessions(guildId)[0]?.speaking.at(-1)?.speaking === 0, {
			what: 'speaking 0',
		});
		await sleep(100);
		const whilePaused = framesNow(guildId);
		await sleep(500);
		expect(framesNow(guildId)).toBe(whilePaused);
		expect(player.resume()).toBe(true);
		await h.server.waitFor(() => framesNow(guildId) > whilePaused + 10, { what: 'frames after resume' });
		expect(player.snapshot().status).toBe('playing');
		player.stop();
	});

	it('GIVEN a take playing WHEN skipped THEN the next take starts and the skip is reported', async () => {
		const { guildId, manager, target, events } = setup();
		const { player } = await manager.play(target, long);
		await manager.play(target, short);
		await h.server.waitFor(() => framesNow(guildId) > 10, { what: 'first frames' });
		expect(player.skip()).toBe(true);
		await nextEvent(manager, 'trackEnd', (e) => e.entry.take.id === 'short');
		expect(events.lifecycle().map((e) => `${e.name}:${e.take}:${e.reason}`)).toEqual([
			'trackStart:long:undefined',
			'trackEnd:long:skipped',
			'trackStart:short:undefined',
			'trackEnd:short:finished',
		]);
		const frames = h.audioFrames(guildId);
		expect(frames.slice(-(await h.cachedPackets(short)).length)).toEqual(await h.cachedPackets(short));
	});

	it('GIVEN a queue WHEN stopped THEN it is cleared and the bot leaves the channel', async () => {
		const { guildId, manager, target, events } = setup();
		const { player } = await manager.play(target, long);
		await manager.play(target, short);
		await h.server.waitFor(() => framesNow(guildId) > 5, { what: 'first frames' });
		player.stop();
		expect(h.gateway.channelOf(guildId)).toBeNull();
		expect(manager.get(guildId)).toBeUndefined();
		expect(player.snapshot()).toMatchObject({ status: 'left', queued: 0, controls: { stop: false } });
		expect(events.lifecycle().map((e) => `${e.name}:${e.reason}`)).toEqual([
			'trackStart:undefined',
			'trackEnd:stopped',
			'leave:stopped',
		]);
	});

	it('GIVEN the queue has ended THEN the bot leaves after the configured delay', async () => {
		const { guildId, manager, target } = setup({ leaveAfterEndMs: 200 });
		await manager.play(target, short);
		const [leave] = await nextEvent(manager, 'leave');
		expect(leave.reason).toBe('queue_ended');
		expect(h.gateway.payloads.filter((p) => p.guild_id === guildId).map((p) => p.channel_id)).toEqual([CHANNEL, null]);
	});

	it('GIVEN the channel empties THEN the bot leaves after the delay, unless someone comes back', async () => {
		const { guildId, manager, target } = setup({ leaveWhenEmptyMs: 300 });
		const { player } = await manager.play(target, long);
		manager.setListenerCount(guildId, CHANNEL, 0);
		await sleep(150);
		manager.setListenerCount(guildId, CHANNEL, 1);
		await sleep(300);
		expect(player.hasLeft).toBe(false);
		manager.setListenerCount(guildId, CHANNEL, 0);
		const [leave] = await nextEvent(manager, 'leave');
		expect(leave.reason).toBe('channel_empty');
	});

	it('GIVEN a broken mp3 THEN an error is reported and the next take plays', async () => {
		const { guildId, manager, target, events } = setup();
		await manager.play(target, h.fileTake('broken', 'broken.mp3'));
		await manager.play(target, short);
		await nextEvent(manager, 'trackEnd', (e) => e.entry.take.id === 'short');
		const error = events.log.find((e) => e.name === 'trackError')?.error;
		expect(error).toBeInstanceOf(PlaybackError);
		expect((error as PlaybackError).id).toBe('voice.transcode_failed');
		expect(events.lifecycle().map((e) => `${e.name}:${e.take}:${e.reason}`)).toEqual([
			'trackError:broken:undefined',
			'trackEnd:broken:error',
			'trackStart:short:undefined',
			'trackEnd:short:finished',
		]);
		expect(h.audioFrames(guildId)).toEqual(await h.cachedPackets(short));
	});

	it('GIVEN a take played twice THEN ffmpeg transcoded it once', async () => {
		const { manager, target } = setup();
		const take = h.makeTake('twice', 0.4, 880);
		const before = h.cache.stats.transcodes;
		await manager.play(target, take);
		await manager.play(target, take);
		await nextEvent(manager, 'trackEnd', (e) => e.entry.key === 2);
		await manager.play(target, take);
		await nextEvent(manager, 'trackEnd', (e) => e.entry.key === 3);
		expect(h.cache.stats.transcodes).toBe(before + 1);
	});

	it('GIVEN a busy player WHEN someone plays from another channel THEN it is refused with a clear message', async () => {
		const { guildId, manager, target } = setup();
		await manager.play(target, long);
		let refused: unknown;
		try {
			await manager.play({ ...target, channelId: OTHER_CHANNEL }, short);
		} catch (error) {
			refused = error;
		}
		expect(refused).toBeInstanceOf(UserError);
		expect((refused as UserError).id).toBe('voice.busy_elsewhere');
		// The channel as data: Discord shows it as a link in the reader's language.
		expect(userErrorText(refused as UserError, 'en')).toContain(`<#${CHANNEL}>`);
		expect(userErrorText(refused as UserError, 'zh-CN')).toContain(`我正在 <#${CHANNEL}> 播放`);
		expect(() => manager.controlFor(guildId, OTHER_CHANNEL)).toThrow(/Only people listening in/);
		expect(manager.controlFor(guildId, CHANNEL).channelId).toBe(CHANNEL);
		manager.get(guildId)?.stop();
	});

	it('GIVEN no ffmpeg WHEN a take is played THEN the error says to install it', async () => {
		const cache = new TranscodeCache({
			dir: `${h.dir}/no-ffmpeg`,
			maxBytes: 1_000_000,
			ffmpegPath: '/nonexistent/ffmpeg',
		});
		const { manager, target, events } = setup({ audio: createTakeAudio({ cache, ffmpegPath: '/nonexistent/ffmpeg' }) });
		await manager.play(target, short);
		await nextEvent(manager, 'trackEnd');
		expect(events.log.find((e) => e.name === 'trackError')?.error).toBeInstanceOf(FfmpegMissingError);
		manager.get(target.guildId)?.stop();
	});
});
