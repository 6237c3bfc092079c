import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';

describe('login', () => {
	let double: DiscordDouble;
	let bot: BareClient;

	beforeAll(async () => {
		double = await startDiscordDouble({ heartbeatIntervalMs: 300 });
		bot = await connectBareClient(double);
	});

	afterAll(async () => {
		await bot.client.destroy();
		await double.stop();
	});

	it('GIVEN a bare client THEN the guild is available with channels, roles, the bot member and a joinable voice channel', () => {
		const guild = bot.client.guilds.cache.get(double.guild.id);
		const voice = guild?.channels.cache.find((c) => c.name === 'General');

		expect(bot.client.application?.id).toBe(double.applicationId);
		expect(bot.client.user?.id).toBe(double.applicationId);
		expect(guild?.available).toBe(true);
		expect(guild?.channels.cache.map((c) => c.name).sort()).toEqual(['General', 'general', 'songs']);
		expect(guild?.roles.everyone.id).toBe(guild?.id);
		expect(guild?.members.me?.permissions.has(PermissionFlagsBits.AttachFiles)).toBe(true);
		expect(voice?.isVoiceBased() && voice.joinable).toBe(true);
	});

	it('GIVEN a short heartbeat interval THEN heartbeats are acknowledged and the session stays up', async () => {
		await expect.poll(() => bot.client.ws.ping, { timeout: 3000 }).toBeGreaterThanOrEqual(0);

		expect(double.gateway.stats.identifies).toHaveLength(1);
		expect(double.gateway.stats.resumes).toBe(0);
	});

	it('GIVEN a wrong token THEN login fails with TokenInvalid', async () => {
		const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: double.apiUrl } });

		await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
		await client.destroy();
	});
});

describe('reconnecting', () => {
	let double: DiscordDouble;
	let bot: BareClient;

	beforeAll(async () => {
		double = await startDiscordDouble();
		bot = await connectBareClient(double);
	});

	afterAll(async () => {
		await bot.client.destroy();
		await double.stop();
	});

	const aliceVoice = () =>
		bot.client.guilds.cache.get(double.guild.id)?.voiceStates.cache.get(double.user('alice').id)?.channelId ?? null;

	it('GIVEN a dropped connection WHEN alice joins voice meanwhile THEN the client resumes and the missed event is replayed', async () => {
		const resumed = once(bot.client, Events.ShardResume);
		double.gateway.dropConnections(4000);
		await double.user('alice').joinVoice('General');
		await resumed;

		expect(aliceVoice()).toBe(double.channel('General').id);
		expect(double.gateway.stats.resumes).toBe(1);
		expect(double.gateway.stats.identifies).toHaveLength(1);
	});

	it('GIVEN op 7 RECONNECT THEN the client resumes the same session', async () => {
		const resumed = once(bot.client, Events.ShardResume);
		double.gateway.requestReconnect();
		await resumed;
		await double.user('alice').leaveVoice();

		await expect.poll(aliceVoice).toBeNull();
		expect(double.gateway.stats.resumes).toBe(2);
	});

	it('GIVEN op 9 INVALID SESSION THEN the client identifies again and receives the guild anew', async () => {
		double.gateway.invalidateSessions(false);

		await expect.poll(() => double.gateway.stats.identifies.length, { timeout: 12_000 }).toBe(2);
		await expect.poll(() => double.gateway.sessions.length).toBe(1);
		await double.user('bob').joinVoice('General');
		await expect
			.poll(() => bot.client.guilds.cache.get(double.guild.id)?.voiceStates.cache.get(double.user('bob').id)?.channelId)
			.toBe(double.channel('General').id);
	}, 15_000);
});

describe('intents and shards', () => {
	let double: DiscordDouble;
	const clients: Client[] = [];

	beforeAll(async () => {
		double = await startDiscordDouble({
			shardCount: 2,
			allowedPrivilegedIntents: 0,
			guilds: [
				{ name: 'Shard zero', shard: [0, 2] },
				{ name: 'Shard one', shard: [1, 2] },
			],
		});
	});

	afterAll(async () => {
		await Promise.all(clients.map((c) => c.destroy()));
		await double.stop();
	});

	it('GIVEN two bot processes as shards 0 and 1 THEN each gets only its guilds and its interactions', async () => {
		const connect = async (shard: number) => {
			const bare = await connectBareClient(double, { shards: [shard], shardCount: 2 });
			clients.push(bare.client);
			return bare;
		};
		const [zero, one] = await Promise.all([connect(0), connect(1)]);
		const [guildZero, guildOne] = double.guilds;
		await zero.client.application?.commands.set([{ name: 'song', description: 'Write a song' }]);
		const seen: string[] = [];
		one.onInteraction(async (interaction) => {
			seen.push(`one:${interaction.guildId}`);
		});
		zero.onInteraction(async (interaction) => {
			seen.push(`zero:${interaction.guildId}`);
		});
		if (!guildOne) throw new Error('no second guild');
		await double.user('alice').runSlash('song', {}, { channel: guildOne.channel('songs') });

		expect(zero.client.guilds.cache.map((g) => g.name)).toEqual(['Shard zero']);
		expect(one.client.guilds.cache.map((g) => g.name)).toEqual(['Shard one']);
		await expect.poll(() => seen).toEqual([`one:${guildOne.id}`]);
		expect(guildZero?.name).toBe('Shard zero');
	});

	it('GIVEN a privileged intent the portal does not allow THEN the gateway closes with 4014', async () => {
		const client = new Client({
			intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent],
			rest: { api: double.apiUrl },
		});
		clients.push(client);
		const disconnected = once(client, Events.ShardDisconnect);
		client.login(double.token).catch(() => undefined);
		const [event] = (await disconnected) as [{ code: number }];

		expect(event.code).toBe(4014);
	});

	it('GIVEN a client without the GuildVoiceStates intent THEN it never learns who is in voice', async () => {
		const without = await connectBareClient(double, {
			intents: [GatewayIntentBits.Guilds],
			shards: [0],
			shardCount: 2,
		});
		const withIntent = await connectBareClient(double, { shards: [0], shardCount: 2 });
		clients.push(without.client, withIntent.client);
		const guildId = double.guilds[0]?.id ?? '';
		await double.user('bob').joinVoice(double.guilds[0]?.channel('General') ?? 'General');

		const voiceOf = (client: Client) =>
			client.guilds.cache.get(guildId)?.voiceStates.cache.get(double.user('bob').id)?.channelId;
		await expect.poll(() => voiceOf(withIntent.client)).toBeDefined();
		expect(voiceOf(without.client)).toBeUndefined();
	});
});
