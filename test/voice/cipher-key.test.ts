import { Buffer } from 'node:buffer';
import { KeyObject } from 'node:crypto';
import process from 'node:process';
import { Readable } from 'node:stream';
import {
	createAudioPlayer,
	createAudioResource,
	entersState,
	joinVoiceChannel,
	StreamType,
	type VoiceConnection,
	VoiceConnectionStatus,
} from '@discordjs/voice';
import { afterAll, describe, expect, it } from 'vitest';
import { useKeyObjectCipherKey } from '../../src/voice/cipher-key.ts';
import { createTestVoiceGateway } from '../doubles/discord/voice/adapter.ts';
import type { EncryptionMode } from '../doubles/discord/voice/crypto.ts';
import { startVoiceServer, type VoiceServer } from '../doubles/discord/voice/server.ts';
import { trustCertificate } from '../doubles/discord/voice/trust.ts';

/**
 * The transport key swap of src/voice/cipher-key.ts against the voice double, which decrypts every packet with
 * the key it handed out: a wrong key would show as violations and missing frames.
 */

const BOT_ID = '100000000000000009';
const CHANNEL = '300000000000000001';
const servers: VoiceServer[] = [];
let guildSeq = 0;

async function server(modes: readonly EncryptionMode[]) {
	const s = await startVoiceServer({ modes });
	trustCertificate(s.certPem);
	servers.push(s);
	return { server: s, gateway: createTestVoiceGateway(s, BOT_ID) };
}

afterAll(async () => {
	for (const s of servers) await s.close();
});

/** Joins a fresh guild with the swap in place and plays 100 distinct Opus packets in a loop until `stop`. */
async function join(setup: Awaited<ReturnType<typeof server>>) {
	const guildId = `4${String(process.pid).padStart(8, '0')}${String(guildSeq++).padStart(9, '0')}`;
	const connection = joinVoiceChannel({
		guildId,
		channelId: CHANNEL,
		adapterCreator: setup.gateway.adapterCreator(guildId),
		selfDeaf: true,
	});
	useKeyObjectCipherKey(connection);
	await entersState(connection, VoiceConnectionStatus.Ready, 10_000);
	const player = createAudioPlayer();
	connection.subscribe(player);
	let n = 0;
	const packets = new Readable({
		objectMode: true,
		read() {
			this.push(Buffer.from([0xfc, 0xff, n++ % 100]));
		},
	});
	player.play(createAudioResource(packets, { inputType: StreamType.Opus }));
	return { guildId, connection, stop: () => connection.destroy() };
}

function secretKey(connection: VoiceConnection): unknown {
	const state = connection.state;
	if (state.status !== VoiceConnectionStatus.Ready) return undefined;
	const networking = state.networking.state;
	return 'connectionData' in networking ? (networking.connectionData as { secretKey?: unknown }).secretKey : undefined;
}

describe('transport key kept as a KeyObject', () => {
	it('GIVEN AES-GCM WHEN a guild plays, and after its session is invalidated and rejoined THEN every packet decrypts at the double with the key of its session', async () => {
		const setup = await server(['aead_aes256_gcm_rtpsize']);
		const { guildId, connection, stop } = await join(setup);
		await setup.server.waitFor(() => setup.server.frames(guildId).length >= 20, { what: 'first frames' });
		const first = secretKey(connection);
		expect(first).toBeInstanceOf(KeyObject);
		expect((first as KeyObject).export()).toEqual(setup.server.sessions(guildId)[0]?.secretKey);

		// 4006: session no longer valid; the library rejoins and gets a new key.
		setup.server.closeSockets(guildId, 4006);
		await setup.server.waitFor(() => setup.server.sessions(guildId).length === 2, { what: 'a new session' });
		await entersState(connection, VoiceConnectionStatus.Ready, 10_000);
		const heard = setup.server.frames(guildId).length;
		await setup.server.waitFor(() => setup.server.frames(guildId).length >= heard + 20, { what: 'frames again' });
		const second = secretKey(connection);
		expect(second).toBeInstanceOf(KeyObject);
		expect((second as KeyObject).export()).toEqual(setup.server.sessions(guildId)[1]?.secretKey);
		stop();
		expect(setup.server.violations).toEqual([]);
	});

	it('GIVEN a server offering only XChaCha20 WHEN a guild plays THEN the key stays bytes and every packet decrypts', async () => {
		const setup = await server(['aead_xchacha20_poly1305_rtpsize']);
		const { guildId, connection, stop } = await join(setup);
		await setup.server.waitFor(() => setup.server.frames(guildId).length >= 20, { what: 'first frames' });
		expect(secretKey(connection)).toBeInstanceOf(Uint8Array);
		stop();
		expect(setup.server.violations).toEqual([]);
		expect(setup.server.frames(guildId)[5]?.opus[2]).toBe(5);
	});
});
