import {
	ActionRowBuilder,
	AttachmentBuilder,
	ButtonBuilder,
	ButtonStyle,
	CheckboxBuilder,
	CheckboxGroupBuilder,
	EmbedBuilder,
	FileUploadBuilder,
	LabelBuilder,
	MessageFlags,
	ModalBuilder,
	RadioGroupBuilder,
	StringSelectMenuBuilder,
	TextInputBuilder,
	TextInputStyle,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';

let double: DiscordDouble;
let bot: BareClient;

const commands = [
	{
		name: 'song',
		description: 'Write a song',
		options: [
			{ name: 'mode', description: 'What to write', type: 3, choices: [{ name: 'lyrics', value: 'lyrics' }] },
			{ name: 'instrumental', description: 'No vocals', type: 5 },
			{ name: 'reference', description: 'A reference track', type: 11 },
		],
	},
	{
		name: 'extend',
		description: 'Extend a take',
		options: [{ name: 'take', description: 'Which take', type: 3, required: true, autocomplete: true }],
	},
];

beforeAll(async () => {
	double = await startDiscordDouble();
	bot = await connectBareClient(double);
	await bot.client.application?.commands.set(commands);
});

afterAll(async () => {
	await bot.client.destroy();
	await double.stop();
});

describe('slash commands', () => {
	it('GIVEN /song with options WHEN the bot replies THEN the channel shows the reply and the bot saw typed options', async () => {
		let seen: unknown[] = [];
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			seen = [interaction.options.getString('mode'), interaction.options.getBoolean('instrumental')];
			await interaction.reply({ content: 'Writing lyrics…', embeds: [new EmbedBuilder().setTitle('Song')] });
		});
		const interaction = await double
			.user('alice')
			.runSlash('song', { mode: 'lyrics', instrumental: false }, { channel: 'songs' });
		const reply = await interaction.reply();

		expect(seen).toEqual(['lyrics', false]);
		expect(reply.text).toBe('Writing lyrics…\nSong');
		expect(double.channel('songs').messages.map((m) => m.content)).toContain('Writing lyrics…');
		expect(reply.interaction?.userId).toBe(double.user('alice').id);
	});

	it('GIVEN a deferred reply WHEN the bot edits it and follows up THEN the user sees the edit, then a new message', async () => {
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await interaction.deferReply();
			await interaction.editReply('Done');
			await interaction.followUp('One more thing');
		});
		const interaction = await double.user('alice').runSlash('song', {});
		const reply = await interaction.reply();
		const [followUp] = await interaction.waitForFollowUps(1);

		expect(reply.content).toBe('Done');
		expect(reply.loading).toBe(false);
		expect(followUp?.content).toBe('One more thing');
	});

	it('GIVEN a deferred reply WHEN the bot only follows up THEN the follow-up fills the "thinking…" message', async () => {
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await interaction.deferReply();
			await interaction.followUp('Here it is');
		});
		const interaction = await double.user('bob').runSlash('song', {});

		expect((await interaction.reply()).content).toBe('Here it is');
		expect(interaction.followUps).toEqual([]);
	});

	it('GIVEN an ephemeral reply THEN only its user sees it and the channel does not', async () => {
		bot.onInteraction(async (interaction) => {
			if (interaction.isChatInputCommand())
				await interaction.reply({ content: 'Only for you', flags: MessageFlags.Ephemeral });
		});
		const interaction = await double.user('bob').runSlash('song', {}, { channel: 'general' });
		const reply = await interaction.reply();

		expect(reply.ephemeral).toBe(true);
		expect(double.user('bob').ephemeralReplies.map((m) => m.content)).toContain('Only for you');
		expect(double.user('alice').ephemeralReplies.map((m) => m.content)).not.toContain('Only for you');
		expect(double.channel('general').messages.map((m) => m.content)).not.toContain('Only for you');
	});

	it('GIVEN reply with withResponse THEN discord.js gets the created message back', async () => {
		let messageId: string | undefined;
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			const response = await interaction.reply({ content: 'with response', withResponse: true });
			messageId = response.resource?.message?.id;
		});
		const reply = await (await double.user('alice').runSlash('song', {})).reply();

		await expect.poll(() => messageId).toBe(reply.id);
	});
});

describe('attachments', () => {
	it('GIVEN an attachment option WHEN the bot downloads it and replies with files THEN both carry the exact bytes', async () => {
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			const reference = interaction.options.getAttachment('reference', true);
			const bytes = Buffer.from(await (await fetch(reference.url)).arrayBuffer());
			await interaction.reply({
				content: `${reference.name}: ${reference.size} bytes`,
				files: [
					new AttachmentBuilder(bytes, { name: 'take-1.mp3' }),
					new AttachmentBuilder(Buffer.from('second take'), { name: 'take-2.mp3' }),
				],
			});
		});
		await double
			.user('alice')
			.runSlash('song', { reference: { name: 'ref.mp3', bytes: 'ID3 reference' } }, { channel: 'songs' });
		const posted = await double.channel('songs').waitForMessage((m) => m.attachments.length === 2);

		expect(posted.content).toBe('ref.mp3: 13 bytes');
		expect(posted.attachments.map((a) => [a.filename, a.contentType, a.bytes.toString()])).toEqual([
			['take-1.mp3', 'audio/mpeg', 'ID3 reference'],
			['take-2.mp3', 'audio/mpeg', 'second take'],
		]);
	});

	it('GIVEN a message with two files WHEN the bot edits keeping only one THEN the other is gone', async () => {
		const channel = bot.client.channels.cache.get(double.channel('songs').id);
		if (!channel?.isSendable()) throw new Error('no #songs');
		const sent = await channel.send({
			files: [
				new AttachmentBuilder(Buffer.from('a'), { name: 'a.mp3' }),
				new AttachmentBuilder(Buffer.from('b'), { name: 'b.mp3' }),
			],
		});
		const keep = sent.attachments.find((a) => a.name === 'b.mp3');
		await sent.edit({ attachments: keep ? [keep] : [] });

		const shown = double.channel('songs').messages.find((m) => m.id === sent.id);
		expect(shown?.attachments.map((a) => a.filename)).toEqual(['b.mp3']);
	});

	it("GIVEN an attachment link THEN it is signed like Discord's CDN links and stops working once it is a day old", async () => {
		let link = '';
		bot.onInteraction(async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			link = interaction.options.getAttachment('reference', true).url;
			await interaction.reply({ content: 'got it' });
		});
		await (await double.user('alice').runSlash('song', { reference: { name: 'old.mp3', bytes: 'ID3 old' } })).reply();
		const url = new URL(link);
		expect([...url.searchParams.keys()]).toEqual(['ex', 'is', 'hm']);
		expect(
			Number.parseInt(url.searchParams.get('ex') ?? '', 16) - Number.parseInt(url.searchParams.get('is') ?? '', 16),
		).toBe(86_400);
		expect(await (await fetch(link)).text()).toBe('ID3 old');

		url.searchParams.set('ex', (Number.parseInt(url.searchParams.get('ex') ?? '', 16) + 3_600).toString(16));
		const tampered = await fetch(url);
		expect([tampered.status, await tampered.text()]).toEqual([404, 'This content is no longer available.']);

		double.ageAttachmentLinks(24 * 3_600_000 + 1_000);
		try {
			const expired = await fetch(link);
			expect([expired.status, await expired.text()]).toEqual([404, 'This content is no longer available.']);
		} finally {
			double.ageAttachmentLinks(-(24 * 3_600_000 + 1_000));
		}
	});
});

describe('modals and components', () => {
	it('GIVEN the bot shows a modal WHEN the user fills it in THEN the bot reads the values', async () => {
		bot.onInteraction(async (interaction) => {
			if (interaction.isChatInputCommand()) {
				const lyrics = new TextInputBuilder()
					.setCustomId('lyrics')
					.setLabel('Lyrics')
					.setStyle(TextInputStyle.Paragraph)
					.setMaxLength(50);
				const style = new TextInputBuilder()
					.setCustomId('style')
					.setLabel('Style')
					.setStyle(TextInputStyle.Short)
					.setValue('rock');
				await interaction.showModal(
					new ModalBuilder()
						.setCustomId('song')
						.setTitle('New song')
						.addComponents(
							new ActionRowBuilder<TextInputBuilder>().addComponents(lyrics),
							new ActionRowBuilder<TextInputBuilder>().addComponents(style),
						),
				);
			} else if (interaction.isModalSubmit()) {
				const { fields } = interaction;
				await interaction.reply(`${fields.getTextInputValue('lyrics')} / ${fields.getTextInputValue('style')}`);
			}
		});
		const modal = await (await double.user('alice').runSlash('song', {})).modal();

		expect(modal.title).toBe('New song');
		expect(modal.fields.map((f) => [f.customId, f.label, f.maxLength, f.value])).toEqual([
			['lyrics', 'Lyrics', 50, null],
			['style', 'Style', null, 'rock'],
		]);
		await expect(modal.submit({ lyrics: 'x'.repeat(51) })).rejects.toThrow('allows 50 characters');
		const submitted = await modal.submit({ lyrics: 'la la la' });
		expect((await submitted.reply()).content).toBe('la la la / rock');
	});

	it('GIVEN takes with Extend buttons WHEN the user clicks the second THEN the bot gets its custom id and updates the message', async () => {
		bot.onInteraction(async (interaction) => {
			if (interaction.isChatInputCommand()) {
				const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
					new ButtonBuilder().setCustomId('extend:1').setLabel('Extend').setStyle(ButtonStyle.Primary),
					new ButtonBuilder().setCustomId('extend:2').setLabel('Extend').setStyle(ButtonStyle.Primary),
				);
				await interaction.reply({ content: 'Two takes', components: [row] });
			} else if (interaction.isButton()) {
				await interaction.update({
					content: `Extending ${interaction.customId} of ${interaction.message.id}`,
					components: [],
				});
			}
		});
		const message = await (await double.user('alice').runSlash('song', {})).reply();
		const click = await double.user('alice').click(message, 'Extend', { nth: 1 });
		const updated = await click.reply();

		expect(updated.id).toBe(message.id);
		expect(updated.content).toBe(`Extending extend:2 of ${message.id}`);
		expect(updated.buttons).toEqual([]);
	});

	it('GIVEN a button that opens a labelled modal WHEN the user submits THEN the bot reads every input and updates the message', async () => {
		let upload = '';
		bot.onInteraction(async (interaction) => {
			if (interaction.isChatInputCommand()) {
				const remix = new ButtonBuilder().setCustomId('remix:7').setLabel('Remix').setStyle(ButtonStyle.Secondary);
				await interaction.reply({
					content: 'Take 7',
					components: [new ActionRowBuilder<ButtonBuilder>().addComponents(remix)],
				});
			} else if (interaction.isButton()) {
				await interaction.showModal(
					new ModalBuilder()
						.setCustomId('remix:7')
						.setTitle('Remix take 7')
						.addLabelComponents(
							new LabelBuilder()
								.setLabel('Style')
								.setTextInputComponent(
									new TextInputBuilder().setCustomId('style').setStyle(TextInputStyle.Short).setValue('pop'),
								),
							new LabelBuilder()
								.setLabel('Mood')
								.setStringSelectMenuComponent(
									new StringSelectMenuBuilder()
										.setCustomId('mood')
										.addOptions({ label: 'Happy', value: 'happy' }, { label: 'Sad', value: 'sad' }),
								),
							new LabelBuilder()
								.setLabel('Sample')
								.setFileUploadComponent(new FileUploadBuilder().setCustomId('sample').setRequired(false)),
						),
				);
			} else if (interaction.isModalSubmit() && interaction.isFromMessage()) {
				const file = interaction.fields.getUploadedFiles('sample')?.first();
				upload = file ? Buffer.from(await (await fetch(file.url)).arrayBuffer()).toString() : '';
				const mood = interaction.fields.getStringSelectValues('mood').join();
				await interaction.update({
					content: `Remixing as ${interaction.fields.getTextInputValue('style')}, ${mood}`,
					components: [],
				});
			}
		});
		const message = await (await double.user('alice').runSlash('song', {})).reply();
		const modal = await (await double.user('alice').click(message, 'Remix')).modal();
		expect(modal.fields.map((f) => [f.customId, f.label, f.value])).toEqual([
			['style', 'Style', 'pop'],
			['mood', 'Mood', null],
			['sample', 'Sample', null],
		]);
		const submitted = await modal.submit({ mood: ['sad'], sample: [{ name: 'hum.ogg', bytes: 'OggS hum' }] });

		expect((await submitted.reply()).content).toBe('Remixing as pop, sad');
		expect(double.channel('general').messages.find((m) => m.id === message.id)?.content).toBe('Remixing as pop, sad');
		expect(upload).toBe('OggS hum');
	});

	it('GIVEN a modal with a radio group, a checkbox group and a checkbox THEN the spec accepts it and the bot reads what was picked', async () => {
		bot.onInteraction(async (interaction) => {
			if (interaction.isChatInputCommand()) {
				await interaction.showModal(
					new ModalBuilder()
						.setCustomId('song:how')
						.setTitle('How?')
						.addLabelComponents(
							new LabelBuilder()
								.setLabel('Voice')
								.setRadioGroupComponent(
									new RadioGroupBuilder()
										.setCustomId('voice')
										.addOptions(
											{ label: 'Any', value: 'any', default: true },
											{ label: 'Female', value: 'f' },
											{ label: 'Male', value: 'm' },
										),
								),
							new LabelBuilder()
								.setLabel('Extras')
								.setCheckboxGroupComponent(
									new CheckboxGroupBuilder()
										.setCustomId('extras')
										.setRequired(false)
										.setMinValues(0)
										.addOptions({ label: 'Intro', value: 'intro' }, { label: 'Outro', value: 'outro' }),
								),
							new LabelBuilder()
								.setLabel('Instrumental')
								.setCheckboxComponent(new CheckboxBuilder().setCustomId('instrumental')),
						),
				);
			} else if (interaction.isModalSubmit()) {
				const f = interaction.fields;
				await interaction.reply(
					`${f.getRadioGroup('voice')} ${f.getCheckboxGroup('extras').join('+')} ${f.getCheckbox('instrumental')}`,
				);
			}
		});
		const open = await double.user('alice').runSlash('song', {});
		const modal = await open.modal();
		expect(modal.fields.map((f) => [f.customId, f.type])).toEqual([
			['voice', 21],
			['extras', 22],
			['instrumental', 23],
		]);
		expect(modal.field('voice').options.find((o) => o.default)?.value).toBe('any');
		await expect(modal.submit({ voice: 'x' })).rejects.toThrow('offers');
		const submitted = await modal.submit({ voice: 'f', extras: ['intro', 'outro'], instrumental: true });
		expect((await submitted.reply()).content).toBe('f intro+outro true');

		// Left as they were: the default pick, nothing ticked.
		const again = await (await (await double.user('alice').runSlash('song', {})).modal()).submit();
		expect((await again.reply()).content).toBe('any  false');
	});

	it('GIVEN a select menu WHEN the user picks a value THEN the bot receives it', async () => {
		bot.onInteraction(async (interaction) => {
			if (interaction.isChatInputCommand()) {
				const menu = new StringSelectMenuBuilder()
					.setCustomId('style')
					.setPlaceholder('Pick a style')
					.addOptions({ label: 'Pop', value: 'pop' }, { label: 'Jazz', value: 'jazz' });
				await interaction.reply({
					content: 'Style?',
					components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
				});
			} else if (interaction.isStringSelectMenu()) {
				await interaction.reply(`picked ${interaction.values.join()}`);
			}
		});
		const message = await (await double.user('bob').runSlash('song', {})).reply();
		const picked = await double.user('bob').select(message, 'Pick a style', ['jazz']);

		expect((await picked.reply()).content).toBe('picked jazz');
	});

	it('GIVEN an autocomplete option WHEN the user types THEN the bot answers choices for the typed text', async () => {
		bot.onInteraction(async (interaction) => {
			if (!interaction.isAutocomplete()) return;
			const typed = interaction.options.getFocused();
			await interaction.respond(
				['sunrise', 'sunset', 'moon'].filter((t) => t.startsWith(typed)).map((t) => ({ name: t, value: t })),
			);
		});

		expect(await double.user('alice').autocomplete('extend', 'take', 'sun')).toEqual([
			{ name: 'sunrise', value: 'sunrise' },
			{ name: 'sunset', value: 'sunset' },
		]);
	});

	it('GIVEN a command the bot never registered THEN the driver refuses like the Discord client would', async () => {
		await expect(double.user('alice').runSlash('nope')).rejects.toThrow('/nope is not registered');
		await expect(double.user('alice').runSlash('extend', {})).rejects.toThrow('"take" is required');
	});
});
