import { type ButtonInteraction, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { GenerateRequest } from '../src/core/provider.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { encodeCustomId } from '../src/discord/custom-id.ts';
import { keepTyped, typedForm } from '../src/discord/fix-form.ts';
import { visibleSong } from '../src/discord/library.ts';
import { offerBoost, wantsBoost } from '../src/discord/boost.ts';
import { houseSinger, SINGER_TEXT } from '../src/discord/house-singer.ts';
import { songModal } from '../src/discord/modals.ts';
import { showDetails } from '../src/discord/song-details.ts';
import { takeName } from '../src/core/take-name.ts';
import { askAgain, changeAndRetry, changeSong } from '../src/discord/reroll.ts';
import { chooseModel, fullSongModal, readFullSong } from '../src/discord/song-form.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { POST_SONG, requireHere } from '../src/discord/permissions.ts';
import { checkBeforeForm } from '../src/discord/limits.ts';
import { startSong } from '../src/discord/start-song.ts';
import { takeWords } from '../src/discord/views/card.ts';
import { fileName, inlineTitle } from '../src/discord/views/format.ts';
import { choice, localeOf, slash, t } from '../src/discord/i18n.ts';
import { msg } from '../src/i18n/index.ts';

export { chooseModel };

/** `/song`: pick the mode and options, then a form for the description or the lyrics. */
export const song = {
	name: 'song',
	data(ctx) {
		const caps = ctx.provider.capabilities;
		return {
			...slash('cmd.song'),
			dm_permission: false,
			options: [
				{
					type: 3,
					...slash('cmd.song.mode'),
					choices: [choice('cmd.song.mode.describe', 'describe'), choice('cmd.song.mode.custom', 'custom')],
				},
				{ type: 5, ...slash('cmd.song.instrumental') },
				{
					type: 3,
					...slash('cmd.song.model'),
					// Discord allows 25 choices; released models come first, then the operator's declared ones.
					choices: caps.models.slice(0, 25).map((m) => ({ name: m, value: m })),
				},
				...(caps.boost ? [{ type: 5, ...slash('cmd.song.boost_style') }] : []),
				...(caps.vocalGender
					? [
							{
								type: 3,
								...slash('cmd.song.voice'),
								choices: [
									choice('cmd.song.voice.f', 'f'),
									choice('cmd.song.voice.m', 'm'),
									...(caps.persona ? [choice('cmd.song.voice.h', 'h')] : []),
								],
							},
						]
					: []),
			],
		};
	},

	async execute(interaction, ctx) {
		// Refuse before the form when the song could not be made anyway, so nobody types lyrics for nothing.
		if (interaction.guildId) {
			requireHere(interaction, POST_SONG);
			await checkBeforeForm(interaction, ctx, 'song');
		}
		// No option at all: one form asks for everything (the options stay as shortcuts to the shorter forms).
		if (interaction.options.data.length === 0) {
			await interaction.showModal(fullSongModal(ctx, {}, localeOf(interaction)));
			return;
		}
		const mode = interaction.options.getString('mode') === 'custom' ? 'custom' : 'describe';
		const instrumental = interaction.options.getBoolean('instrumental') ?? false;
		const model = chooseModel(ctx, interaction.options.getString('model'));
		const voice = interaction.options.getString('voice') ?? '-';
		if (voice === 'h') {
			// Refused before the form: the house singer sings lyrics, and the server must have one.
			if (mode !== 'custom') throw new UserError('studio.singer-lyrics', SINGER_TEXT.lyricsOnly);
			await houseSinger(ctx, interaction.guildId);
		}
		const boost = interaction.options.getBoolean('boost_style') ? ['b'] : [];
		const id = encodeCustomId('song', 'submit', mode, model, instrumental ? 1 : 0, voice, ...boost);
		await interaction.showModal(
			songModal(id, mode, ctx.provider.limits(model), {
				instrumental,
				negativeStyle: ctx.provider.capabilities.negativeStyle,
				locale: localeOf(interaction),
			}),
		);
	},

	async modal(interaction, ctx, id) {
		if (id.action === 'full')
			return keepTyped(interaction, ctx, () => startSong(interaction, ctx, readFullSong(interaction, ctx)));
		if (id.action !== 'submit') throw new UserError('button.old', msg('form.older_form'));
		return keepTyped(interaction, ctx, () => submitSong(interaction, ctx, id.args));
	},
	/** The Lyrics button on a take (the full lyrics, only for the person who asked), Post again on the tracker, and
	 * Try again on a failed song. */
	async button(interaction, ctx, id) {
		if (id.action === 'repost') return repost(interaction, ctx, id.args);
		if (id.action === 'fix') return fixSong(interaction, ctx, id.args[0]);
		if (id.action === 'reroll' || id.action === 'rerun') return askAgain(interaction, ctx, id.action, id.args[0]);
		if (id.action === 'retry' && (await changeAndRetry(interaction, ctx, id.args[0]))) return;
		if (id.action === 'details') return showDetails(interaction, ctx, id.args);
		if (id.action === 'retry' || id.action === 'again') return changeSong(interaction, ctx, id.action, id.args[0]);
		if (id.action !== 'lyrics') throw new UserError('button.old', msg('form.older_button'));
		const [taskId, clipId] = id.args;
		const task = await visibleSong(ctx, interaction, taskId);
		const clip = task?.clips.find((c) => c.id === clipId);
		const lyrics = clip?.lyrics ?? (task?.request.action === 'generate' ? task.request.request.lyrics : undefined);
		if (!task || !lyrics) throw new UserError('song.gone', msg('form.lyrics_gone'));
		const locale = localeOf(interaction);
		// The reply is the clicker's alone: their language. The file's name stays English, as take files' do.
		const title = clip ? takeName(task, clip, undefined, takeWords(locale)) : t(locale, 'form.lyrics');
		const file = clip ? takeName(task, clip) : title;
		if (lyrics.length <= 4000)
			return interaction.reply({
				embeds: [{ title: `📜 ${inlineTitle(title, 240)}`, description: lyrics }],
				flags: MessageFlags.Ephemeral,
				allowedMentions: NO_MENTIONS,
			});
		return interaction.reply({
			content: t(locale, 'form.lyrics_as_file', { title: inlineTitle(title) }),
			files: [{ attachment: Buffer.from(lyrics, 'utf8'), name: fileName(file, '(lyrics)', 'txt') }],
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
} satisfies Command<Context>;

/** The /song form's submit (the slash options ride in its custom id). */
async function submitSong(interaction: ModalSubmitInteraction, ctx: Context, args: readonly string[]) {
	const [mode, modelArg, instrumentalArg, voice, boost] = args;
	const model = chooseModel(ctx, modelArg);
	const instrumental = instrumentalArg === '1';
	const field = (name: string) => {
		try {
			return interaction.fields.getTextInputValue(name).trim() || undefined;
		} catch {
			return undefined;
		}
	};
	const singer = voice === 'h' && mode === 'custom' ? await houseSinger(ctx, interaction.guildId) : undefined;
	const common = {
		model,
		instrumental,
		...(voice === 'f' || voice === 'm' ? { vocalGender: voice as 'f' | 'm' } : {}),
		...(singer ? { personaId: singer.id } : {}),
		...(field('style') ? { style: field('style') as string } : {}),
		...(field('title') ? { title: field('title') as string } : {}),
	};
	let request: GenerateRequest;
	if (mode === 'custom') {
		const lyrics = field('lyrics');
		if (!instrumental && !lyrics) throw new UserError('input.lyrics', msg('form.need_lyrics'));
		request = {
			mode: 'custom',
			...common,
			...(lyrics ? { lyrics } : {}),
			...(field('avoid') ? { negativeStyle: field('avoid') as string } : {}),
		};
	} else {
		const description = field('description');
		if (!description) throw new UserError('input.description', msg('form.need_description'));
		request = { mode: 'describe', description, ...common };
	}
	// ✨ Boost style: the person sees the expanded style and chooses before anything is generated.
	if (wantsBoost(ctx, boost)) return offerBoost(interaction, ctx, request, args.slice(0, 4));
	await startSong(interaction, ctx, {
		request: { action: 'generate', request },
		preview: {
			mode: mode === 'custom' ? 'custom' : 'describe',
			model,
			instrumental,
			...(common.title ? { title: common.title } : {}),
			...(common.style ? { style: common.style } : {}),
		},
	});
}

/** "Fix and try again" on a /song form refused before it was sent: the same form, with what was typed. */
async function fixSong(interaction: ButtonInteraction, ctx: Context, key: string | undefined) {
	const { id, values } = await typedForm(ctx, interaction, key);
	const [mode, modelArg, instrumentalArg] = id.args;
	if (interaction.guildId) {
		requireHere(interaction, POST_SONG);
		await checkBeforeForm(interaction, ctx, 'song');
	}
	if (id.action === 'full') return interaction.showModal(fullSongModal(ctx, values, localeOf(interaction)));
	const model = chooseModel(ctx, modelArg);
	const options = { instrumental: instrumentalArg === '1', negativeStyle: ctx.provider.capabilities.negativeStyle };
	const formId = encodeCustomId('song', 'submit', ...id.args);
	const kind = mode === 'custom' ? 'custom' : 'describe';
	await interaction.showModal(
		songModal(formId, kind, ctx.provider.limits(model), {
			...options,
			prefill: values,
			locale: localeOf(interaction),
		}),
	);
}

/** "Post take 2 again" on a tracker whose take could not be posted: anyone may press it, it never posts twice. */
async function repost(interaction: ButtonInteraction, ctx: Context, args: readonly string[]): Promise<void> {
	const [taskId, clipId] = args;
	const task = taskId ? await ctx.tracker.get(taskId) : undefined;
	const clip = task?.place.guildId === interaction.guildId ? task?.clips.find((c) => c.id === clipId) : undefined;
	if (!task || !clip) throw new UserError('song.gone', msg('form.song_gone'));
	const result = await ctx.tracker.redeliver(task.id, clip.id);
	if (result === 'unknown') throw new UserError('song.gone', msg('form.song_gone'));
	if (result === 'busy') throw new UserError('song.busy', msg('form.song_busy'));
	const locale = localeOf(interaction);
	const content =
		result === 'retrying'
			? t(locale, 'form.repost_retrying', { take: clip.take })
			: t(locale, 'form.repost_done', { take: clip.take });
	await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
