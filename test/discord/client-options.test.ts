import { once } from 'node:events';
import { type Client, Events, PermissionFlagsBits, type VoiceBasedChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/discord/client-options.ts';
import { isFull, listenerCount } from '../../src/discord/voice-occupancy.ts';
import { type DiscordDouble, startDiscordDouble } from '../doubles/discord/index.ts';

describe("the bot's lean discord.js caches", () => {
	let double: DiscordDouble;
	let client: Client<true>;

	beforeAll(async () => {
		double = await startDiscordDouble({ crowd: { guilds: 12 } });
		const unready = createClient({ DISCORD_API_URL: double.apiUrl });
		const ready = once(unready, Events.ClientReady);
		await unready.login(double.token);
		await ready;
		client = unready as Client<true>;
	});

	afterAll(async () => {
		await client.destroy();
		await double.stop();
	});

	const crowdGuild = () => {
		const guild = client.guilds.cache.find((g) => g.id !== double.guild.id);
		if (!guild) throw new Error('no crowd guild');
		return guild;
	};

	it('GIVEN 12 servers of 200 members THEN channels, roles and voice states are kept, members only the bot and bots', () => {
		const guild = crowdGuild();

		expect(client.guilds.cache.size).toBe(13);
		expect(guild.channels.cache.size).toBe(50);
		expect(guild.roles.cache.size).toBe(31);
		expect(guild.voiceStates.cache.filter((v) => v.channelId !== null).size).toBe(3);
		expect(guild.members.cache.map((m) => m.user.bot)).toEqual([true, true, true, true]);
		expect(guild.members.me?.permissions.has(PermissionFlagsBits.AttachFiles)).toBe(true);
		expect([...client.users.cache.keys()]).toEqual([client.user.id]);
	});

	it('GIVEN people already in voice when the server arrived THEN they count as listeners though not cached', () => {
		const guild = crowdGuild();
		const occupied = [...new Set(guild.voiceStates.cache.map((v) => v.channelId))].map((id) =>
			guild.channels.cache.get(id ?? ''),
		) as VoiceBasedChannel[];

		expect(occupied.map((c) => c.members.size)).toEqual(occupied.map(() => 0));
		expect(occupied.reduce((sum, c) => sum + listenerCount(c), 0)).toBe(3);
	});

	it('GIVEN alice joins a voice channel THEN her member is cached there, she is a listener, and the limit counts her', async () => {
		const alice = double.user('alice');
		await alice.joinVoice('General');
		const channel = client.channels.cache.get(double.channel('General').id) as VoiceBasedChannel;
		await expect.poll(() => channel.members.map((m) => m.user.username)).toEqual(['alice']);

		expect(listenerCount(channel)).toBe(1);
		expect(isFull(channel)).toBe(false);
		channel.userLimit = 1;
		expect(isFull(channel)).toBe(true);
	});
});
