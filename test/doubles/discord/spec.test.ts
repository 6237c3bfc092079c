import { DiscordAPIError, Routes, type SendableChannels } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';

let double: DiscordDouble;
let bot: BareClient;

beforeAll(async () => {
	double = await startDiscordDouble();
	bot = await connectBareClient(double);
	await bot.client.application?.commands.set([{ name: 'song', description: 'Write a song' }]);
});

afterEach(() => {
	bot.errors.length = 0;
});

afterAll(async () => {
	await bot.client.destroy();
	await double.stop();
});

function songs(): SendableChannels {
	const found = bot.client.channels.cache.get(double.channel('songs').id);
	if (!found?.isSendable()) throw new Error('#songs is not sendable');
	return found;
}

/** The Discord error a raw REST call (bypassing discord.js's own checks, as a buggy bot would) failed with. */
async function refusal(action: Promise<unknown>): Promise<DiscordAPIError> {
	const error = await action.then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
	return error;
}

const post = (body: unknown) => bot.client.rest.post(Routes.channelMessages(double.channel('songs').id), { body });

describe('request bodies against the OpenAPI spec (50035)', () => {
	it('GIVEN a button with a style Discord does not have THEN 400 Invalid Form Body naming the style', async () => {
		const error = await refusal(
			post({ content: 'x', components: [{ type: 1, components: [{ type: 2, style: 9, custom_id: 'a' }] }] }),
		);

		expect([error.status, error.code, error.message]).toEqual([
			400,
			50035,
			expect.stringContaining('Invalid Form Body'),
		]);
		expect(error.rawError).toMatchObject({
			errors: { components: { 0: { components: { 0: { style: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } } } } } },
		});
		expect(double.channel('songs').messages).toEqual([]);
	});

	it('GIVEN a components v2 message with a component type that does not exist THEN UNION_TYPE_CHOICES on its type', async () => {
		const error = await refusal(post({ flags: 1 << 15, components: [{ type: 99, content: 'x' }] }));

		expect(error.rawError).toMatchObject({
			errors: { components: { 0: { type: { _errors: [{ code: 'UNION_TYPE_CHOICES' }] } } } },
		});
	});

	it('GIVEN wrong types (tts as text, an embed that is a string, a bad parse value) THEN one error per field', async () => {
		const error = await refusal(
			post({ content: 'x', tts: 'yes', embeds: ['hello'], allowed_mentions: { parse: ['all'] } }),
		);

		expect(error.rawError).toMatchObject({
			code: 50035,
			errors: {
				tts: { _errors: [{ code: 'BOOLEAN_TYPE_COERCE' }] },
				embeds: { 0: { _errors: [{ code: 'MODEL_TYPE_CONVERT' }] } },
				allowed_mentions: { parse: { 0: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } } },
			},
		});
	});

	it('GIVEN an edit with an attachment id that is not a snowflake THEN 50035 and the message is unchanged', async () => {
		const message = await songs().send('first words');
		const error = await refusal(
			bot.client.rest.patch(Routes.channelMessage(message.channelId, message.id), {
				body: { content: 'second words', attachments: [{ id: 'first' }] },
			}),
		);

		expect(error.rawError).toMatchObject({ errors: { attachments: { 0: { id: { _errors: [{}] } } } } });
		expect(double.channel('songs').messages.find((m) => m.id === message.id)?.content).toBe('first words');
	});

	it('GIVEN a command option of an unknown type in PUT commands THEN the error path starts at the list index', async () => {
		const error = await refusal(
			bot.client.rest.put(Routes.applicationCommands(double.applicationId), {
				body: [{ name: 'song', description: 'Write a song', options: [{ type: 42, name: 'x', description: 'y' }] }],
			}),
		);

		expect(error.rawError).toMatchObject({ errors: { 0: { options: { 0: { type: {} } } } } });
	});

	it('GIVEN commands as discord.js sends them (default_member_permissions as a string) THEN they are accepted', async () => {
		await bot.client.application?.commands.set([
			{ name: 'song', description: 'Write a song' },
			{ name: 'songbot', description: 'Settings', defaultMemberPermissions: 32n },
		]);

		expect(double.commands.map((c) => [c.name, c.default_member_permissions])).toEqual([
			['song', null],
			['songbot', '32'],
		]);
	});

	it('GIVEN a refused interaction reply THEN the callback is recorded as 50035, not acknowledged, and a valid retry works', async () => {
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await bot.client.rest
				.post(Routes.interactionCallback(interaction.id, interaction.token), {
					body: { type: 4, data: { content: 'hi', flags: 'ephemeral' } },
					auth: false,
				})
				.catch((e: unknown) => bot.errors.push(e));
			await interaction.reply('hello again');
		});
		const interaction = await double.user('alice').runSlash('song');
		const reply = await interaction.reply();

		expect(interaction.callbacks.map((c) => [c.type, c.status, c.code])).toEqual([
			[4, 400, 50035],
			[4, 204, null],
		]);
		expect((bot.errors[0] as DiscordAPIError).rawError).toMatchObject({
			errors: { data: { flags: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] } } },
		});
		expect(reply.content).toBe('hello again');
	});

	it('GIVEN a modal without a title and an input of a style Discord does not have THEN 50035 names both', async () => {
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await bot.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
				body: {
					type: 9,
					data: {
						custom_id: 'form',
						title: null,
						components: [{ type: 1, components: [{ type: 4, custom_id: 'a', style: 3, label: 'A' }] }],
					},
				},
				auth: false,
			});
		});
		const interaction = await double.user('bob').runSlash('song');
		await expect.poll(() => bot.errors.length).toBeGreaterThan(0);

		expect((bot.errors[0] as DiscordAPIError).rawError).toMatchObject({
			errors: {
				data: {
					title: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] },
					components: { 0: { components: { 0: { style: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } } } } },
				},
			},
		});
		expect(interaction.record.response).toBeNull();
	});

	it('GIVEN a labelled radio group with one option THEN 50035 refuses the modal, as Discord wants two to ten', async () => {
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await bot.client.rest
				.post(Routes.interactionCallback(interaction.id, interaction.token), {
					body: {
						type: 9,
						data: {
							custom_id: 'form',
							title: 'How?',
							components: [
								{
									type: 18,
									label: 'Voice',
									component: { type: 21, custom_id: 'voice', options: [{ label: 'Any', value: 'any' }] },
								},
							],
						},
					},
					auth: false,
				})
				.catch((e: unknown) => bot.errors.push(e));
		});
		const interaction = await double.user('bob').runSlash('song');
		await expect.poll(() => bot.errors.length).toBeGreaterThan(0);

		expect(interaction.callbacks.map((c) => [c.type, c.status, c.code])).toEqual([[9, 400, 50035]]);
		expect(interaction.record.response).toBeNull();
	});

	it('GIVEN autocomplete choices with a 101-character name THEN the error names that choice, not the union', async () => {
		await bot.client.application?.commands.set([
			{ name: 'song', description: 'Write a song' },
			{
				name: 'pick',
				description: 'Pick one',
				options: [{ type: 3, name: 'take', description: 'A take', autocomplete: true }],
			},
		]);
		bot.onInteraction(async (interaction) => {
			if (!interaction.isAutocomplete()) return;
			await interaction.respond([
				{ name: 'fine', value: 'a' },
				{ name: 'x'.repeat(101), value: 'b' },
			]);
		});
		// No choices ever show (the answer was refused), so the wait ends in an error after a short timeout.
		await double
			.user('alice')
			.autocomplete('pick', 'take', '', {}, { timeout: 1_000 })
			.catch(() => undefined);
		await expect.poll(() => bot.errors.length).toBeGreaterThan(0);

		expect((bot.errors[0] as DiscordAPIError).rawError).toMatchObject({
			errors: { data: { choices: { 1: { name: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } },
		});
	});
});
