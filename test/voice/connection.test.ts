import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Take } from '../../src/voice/types.ts';
import { CHANNEL, nextEvent, recordEvents, startVoiceHarness, type VoiceHarness } from './harness.ts';

let h: VoiceHarness;
let long: Take;

beforeAll(async () => {
	h = await startVoiceHarness();
	long = h.makeTake('long', 4, 330);
});

afterAll(() => h.close());

const fast = { readyTimeoutMs: 3_000, kickedGraceMs: 200, rejoinBackoffMs: 50, maxRejoins: 3 };

function setup() {
	const guildId = h.guild();
	const manager = h.manager({ connectionPolicy: fast });
	const target = { guildId, channelId: CHANNEL, adapterCreator: h.gateway.adapterCreator(guildId) };
	return { guildId, manager, target, events: recordEvents(manager) };
}

const frames = (guildId: string) => h.server.frames(guildId).length;

async function playing(guildId: string) {
	await h.server.waitFor(() => frames(guildId) > 10, { what: 'first frames' });
}

describe('voice engine disconnect policy', () => {
	it('GIVEN the bot is removed from the channel (4014) THEN it gives up after the grace period', async () => {
		const { guildId, manager, target, events } = setup();
		await manager.play(target, long);
		await playing(guildId);
		h.gateway.kick(guildId);
		const [leave] = await nextEvent(manager, 'leave');
		expect(leave.reason).toBe('kicked');
		expect(events.lifecycle().map((e) => `${e.name}:${e.reason}`)).toContain('trackEnd:stopped');
		expect(manager.get(guildId)).toBeUndefined();
	});

	it('GIVEN the voice server crashes (4015) THEN the session resumes and playback goes on', async () => {
		const { guildId, manager, target, events } = setup();
		await manager.play(target, long);
		await playing(guildId);
		h.server.closeSockets(guildId, 4015);
		await h.server.waitFor(() => h.server.sessions(guildId)[0]?.resumes === 1, { what: 'RESUME' });
		const before = frames(guildId);
		await h.server.waitFor(() => frames(guildId) > before + 10, { what: 'frames after resume' });
		expect(h.server.sessions(guildId)).toHaveLength(1);
		expect(events.lifecycle().filter((e) => e.name === 'leave')).toEqual([]);
		manager.get(guildId)?.stop();
	});

	it('GIVEN the session is invalidated (4006) THEN the bot rejoins and playback goes on', async () => {
		const { guildId, manager, target, events } = setup();
		await manager.play(target, long);
		await playing(guildId);
		h.server.closeSockets(guildId, 4006);
		await h.server.waitFor(() => h.server.sessions(guildId).length === 2, { what: 'a second session' });
		const before = frames(guildId);
		await h.server.waitFor(() => frames(guildId) > before + 10, { what: 'frames after rejoin' });
		expect(events.lifecycle().filter((e) => e.name === 'leave')).toEqual([]);
		manager.get(guildId)?.stop();
	});

	it('GIVEN the gateway is briefly unavailable THEN the bot retries with back-off and plays on', async () => {
		const { guildId, manager, target } = setup();
		await manager.play(target, long);
		await playing(guildId);
		h.gateway.setAvailable(false);
		h.server.closeSockets(guildId, 4006);
		const [retry] = await nextEvent(manager, 'reconnecting');
		expect(retry.attempt).toBeGreaterThanOrEqual(2);
		expect(manager.get(guildId)?.snapshot().status).toBe('connecting');
		h.gateway.setAvailable(true);
		const before = frames(guildId);
		await h.server.waitFor(() => frames(guildId) > before + 10, { what: 'frames after the retry' });
		manager.get(guildId)?.stop();
	});

	it('GIVEN the gateway is unavailable when the first take is played THEN the join is retried', async () => {
		const { guildId, manager, target } = setup();
		h.gateway.setAvailable(false);
		try {
			// The first retry may come while play() settles (the player module loads on first play).
			const reconnecting = nextEvent(manager, 'reconnecting');
			await manager.play(target, long);
			const [retry] = await reconnecting;
			expect(retry.attempt).toBe(1);
		} finally {
			h.gateway.setAvailable(true);
		}
		await playing(guildId);
		manager.get(guildId)?.stop();
	});

	it('GIVEN the gateway stays unavailable THEN the bot gives up after its attempts', async () => {
		const { guildId, manager, target, events } = setup();
		await manager.play(target, long);
		await playing(guildId);
		h.gateway.setAvailable(false);
		h.server.closeSockets(guildId, 4006);
		const [leave] = await nextEvent(manager, 'leave');
		h.gateway.setAvailable(true);
		expect(leave.reason).toBe('reconnect_failed');
		expect(events.lifecycle().filter((e) => e.name === 'reconnecting').length).toBeGreaterThanOrEqual(1);
	});

	it('GIVEN the voice server never answers UDP THEN the bot gives up when Ready does not come in time', async () => {
		const { manager, target } = setup();
		h.server.dropUdp(true);
		try {
			await manager.play(target, long);
			const [leave] = await nextEvent(manager, 'leave');
			expect(leave.reason).toBe('connect_timeout');
		} finally {
			h.server.dropUdp(false);
		}
	});
});
