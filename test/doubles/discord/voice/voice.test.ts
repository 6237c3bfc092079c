// Must load before @discordjs/voice: the client probes for an XChaCha cipher once, when it loads.

import { Buffer } from 'node:buffer';
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import {
	type AudioPlayer,
	AudioPlayerStatus,
	createAudioPlayer,
	createAudioResource,
	entersState,
	joinVoiceChannel,
	StreamType,
	type VoiceConnection,
	VoiceConnectionStatus,
} from '@discordjs/voice';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createTestVoiceGateway } from './adapter.ts';
import type { EncryptionMode } from './crypto.ts';
import { isSilence } from './frames.ts';
import { demuxOggOpus } from './ogg.ts';
import { startVoiceServer, type VoiceServer } from './server.ts';
import { trustCertificate } from './trust.ts';

const BOT = '100000000000000001';
const CHANNEL = '300000000000000001';
const take2 = new URL('../../../fixtures/audio/take-2.mp3', import.meta.url).pathname;

let dir: string;
let oggPath: string;
let packets: Buffer[];
const servers: VoiceServer[] = [];
const connections: VoiceConnection[] = [];
let guildSeq = 0;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'voice-double-'));
	oggPath = join(dir, 'take-2-head.ogg');
	// The first 2 s of a fixture take: ~100 Opus frames, enough to compare byte for byte, quick to play.
	execFileSync('ffmpeg', [
		'-v',
		'error',
		'-t',
		'2',
		'-i',
		take2,
		'-c:a',
		'libopus',
		'-ar',
		'48000',
		'-ac',
		'2',
		oggPath,
	]);
	packets = demuxOggOpus(readFileSync(oggPath)).packets;
});

afterEach(() => {
	for (const c of connections.splice(0)) if (c.state.status !== VoiceConnectionStatus.Destroyed) c.destroy();
});

afterAll(async () => {
	await Promise.all(servers.splice(0).map((s) => s.close()));
	rmSync(dir, { recursive: true, force: true });
});

async function setup(modes?: EncryptionMode[]) {
	const server = await startVoiceServer(modes ? { modes } : {});
	servers.push(server);
	trustCertificate(server.certPem);
	const gateway = createTestVoiceGateway(server, BOT);
	const guildId = `20000000000000000${guildSeq++}`;
	const connection = joinVoiceChannel({ guildId, channelId: CHANNEL, adapterCreator: gateway.adapterCreator(guildId) });
	connections.push(connection);
	await entersState(connection, VoiceConnectionStatus.Ready, 10_000);
	return { server, gateway, guildId, connection };
}

async function playFile(connection: VoiceConnection) {
	const player = createAudioPlayer();
	connection.subscribe(player);
	player.play(createAudioResource(createReadStream(oggPath), { inputType: StreamType.OggOpus }));
	await entersState(player, AudioPlayerStatus.Playing, 5_000);
	return player;
}

const hex = (frames: readonly { opus: Buffer }[]) => frames.map((f) => f.opus.toString('hex'));

describe('voice server of the Discord double, driven by @discordjs/voice', () => {
	it.each([
		['both modes offered', undefined, 'aead_aes256_gcm_rtpsize'],
		['only XChaCha offered', ['aead_xchacha20_poly1305_rtpsize'], 'aead_xchacha20_poly1305_rtpsize'],
	] as const)(
		'GIVEN %s WHEN an Ogg/Opus file is played THEN the double decrypts exactly its Opus packets',
		async (_, modes, expected) => {
			const { server, guildId, connection } = await setup(modes ? [...modes] : undefined);
			const player = await playFile(connection);
			await entersState(player, AudioPlayerStatus.Idle, 10_000);
			await server.waitFor(() => server.sessions(guildId)[0]?.speaking.at(-1)?.speaking === 0, { what: 'speaking 0' });

			const frames = server.frames(guildId);
			const [session] = server.sessions(guildId);
			expect(session?.mode).toBe(expected);
			expect(session?.maxDaveProtocolVersion).toBeGreaterThanOrEqual(1);
			expect(hex(frames.slice(0, packets.length))).toEqual(hex(packets.map((opus) => ({ opus }))));
			expect(frames.slice(packets.length).every(isSilence)).toBe(true);
			expect(server.stats(guildId).sequenceBreaks).toBe(0);
			expect(session?.speaking.map((s) => s.speaking)).toEqual([1, 0]);
			expect(server.violations).toEqual([]);
		},
	);

	it('GIVEN playback WHEN the double closes the socket with 4015 THEN the client resumes and audio goes on', async () => {
		const { server, guildId, connection } = await setup();
		await playFile(connection);
		await server.waitFor(() => server.stats(guildId).frames >= 10, { what: '10 frames' });
		expect(server.closeSockets(guildId, 4015)).toBe(1);
		await server.waitFor(() => server.sessions(guildId)[0]?.resumes === 1, { what: 'RESUME' });
		const before = server.stats(guildId).frames;
		await server.waitFor(() => server.stats(guildId).frames >= before + 10, { what: 'frames after resume' });
		expect(server.sessions(guildId)).toHaveLength(1);
		expect(server.violations).toEqual([]);
	});

	it('GIVEN a connection WHEN the double closes with 4006 THEN the client rejoins through the gateway', async () => {
		const { server, gateway, guildId, connection } = await setup();
		server.closeSockets(guildId, 4006);
		await server.waitFor(() => server.sessions(guildId).length === 2, { what: 'second session' });
		await entersState(connection, VoiceConnectionStatus.Ready, 5_000);
		expect(gateway.payloads.filter((p) => p.channel_id === CHANNEL)).toHaveLength(2);
	});

	it('GIVEN a connection WHEN the bot is kicked THEN the client sees close code 4014', async () => {
		const { gateway, guildId, connection } = await setup();
		gateway.kick(guildId);
		const state = await new Promise((resolve) =>
			connection.once(VoiceConnectionStatus.Disconnected, (_, s) => resolve(s)),
		);
		expect(state).toMatchObject({ closeCode: 4014 });
	});

	it('GIVEN dropped UDP THEN no frame is recorded until it is restored', async () => {
		const { server, guildId, connection } = await setup();
		server.dropUdp(true);
		await playFile(connection);
		await new Promise((r) => setTimeout(r, 300));
		expect(server.frames(guildId)).toHaveLength(0);
		expect(server.droppedDatagrams).toBeGreaterThan(0);
		server.dropUdp(false);
		await server.waitFor(() => server.stats(guildId).frames > 0, { what: 'frames after restore' });
	});

	describe('arrival gaps, told apart from an overloaded machine', () => {
		const gapAfter = async (disturb: (player: AudioPlayer) => Promise<void> | void) => {
			const { server, guildId, connection } = await setup();
			const player = await playFile(connection);
			await server.waitFor(() => server.stats(guildId).frames >= 20, { what: '20 frames' });
			await disturb(player);
			await entersState(player, AudioPlayerStatus.Idle, 10_000);
			return server.stats(guildId, { skip: 1 });
		};

		it('GIVEN the process is descheduled for 200 ms THEN the gap is not held against the bot', async () => {
			const stats = await gapAfter(async () => {
				// A child stops and resumes this very process, as an overloaded host would.
				const child = spawn('sh', ['-c', `kill -STOP ${process.pid}; sleep 0.2; kill -CONT ${process.pid}`]);
				await once(child, 'exit');
			});
			expect(stats.longestGapMs).toBeGreaterThan(150);
			expect(stats.longestGapExcludingStallsMs).toBeLessThan(100);
		});

		it('GIVEN the process blocks its own event loop for 200 ms THEN the gap counts', async () => {
			const stats = await gapAfter(() => {
				const until = performance.now() + 200;
				while (performance.now() < until);
			});
			expect(stats.longestGapExcludingStallsMs).toBeGreaterThan(150);
		});

		it('GIVEN the player stops sending for 200 ms THEN the gap counts', async () => {
			const stats = await gapAfter(async (player) => {
				player.pause(false);
				await new Promise((r) => setTimeout(r, 200));
				player.unpause();
			});
			expect(stats.longestGapExcludingStallsMs).toBeGreaterThan(150);
		});
	});

	it('GIVEN an IDENTIFY without DAVE support THEN it is recorded, and with closeWithoutDave closed 4017', async () => {
		const server = await startVoiceServer({ closeWithoutDave: true });
		servers.push(server);
		const { token } = server.grant({ guildId: '1', channelId: '2', userId: '3', sessionId: 's' });
		const ws = new WebSocket(`wss://${server.endpoint}/?v=8`, { ca: server.certPem });
		await once(ws, 'open');
		ws.send(
			JSON.stringify({
				op: 0,
				d: { server_id: '1', user_id: '3', session_id: 's', token, max_dave_protocol_version: 0 },
			}),
		);
		const [code] = await once(ws, 'close');
		expect(code).toBe(4017);
		expect(server.violations.join()).toMatch(/max_dave_protocol_version=0/);
	});

	it('GIVEN a keepalive datagram of 8 bytes THEN the double ignores it', async () => {
		const server = await startVoiceServer();
		servers.push(server);
		const udp = createSocket('udp4');
		udp.send(Buffer.alloc(8), server.udpPort, '127.0.0.1');
		udp.send(Buffer.alloc(30, 1), server.udpPort, '127.0.0.1');
		await server.waitFor(() => server.violations.length > 0, { what: 'a violation for the 30-byte datagram' });
		udp.close();
		expect(server.violations).toHaveLength(1);
		expect(server.violations[0]).toMatch(/30 bytes/);
	});
});
