import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';

describe('a crowd of generated servers', () => {
	let double: DiscordDouble;
	let bot: BareClient;

	beforeAll(async () => {
		double = await startDiscordDouble({ crowd: { guilds: 12 } });
		bot = await connectBareClient(double);
	});

	afterAll(async () => {
		await bot.client.destroy();
		await double.stop();
	});

	it('GIVEN 12 crowd servers THEN a default client is ready with them all, each of realistic size', () => {
		const crowd = bot.client.guilds.cache.filter((g) => g.id !== double.guild.id);
		const guild = crowd.first();

		expect(bot.client.guilds.cache.size).toBe(13);
		expect(new Set(crowd.map((g) => g.name)).size).toBe(12);
		expect(guild?.channels.cache.size).toBe(50);
		expect(guild?.channels.cache.filter((c) => c.type === ChannelType.GuildVoice).size).toBe(10);
		expect(guild?.roles.cache.size).toBe(31);
		expect(guild?.memberCount).toBe(200);
		expect(guild?.members.cache.size).toBe(200);
		expect(guild?.voiceStates.cache.filter((v) => v.channelId !== null).size).toBe(3);
		// Every crowd member is a distinct user: 12 × 199 besides the bot and the sandbox's owner, alice and bob.
		expect(bot.client.users.cache.size).toBe(12 * 199 + 4);
	});

	it('GIVEN a private crowd channel THEN its overwrites hide it from @everyone and show it to the allowed role', () => {
		const guild = bot.client.guilds.cache.find((g) => g.id !== double.guild.id);
		const hidden = guild?.channels.cache.find((c) => (c.isThread() ? false : c.permissionOverwrites.cache.size > 0));
		if (!hidden || hidden.isThread()) throw new Error('no private crowd channel');
		const allowed = guild?.members.cache.find((m) => hidden.permissionOverwrites.cache.has(m.roles.highest.id));

		expect(guild && hidden.permissionsFor(guild.roles.everyone).has(PermissionFlagsBits.ViewChannel)).toBe(false);
		expect(allowed && hidden.permissionsFor(allowed)?.has(PermissionFlagsBits.ViewChannel)).toBe(true);
		expect(guild?.members.me?.permissions.has(PermissionFlagsBits.AttachFiles)).toBe(true);
	});

	it('GIVEN a member request (op 8) for a crowd server THEN the members come in a chunk', async () => {
		const guild = bot.client.guilds.cache.find((g) => g.id !== double.guild.id);
		const someone = guild?.members.cache.find((m) => !m.user.bot);
		if (!guild || !someone) throw new Error('no crowd member');

		const byQuery = await guild.members.fetch({ query: 'member', limit: 7 });
		const byId = await guild.members.fetch({ user: [someone.id, '1'] });

		expect(byQuery.size).toBe(7);
		expect([...byId.keys()]).toEqual([someone.id]);
	});
});
