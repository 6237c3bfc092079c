import {
	ApplicationCommandOptionType,
	type ButtonInteraction,
	ChannelType,
	MessageFlags,
	ThreadAutoArchiveDuration,
} from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { addSection, editSection, type Jam, newJam, SECTION_MAX, suggestStyle, undoLast } from '../src/core/jam.ts';
import { readGuildSettings } from '../src/core/settings.ts';
import { checkPlace, checkTexts } from '../src/discord/admin-rules.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { encodeCustomId } from '../src/discord/custom-id.ts';
import {
	changeSheet,
	checkWords,
	jamOf,
	openStylePoll,
	requireJams,
	textOf,
	typeOf,
} from '../src/discord/jam-sheet.ts';
import { fullSong, makeFirstPart, nextPart } from '../src/discord/jam-songs.ts';
import { requirePermissions } from '../src/discord/permissions.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import {
	jamText,
	REFUSALS,
	renderHistory,
	renderSectionForm,
	renderStyleForm,
	threadName,
} from '../src/discord/views/jam.ts';
import { chooseModel } from './song.ts';
import { localeOf, serverLocale, slash } from '../src/discord/i18n.ts';

/** What the bot needs in the channel to open a jam: the starter message, its thread, the sheet in it. */
const OPEN_JAM = {
	ViewChannel: 'View Channel',
	SendMessages: 'Send Messages',
	CreatePublicThreads: 'Create Public Threads',
	SendMessagesInThreads: 'Send Messages in Threads',
	EmbedLinks: 'Embed Links',
	ReadMessageHistory: 'Read Message History',
} as const;

const TITLE_MAX = 80;
const THEME_MAX = 300;
const STYLE_MAX = 120;

/**
 * `/jam`: one song, many writers, in a thread. The command posts a short starter message and opens a thread
 * from it holding the jam's sheet; everything else is a button, menu or form on that sheet, whose custom ids carry
 * the thread id (the jam's key in the store), so they keep working after a restart.
 */
export const jam = {
	name: 'jam',
	data() {
		return {
			...slash('cmd.jam'),
			dm_permission: false,
			options: [
				{
					type: ApplicationCommandOptionType.String,
					...slash('cmd.jam.title'),
					required: true,
					max_length: TITLE_MAX,
				},
				{
					type: ApplicationCommandOptionType.String,
					...slash('cmd.jam.theme'),
					required: true,
					max_length: THEME_MAX,
				},
				{
					type: ApplicationCommandOptionType.String,
					...slash('cmd.jam.style'),
					required: true,
					max_length: STYLE_MAX,
				},
			],
		};
	},

	async execute(interaction, ctx) {
		const jams = requireJams(ctx);
		const channel = interaction.channel;
		if (!interaction.inGuild() || !channel || channel.type !== ChannelType.GuildText)
			throw new UserError('jam.channel', REFUSALS.thread);
		requirePermissions(interaction.appPermissions, OPEN_JAM, `<#${channel.id}>`);
		const title = interaction.options.getString('title', true).trim();
		const theme = interaction.options.getString('theme', true).trim();
		const style = interaction.options.getString('style', true).trim();
		if (!title || !theme || !style) throw new UserError('jam.empty', REFUSALS.empty);
		const settings = await readGuildSettings(ctx.store, interaction.guildId);
		// The admin's channel and role rules, now rather than when the song is made after everyone has written.
		checkPlace(interaction, settings);
		checkTexts(settings, [
			{ field: 'title', text: title },
			{ field: 'lyrics', text: theme },
			{ field: 'style', text: style },
		]);
		const response = await interaction.reply({
			// The starter stays in the channel for everyone: the server's language.
			content: jamText(serverLocale(interaction.guild)).starter(interaction.user.id, title),
			allowedMentions: NO_MENTIONS,
			withResponse: true,
		});
		const starter = response.resource?.message;
		if (!starter) throw new Error('the starter message was not returned');
		// Through the channel's own thread manager: the message of an interaction response belongs to its webhook.
		const thread = await channel.threads.create({
			startMessage: starter.id,
			name: threadName(title).slice(0, 100),
			autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
		});
		await thread.members.add(interaction.user.id);
		const created = newJam({
			guildId: interaction.guildId,
			channelId: channel.id,
			threadId: thread.id,
			title,
			theme,
			style,
			userId: interaction.user.id,
			now: ctx.now(),
		});
		// Saved before the sheet is shown, so its first click finds the jam; a change made before the sheet's id is
		// saved is shown by editing the sheet once it is.
		await jams.create(created);
		const sheet = await thread.send(jams.sheet(created));
		const saved = await jams.update(thread.id, (j) => ({ ok: true, jam: { ...j, sheetMessageId: sheet.id } }));
		if (saved?.ok && saved.jam.history.length > 0) await jams.refresh(saved.jam);
	},

	async button(interaction, ctx, id) {
		const current = await jamOf(ctx, interaction, id.args[0]);
		switch (id.action) {
			case 'add':
				return interaction.showModal(
					renderSectionForm(encodeCustomId('jam', 'added', current.threadId), localeOf(interaction)),
				);
			case 'undo':
				return changeSheet(interaction, ctx, current, (j) => undoLast(j, interaction.user.id, ctx.now()));
			case 'history':
				return interaction.reply({
					content: renderHistory(current, localeOf(interaction)),
					flags: MessageFlags.Ephemeral,
					allowedMentions: NO_MENTIONS,
				});
			case 'suggest':
				return interaction.showModal(
					renderStyleForm(encodeCustomId('jam', 'suggested', current.threadId), STYLE_MAX, localeOf(interaction)),
				);
			case 'poll':
				return openStylePoll(interaction, ctx, current);
			case 'make':
			case 'next':
			case 'full':
				return startJamSong(interaction, ctx, current, id.action);
		}
		return undefined;
	},

	async select(interaction, ctx, id) {
		const current = await jamOf(ctx, interaction, id.args[0]);
		const section = current.sections.find((s) => String(s.id) === interaction.values[0]);
		if (!section) throw new UserError('jam.no-section', REFUSALS['no-section']);
		return interaction.showModal(
			renderSectionForm(encodeCustomId('jam', 'edited', current.threadId, section.id), localeOf(interaction), section),
		);
	},

	async modal(interaction, ctx, id) {
		const current = await jamOf(ctx, interaction, id.args[0]);
		const userId = interaction.user.id;
		if (id.action === 'suggested') {
			const style = textOf(interaction, 'style');
			await checkWords(ctx, current, [{ field: 'style', text: style }]);
			return changeSheet(interaction, ctx, current, (j) => suggestStyle(j, userId, style, ctx.now()));
		}
		const type = typeOf(interaction);
		const text = textOf(interaction, 'text').slice(0, SECTION_MAX);
		await checkWords(ctx, current, [{ field: 'lyrics', text }]);
		const edit = { userId, type, text, now: ctx.now() };
		if (id.action === 'added') return changeSheet(interaction, ctx, current, (j) => addSection(j, edit));
		if (id.action === 'edited') {
			const sectionId = Number(id.args[1]);
			return changeSheet(interaction, ctx, current, (j) => editSection(j, sectionId, edit));
		}
		return undefined;
	},
} satisfies Command<Context>;

/** One song of a jam at a time; the jam is read again once it is this click's turn (a part may have started). */
async function startJamSong(interaction: ButtonInteraction, ctx: Context, current: Jam, action: string) {
	const jams = requireJams(ctx);
	const started = await jams.startingSong(current.threadId, async () => {
		const fresh = (await jams.get(current.threadId)) ?? current;
		if (action === 'full') return fullSong(interaction, ctx, jams, fresh);
		if (action === 'next' || fresh.parts.length > 0) return nextPart(interaction, ctx, jams, fresh);
		return makeFirstPart(interaction, ctx, jams, fresh, chooseModel(ctx, undefined));
	});
	if (started === 'busy') throw new UserError('jam.busy', REFUSALS.busy);
}
