import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTakeAudio } from '../../src/voice/index.ts';
import type { Take } from '../../src/voice/types.ts';
import { CHANNEL, nextEvent, recordEvents, startVoiceHarness, type VoiceHarness } from './harness.ts';

let h: VoiceHarness;
let http: Server;
let liveTake: Take;
let streamRequests = 0;

beforeAll(async () => {
	h = await startVoiceHarness();
	// A provider's stream URL: the mp3 is sent in small chunks, as a take still generating would be.
	const live = h.makeTake('live-source', 3, 523);
	const path = live.source.kind === 'file' ? live.source.path : '';
	http = createServer((_req, res) => {
		streamRequests++;
		res.writeHead(200, { 'content-type': 'audio/mpeg' });
		createReadStream(path, { highWaterMark: 4096 }).pipe(res);
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const { port } = http.address() as AddressInfo;
	liveTake = {
		id: 'live-1',
		title: 'Still generating',
		source: { kind: 'live', url: `http://127.0.0.1:${port}/stream.mp3` },
	};
	expect(statSync(path).size).toBeGreaterThan(0);
});

afterAll(async () => {
	await new Promise<void>((resolve) => http.close(() => resolve()));
	await h.close();
});

describe('voice engine playback, measured at the Discord double', () => {
	it('GIVEN a 9 s take WHEN it is played THEN the double receives its Opus frames evenly, then the bot leaves', async () => {
		const guildId = h.guild();
		const manager = h.manager({ leaveAfterEndMs: 300 });
		const events = recordEvents(manager);
		const take = h.fileTake('take-2', 'take-2.mp3');
		await manager.play(
			{ guildId, channelId: CHANNEL, adapterCreator: h.gateway.adapterCreator(guildId) },
			take,
			'user-1',
		);
		await nextEvent(manager, 'leave', (e) => e.guildId === guildId);

		// take-2 lasts 9.04 s: 452 frames of 20 ms, within 5 %.
		const stats = h.server.stats(guildId, { skip: 1 });
		expect(Math.abs(stats.audioFrames + 1 - 452)).toBeLessThanOrEqual(452 * 0.05);
		// Time the test process was descheduled by an overloaded machine is not the bot's gap (stalls.ts).
		expect(stats.longestGapExcludingStallsMs, `raw longest gap ${stats.longestGapMs} ms`).toBeLessThanOrEqual(100);
		expect(h.audioFrames(guildId)).toEqual(await h.cachedPackets(take));
		expect(h.server.sessions(guildId)[0]?.maxDaveProtocolVersion).toBeGreaterThanOrEqual(1);
		expect(events.lifecycle()).toEqual([
			{ name: 'trackStart', take: 'take-2' },
			{ name: 'trackEnd', take: 'take-2', reason: 'finished' },
			{ name: 'leave', reason: 'queue_ended' },
		]);
		expect(h.gateway.channelOf(guildId)).toBeNull();
		expect(manager.get(guildId)).toBeUndefined();
		expect(h.server.violations).toEqual([]);
	});

	it('GIVEN a take still generating WHEN it is played from its stream URL THEN it is transcoded live and heard whole', async () => {
		const guildId = h.guild();
		const manager = h.manager();
		const transcodes = h.cache.stats.transcodes;
		await manager.play({ guildId, channelId: CHANNEL, adapterCreator: h.gateway.adapterCreator(guildId) }, liveTake);
		const [end] = await nextEvent(manager, 'trackEnd', (e) => e.guildId === guildId);

		expect(end.reason).toBe('finished');
		// 3 s of audio: 150 frames, within 5 %.
		expect(Math.abs(h.server.stats(guildId).audioFrames - 150)).toBeLessThanOrEqual(150 * 0.05);
		expect(h.cache.stats.transcodes).toBe(transcodes);
	});

	it('GIVEN a stream URL that fails THEN a stream error is reported and the next take plays', async () => {
		const guildId = h.guild();
		const manager = h.manager();
		const events = recordEvents(manager);
		const target = { guildId, channelId: CHANNEL, adapterCreator: h.gateway.adapterCreator(guildId) };
		const broken: Take = { id: 'gone', title: 'Gone', source: { kind: 'live', url: 'http://127.0.0.1:9/none.mp3' } };
		await manager.play(target, broken);
		await manager.play(target, h.makeTake('after-gone', 0.5));
		await nextEvent(manager, 'trackEnd', (e) => e.entry.take.id === 'after-gone');

		const error = events.log.find((e) => e.name === 'trackError')?.error;
		expect(error?.message).toMatch(/could not be played from its live stream/);
		expect(events.lifecycle().map((e) => [e.name, e.take, e.reason])).toEqual([
			['trackError', 'gone', undefined],
			['trackEnd', 'gone', 'error'],
			['trackStart', 'after-gone', undefined],
			['trackEnd', 'after-gone', 'finished'],
		]);
	});

	it('GIVEN the live stream URL of a take at a loopback address WHEN private addresses are not allowed THEN it is refused without a request and the next take plays', async () => {
		const guildId = h.guild();
		const manager = h.manager({ audio: createTakeAudio({ cache: h.cache, allowHttp: true }) });
		const events = recordEvents(manager);
		const target = { guildId, channelId: CHANNEL, adapterCreator: h.gateway.adapterCreator(guildId) };
		const before = streamRequests;
		await manager.play(target, liveTake);
		await manager.play(target, h.makeTake('after-refused', 0.5));
		await nextEvent(manager, 'trackEnd', (e) => e.entry.take.id === 'after-refused');

		const error = events.log.find((e) => e.name === 'trackError')?.error;
		expect(error?.message).toBe('This take could not be played: its stream address is not one the bot may fetch.');
		expect(streamRequests).toBe(before);
	});

	it('GIVEN a plain-http stream URL WHEN AUDIO_ALLOW_HTTP is off THEN it is refused without a request', async () => {
		const guildId = h.guild();
		const manager = h.manager({ audio: createTakeAudio({ cache: h.cache, allowHttp: false }) });
		const events = recordEvents(manager);
		const target = { guildId, channelId: CHANNEL, adapterCreator: h.gateway.adapterCreator(guildId) };
		const before = streamRequests;
		await manager.play(target, liveTake);
		await manager.play(target, h.makeTake('after-http', 0.5));
		await nextEvent(manager, 'trackEnd', (e) => e.entry.take.id === 'after-http');
		expect(events.log.find((e) => e.name === 'trackError')?.error?.message).toMatch(/not one the bot may fetch/);
		expect(streamRequests).toBe(before);
	});
});
