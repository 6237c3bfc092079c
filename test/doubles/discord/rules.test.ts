import { setTimeout as sleep } from 'node:timers/promises';
import { AttachmentBuilder, DiscordAPIError, PermissionFlagsBits, Routes, type SendableChannels } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';
import { DEFAULT_LIMITS } from './rules.ts';

let double: DiscordDouble;
let bot: BareClient;
const MiB = 1024 * 1024;

beforeAll(async () => {
	double = await startDiscordDouble({
		guilds: [{ textChannels: ['general', 'songs', 'quiet', 'no-files', 'no-embeds', 'hidden'] }],
	});
	bot = await connectBareClient(double);
	await bot.client.application?.commands.set([{ name: 'song', description: 'Write a song' }]);
});

afterEach(() => {
	Object.assign(double.limits, DEFAULT_LIMITS);
	bot.errors.length = 0;
});

afterAll(async () => {
	await bot.client.destroy();
	await double.stop();
});

function channel(name: string): SendableChannels {
	const found = bot.client.channels.cache.get(double.channel(name).id);
	if (!found?.isSendable()) throw new Error(`#${name} is not sendable`);
	return found;
}

/** The Discord error a discord.js call failed with. */
async function discordError(action: Promise<unknown>): Promise<DiscordAPIError> {
	const error = await action.then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
	return error;
}

async function firstBotError(): Promise<DiscordAPIError> {
	await expect.poll(() => bot.errors.length).toBeGreaterThan(0);
	const [error] = bot.errors;
	if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
	return error;
}

describe('interaction timing', () => {
	it('GIVEN the bot answers after the first-response deadline THEN Discord says 10062 and the token is dead (50027)', async () => {
		double.limits.interactionDeadlineMs = 100;
		let late: unknown;
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await sleep(250);
			await interaction.reply('too late').catch((e: unknown) => bot.errors.push(e));
			// discord.js refuses a follow-up without a reply, so use the webhook route directly.
			const followUp = { body: { content: 'late' }, auth: false };
			late = await bot.client.rest
				.post(Routes.webhook(interaction.applicationId, interaction.token), followUp)
				.catch((e: unknown) => e);
		});
		const interaction = await double.user('alice').runSlash('song');

		expect((await firstBotError()).code).toBe(10062);
		// The follow-up is sent after the failed reply: wait for its answer too.
		await expect.poll(() => late).toBeDefined();
		expect((late as DiscordAPIError).code).toBe(50027);
		expect(interaction.callbacks.map((c) => [c.status, c.code])).toEqual([[404, 10062]]);
		await expect(interaction.response({ timeout: 50 })).rejects.toThrow('type 4 → 404 (10062)');
	});

	it('GIVEN a second initial callback THEN Discord says 40060', async () => {
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await interaction.reply('first');
			// discord.js refuses a second reply itself, so send the raw callback as a buggy bot would.
			await bot.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
				body: { type: 4, data: { content: 'second' } },
				auth: false,
			});
		});
		await double.user('alice').runSlash('song');

		expect((await firstBotError()).code).toBe(40060);
	});

	it('GIVEN the interaction token expired THEN editReply fails with 50027', async () => {
		double.limits.tokenLifetimeMs = 150;
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await interaction.deferReply();
			await sleep(250);
			await interaction.editReply('finally');
		});
		const interaction = await double.user('bob').runSlash('song');

		expect((await firstBotError()).code).toBe(50027);
		expect(interaction.record.originalMessageId).not.toBeNull();
	});
});

describe('attachment size', () => {
	it('GIVEN a file one byte over 10 MiB THEN 413 with code 40005, and exactly 10 MiB passes', async () => {
		const over = await discordError(
			channel('songs').send({ files: [new AttachmentBuilder(Buffer.alloc(10 * MiB + 1), { name: 'big.mp3' })] }),
		);
		const fits = await channel('songs').send({
			files: [new AttachmentBuilder(Buffer.alloc(10 * MiB), { name: 'ok.mp3' })],
		});

		expect([over.status, over.code]).toEqual([413, 40005]);
		expect(fits.attachments.first()?.size).toBe(10 * MiB);
	});

	it('GIVEN boost tier 2 THEN interactions announce 50 MiB and an 11 MiB reply is accepted', async () => {
		double.guild.setPremiumTier(2);
		let limit: number | undefined;
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			limit = interaction.attachmentSizeLimit;
			await interaction.reply({ files: [new AttachmentBuilder(Buffer.alloc(11 * MiB), { name: 'take.mp3' })] });
		});
		const reply = await (await double.user('alice').runSlash('song')).reply();
		double.guild.setPremiumTier(0);

		expect(limit).toBe(50 * MiB);
		expect(reply.attachments[0]?.size).toBe(11 * MiB);
	});
});

describe('message limits (50035)', () => {
	it('GIVEN 2001 characters of content THEN BASE_TYPE_MAX_LENGTH on content', async () => {
		const error = await discordError(channel('songs').send('x'.repeat(2001)));

		expect(error.code).toBe(50035);
		expect(error.rawError).toMatchObject({ errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
	});

	it('GIVEN embeds over the limits THEN errors on the embed description and the 6000 total', async () => {
		const long = await discordError(channel('songs').send({ embeds: [{ description: 'x'.repeat(4097) }] }));
		const total = await discordError(
			channel('songs').send({ embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2001) }] }),
		);

		expect(long.rawError).toMatchObject({
			errors: { embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } },
		});
		expect(total.rawError).toMatchObject({ errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } });
	});

	it('GIVEN a 101-character custom_id or six action rows THEN 50035 on the component', async () => {
		const button = (customId: string) => ({
			type: 1,
			components: [{ type: 2, style: 1, label: 'Go', custom_id: customId }],
		});
		const longId = await discordError(channel('songs').send({ content: 'x', components: [button('a'.repeat(101))] }));
		const rows = await discordError(
			channel('songs').send({ content: 'x', components: [1, 2, 3, 4, 5, 6].map((n) => button(`b${n}`)) }),
		);

		expect(longId.rawError).toMatchObject({
			errors: {
				components: { 0: { components: { 0: { custom_id: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } },
			},
		});
		expect(rows.code).toBe(50035);
	});

	it('GIVEN an interaction reply over the limit THEN the error path starts at data', async () => {
		bot.onInteraction(async (interaction) => {
			if (interaction.isChatInputCommand()) await interaction.reply('x'.repeat(2001));
		});
		await double.user('alice').runSlash('song');
		const error = await firstBotError();

		expect(error.rawError).toMatchObject({ code: 50035, errors: { data: { content: {} } } });
	});

	it('GIVEN an empty message THEN 50006', async () => {
		expect((await discordError(channel('songs').send({ content: '' }))).code).toBe(50006);
	});
});

describe('permissions', () => {
	it('GIVEN the bot may not send in #quiet THEN 50013, and discord.js sees the overwrite', async () => {
		double.channel('quiet').setPermissions('bot', { deny: ['SEND_MESSAGES'] });
		const quiet = bot.client.guilds.cache.get(double.guild.id)?.channels.cache.get(double.channel('quiet').id);
		const canSend = () => quiet?.permissionsFor(bot.client.user?.id ?? '')?.has(PermissionFlagsBits.SendMessages);
		await expect.poll(canSend).toBe(false);

		const error = await discordError(channel('quiet').send('hello'));
		expect([error.status, error.code]).toEqual([403, 50013]);
	});

	it('GIVEN no ATTACH_FILES or EMBED_LINKS THEN files and embeds are refused, and interactions report app_permissions', async () => {
		double.channel('no-files').setPermissions('bot', { deny: ['ATTACH_FILES'] });
		double.channel('no-embeds').setPermissions('bot', { deny: ['EMBED_LINKS'] });
		let canAttach: boolean | undefined;
		bot.onInteraction(async (interaction) => {
			canAttach = interaction.appPermissions?.has(PermissionFlagsBits.AttachFiles);
			if (interaction.isChatInputCommand()) await interaction.reply('ok');
		});
		await (await double.user('alice').runSlash('song', {}, { channel: 'no-files' })).reply();

		const file = await discordError(
			channel('no-files').send({ files: [new AttachmentBuilder(Buffer.from('x'), { name: 'a.mp3' })] }),
		);
		const embed = await discordError(channel('no-embeds').send({ embeds: [{ title: 'Song' }] }));
		expect([file.code, embed.code, canAttach]).toEqual([50013, 50013, false]);
		expect((await channel('no-files').send('text still works')).content).toBe('text still works');
	});

	it('GIVEN the bot cannot see #hidden THEN 50001 Missing Access', async () => {
		const hidden = channel('hidden');
		double.channel('hidden').setPermissions('bot', { deny: ['VIEW_CHANNEL'] });

		expect((await discordError(hidden.send('hi'))).code).toBe(50001);
	});
});
