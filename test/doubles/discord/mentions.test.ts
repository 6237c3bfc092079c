import { DiscordAPIError, MessageFlags, Routes } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';
import type { MessageView } from './views.ts';

let double: DiscordDouble;
let bot: BareClient;
let alice: string;
let bob: string;

beforeAll(async () => {
	double = await startDiscordDouble({ guilds: [{ textChannels: ['songs', 'muted'] }] });
	bot = await connectBareClient(double);
	await bot.client.application?.commands.set([{ name: 'song', description: 'Write a song' }]);
	alice = double.user('alice').id;
	bob = double.user('bob').id;
});

afterEach(() => {
	bot.errors.length = 0;
});

afterAll(async () => {
	await bot.client.destroy();
	await double.stop();
});

/** Sends a raw message body (no discord.js defaults) to a channel and returns it as the channel shows it. */
async function send(body: Record<string, unknown>, channel = 'songs'): Promise<MessageView> {
	const id = double.channel(channel).id;
	const sent = (await bot.client.rest.post(Routes.channelMessages(id), { body })) as { id: string };
	return double.channel(channel).messages.find((m) => m.id === sent.id) as MessageView;
}

const nobody = { users: [], roles: [], everyone: false };

describe('who a message pings (allowed_mentions)', () => {
	it('GIVEN no allowed_mentions THEN every mentioned member and @everyone are pinged (Discord’s default)', async () => {
		const message = await send({ content: `<@${alice}> and <@!${bob}>, @everyone, and <@123> who is not here` });

		expect(message.pinged).toEqual({ users: [alice, bob], roles: [], everyone: true });
	});

	it('GIVEN parse [] THEN nobody; GIVEN users [alice] THEN only alice, whatever else the text says', async () => {
		const none = await send({ content: `<@${alice}> @everyone`, allowed_mentions: { parse: [] } });
		const one = await send({
			content: `<@${alice}> <@${bob}> @here`,
			allowed_mentions: { parse: [], users: [alice] },
		});

		expect(none.pinged).toEqual(nobody);
		expect(one.pinged).toEqual({ users: [alice], roles: [], everyone: false });
	});

	it('GIVEN mentions only in an embed or escaped with a backslash THEN nobody is pinged', async () => {
		const embed = await send({ embeds: [{ description: `<@${alice}> @everyone` }] });
		const escaped = await send({ content: `\\<@${alice}> \\@everyone` });

		expect([embed.pinged, escaped.pinged]).toEqual([nobody, nobody]);
	});

	it('GIVEN a mention in a components v2 text display THEN it pings like content', async () => {
		const message = await send({ flags: 1 << 15, components: [{ type: 10, content: `for <@${bob}>` }] });

		expect(message.pinged.users).toEqual([bob]);
	});

	it('GIVEN a role mention THEN it pings with parse roles, and neither it nor @everyone without MENTION_EVERYONE', async () => {
		const guild = bot.client.guilds.cache.get(double.guild.id);
		const role = guild?.roles.cache.find((r) => r.managed)?.id ?? '';
		const allowed = await send({ content: `<@&${role}> @everyone` });
		double.channel('muted').setPermissions('bot', { deny: ['MENTION_EVERYONE'] });
		const denied = await send({ content: `<@&${role}> @everyone <@${alice}>` }, 'muted');

		expect(allowed.pinged).toEqual({ users: [], roles: [role], everyone: true });
		expect(denied.pinged).toEqual({ users: [alice], roles: [], everyone: false });
	});

	it('GIVEN a reply THEN its author is pinged by default, not with allowed_mentions unless replied_user', async () => {
		const original = double.user('alice').send('songs', 'my song idea');
		const reference = { message_id: original.id };
		const byDefault = await send({ content: 'nice', message_reference: reference });
		const quiet = await send({ content: 'nice', message_reference: reference, allowed_mentions: { parse: [] } });
		const asked = await send({
			content: 'nice',
			message_reference: reference,
			allowed_mentions: { parse: [], replied_user: true },
		});

		expect([byDefault.pinged.users, quiet.pinged.users, asked.pinged.users]).toEqual([[alice], [], [alice]]);
	});

	it('GIVEN a message sent through discord.js THEN the returned message lists the pinged users and @everyone', async () => {
		const channel = bot.client.channels.cache.get(double.channel('songs').id);
		if (!channel?.isSendable()) throw new Error('#songs is not sendable');
		const one = await channel.send({ content: `<@${alice}> <@${bob}> @everyone`, allowedMentions: { users: [bob] } });
		const all = await channel.send(`<@${alice}> @everyone`);

		expect([[...one.mentions.users.keys()], one.mentions.everyone]).toEqual([[bob], false]);
		expect([[...all.mentions.users.keys()], all.mentions.everyone]).toEqual([[alice], true]);
	});

	it('GIVEN parse users and a users list together THEN Discord refuses the body (50035)', async () => {
		const error = await send({ content: 'x', allowed_mentions: { parse: ['users'], users: [alice] } }).catch(
			(e: unknown) => e,
		);

		expect(error).toBeInstanceOf(DiscordAPIError);
		expect((error as DiscordAPIError).rawError).toMatchObject({
			code: 50035,
			errors: { allowed_mentions: { _errors: [{ code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE' }] } },
		});
	});

	it('GIVEN an edit that adds a mention THEN nobody is pinged by it (Discord notifies on send only)', async () => {
		const message = await send({ content: 'plain' });
		await bot.client.rest.patch(Routes.channelMessage(message.channelId, message.id), {
			body: { content: `now <@${alice}>` },
		});
		const edited = double.channel('songs').messages.find((m) => m.id === message.id);

		expect(edited?.content).toBe(`now <@${alice}>`);
		expect(edited?.pinged).toEqual(nobody);
	});

	it('GIVEN interaction answers THEN an ephemeral one pings nobody and a follow-up after a deferral pings', async () => {
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			if (interaction.user.id === alice) {
				await interaction.reply({ content: `<@${alice}> only you`, flags: MessageFlags.Ephemeral });
				return;
			}
			await interaction.deferReply();
			await interaction.followUp(`<@${bob}> here it is`);
			await interaction.followUp(`<@${bob}> and again`);
			await interaction.editReply(`<@${alice}> edited in`);
		});
		const ephemeral = await (await double.user('alice').runSlash('song')).reply();
		const deferred = await double.user('bob').runSlash('song');
		const [second] = await deferred.waitForFollowUps(1);
		await expect.poll(() => double.channel('songs').messages.find((m) => m.content.includes('edited in'))).toBeTruthy();
		const original = double.channel('songs').messages.find((m) => m.id === deferred.record.originalMessageId);

		expect(ephemeral.pinged).toEqual(nobody);
		expect(original?.pinged.users).toEqual([bob]);
		expect(second?.pinged.users).toEqual([bob]);
		expect(bot.errors).toEqual([]);
	});
});
