import { entersState, joinVoiceChannel, VoiceConnectionStatus } from '@discordjs/voice';
import type { GatewayDispatchPayload } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';
import type { VoiceBackend, VoiceGrant } from './voice-backend.ts';

/** Records what the gateway asked of the voice server; hands out a dead endpoint (no voice server here). */
class RecordingBackend implements VoiceBackend {
	grants: Parameters<VoiceBackend['grant']>[0][] = [];
	revokes: [string, string][] = [];

	grant(request: Parameters<VoiceBackend['grant']>[0]): VoiceGrant {
		this.grants.push(request);
		return { token: `voice-token-${this.grants.length}`, endpoint: '127.0.0.1:9' };
	}

	revoke(guildId: string, userId: string): void {
		this.revokes.push([guildId, userId]);
	}
}

let double: DiscordDouble;
let bot: BareClient;
let backend: RecordingBackend;
let raw: GatewayDispatchPayload[] = [];

beforeAll(async () => {
	backend = new RecordingBackend();
	double = await startDiscordDouble({ voice: backend });
	bot = await connectBareClient(double);
	bot.client.on('raw', (packet: GatewayDispatchPayload) => raw.push(packet));
});

beforeEach(() => {
	raw = [];
});

afterAll(async () => {
	await bot.client.destroy();
	await double.stop();
});

const voiceEvents = () =>
	raw
		.filter((p) => p.t === 'VOICE_STATE_UPDATE' || p.t === 'VOICE_SERVER_UPDATE')
		.map((p) => ({ t: p.t, d: p.d as unknown as Record<string, unknown> }));

describe('the bot joining voice (gateway op 4)', () => {
	it('GIVEN op 4 THEN VOICE_STATE_UPDATE with session and member comes first, then VOICE_SERVER_UPDATE with the grant', async () => {
		const guild = bot.client.guilds.cache.get(double.guild.id);
		const channelId = double.channel('General').id;
		guild?.shard.send({
			op: 4,
			d: { guild_id: double.guild.id, channel_id: channelId, self_deaf: true, self_mute: false },
		});
		await expect.poll(() => voiceEvents().length).toBe(2);
		const [state, server] = voiceEvents();
		const sessionId = double.gateway.sessions[0]?.id;

		expect(state?.t).toBe('VOICE_STATE_UPDATE');
		expect(state?.d).toMatchObject({
			channel_id: channelId,
			user_id: double.applicationId,
			session_id: sessionId,
			self_deaf: true,
		});
		expect(state?.d.member).toMatchObject({ user: { id: double.applicationId } });
		expect(server).toEqual({
			t: 'VOICE_SERVER_UPDATE',
			d: { token: 'voice-token-1', guild_id: double.guild.id, endpoint: '127.0.0.1:9' },
		});
		expect(backend.grants).toEqual([{ guildId: double.guild.id, channelId, userId: double.applicationId, sessionId }]);
		expect(double.botVoiceChannelId()).toBe(channelId);
		expect(double.channel('General').voiceMembers).toContain(double.applicationId);
	});

	it('GIVEN op 4 with channel null THEN the bot leaves and its grant is revoked', async () => {
		const guild = bot.client.guilds.cache.get(double.guild.id);
		guild?.shard.send({
			op: 4,
			d: { guild_id: double.guild.id, channel_id: null, self_deaf: false, self_mute: false },
		});
		await expect.poll(() => double.botVoiceChannelId()).toBeNull();

		expect(backend.revokes).toContainEqual([double.guild.id, double.applicationId]);
		await expect.poll(() => guild?.members.me?.voice.channelId ?? null).toBeNull();
	});

	it('GIVEN @discordjs/voice joins THEN the connection gets both packets and moves on to connecting', async () => {
		const guild = bot.client.guilds.cache.get(double.guild.id);
		if (!guild) throw new Error('no guild');
		const connection = joinVoiceChannel({
			guildId: guild.id,
			channelId: double.channel('General').id,
			adapterCreator: guild.voiceAdapterCreator,
		});
		try {
			await entersState(connection, VoiceConnectionStatus.Connecting, 3000);
			expect(backend.grants.at(-1)?.channelId).toBe(double.channel('General').id);
		} finally {
			connection.destroy();
		}
		await expect.poll(() => double.botVoiceChannelId()).toBeNull();
	});

	it('GIVEN the test disconnects the bot THEN it gets VOICE_STATE_UPDATE with channel null and the grant is revoked', async () => {
		const guild = bot.client.guilds.cache.get(double.guild.id);
		guild?.shard.send({
			op: 4,
			d: { guild_id: double.guild.id, channel_id: double.channel('General').id, self_deaf: true, self_mute: false },
		});
		await expect.poll(() => double.botVoiceChannelId()).not.toBeNull();
		const revokes = backend.revokes.length;
		double.disconnectVoice('bot');

		await expect.poll(() => guild?.members.me?.voice.channelId ?? null).toBeNull();
		expect(backend.revokes.length).toBe(revokes + 1);
	});
});

describe('users in voice', () => {
	it('GIVEN alice joins and leaves General THEN the bot sees member.voice follow her', async () => {
		const alice = double.user('alice');
		const member = () => bot.client.guilds.cache.get(double.guild.id)?.voiceStates.cache.get(alice.id);
		await alice.joinVoice('General');
		await expect.poll(() => member()?.channelId).toBe(double.channel('General').id);
		expect(alice.voiceChannelId).toBe(double.channel('General').id);

		await alice.leaveVoice();
		await expect.poll(() => member()?.channelId ?? null).toBeNull();
		expect(double.channel('General').voiceMembers).not.toContain(alice.id);
	});
});
