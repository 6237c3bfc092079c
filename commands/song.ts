import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { acceptedModels, type GenerateRequest, type ModelId, resolveModel } from '../src/core/provider.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { encodeCustomId } from '../src/discord/custom-id.ts';
import { visibleSong } from '../src/discord/library.ts';
import { BOOST_TEXT, offerBoost, wantsBoost } from '../src/discord/boost.ts';
import { houseSinger, SINGER_TEXT } from '../src/discord/house-singer.ts';
import { songModal } from '../src/discord/modals.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { POST_SONG, requirePermissions } from '../src/discord/permissions.ts';
import { checkBeforeForm } from '../src/discord/limits.ts';
import { type RefusedSubmit, refusedKey, startSong } from '../src/discord/start-song.ts';
import { fileName, inlineTitle } from '../src/discord/views/format.ts';

/**
 * The model a request uses: the one picked, else SUNO_MODEL, else the provider's default. Any spelling the
 * provider's docs use works (v5, chirp-crow, V5); an unknown one is refused before anything is sent.
 */
export function chooseModel(ctx: Context, picked: string | null | undefined): ModelId {
	const caps = ctx.provider.capabilities;
	const wanted = picked ?? ctx.config.SUNO_MODEL ?? caps.defaultModel;
	const model = resolveModel(caps, wanted);
	if (model === undefined)
		throw new UserError(
			'input.model',
			`The model “${wanted}” is not offered by this provider. It accepts: ${acceptedModels(caps)}.`,
		);
	return model;
}

/**
 * "Try again with changes" on a song the provider refused or could not make: the same form, filled in as it
 * was sent, so the person changes what the refusal named (copyrighted lyrics, a filtered word) and sends it again.
 */
async function retry(interaction: ButtonInteraction, ctx: Context, action: string, key: string | undefined) {
	const r = await refusedRequest(ctx, interaction.guildId, action, key);
	if (!r) throw new UserError('song.gone', 'I do not know this song any more. Use /song to start again.');
	if (interaction.guildId) {
		requirePermissions(interaction.appPermissions, POST_SONG, `<#${interaction.channelId}>`);
		await checkBeforeForm(interaction, ctx, 'song');
	}
	const model = resolveModel(ctx.provider.capabilities, r.model) ?? chooseModel(ctx, undefined);
	const instrumental = r.instrumental === true;
	const id = encodeCustomId('song', 'submit', r.mode, model, instrumental ? 1 : 0, r.vocalGender ?? '-');
	const prefill = {
		...(r.mode === 'describe' ? { description: r.description } : {}),
		...(r.lyrics ? { lyrics: r.lyrics } : {}),
		...(r.style ? { style: r.style } : {}),
		...(r.title ? { title: r.title } : {}),
		...(r.negativeStyle ? { avoid: r.negativeStyle } : {}),
	};
	await interaction.showModal(
		songModal(id, r.mode, ctx.provider.limits(model), {
			instrumental,
			negativeStyle: ctx.provider.capabilities.negativeStyle,
			prefill,
		}),
	);
}

/** The request of a failed task (`retry`), or of a submit the provider refused before any task (`again`). */
async function refusedRequest(
	ctx: Context,
	guildId: string | null,
	action: string,
	key: string | undefined,
): Promise<GenerateRequest | undefined> {
	if (!key) return undefined;
	if (action === 'again') {
		const saved = await ctx.store.getValue<RefusedSubmit>(refusedKey(key));
		return saved && saved.guildId === guildId ? saved.request : undefined;
	}
	const task = await ctx.tracker.get(key);
	if (!task || task.request.action !== 'generate' || task.place.guildId !== guildId) return undefined;
	return task.request.request;
}

/** `/song`: pick the mode and options, then a form for the description or the lyrics. */
export const song = {
	name: 'song',
	data(ctx) {
		const caps = ctx.provider.capabilities;
		return {
			name: 'song',
			description: 'Make a song with AI: describe it or write the lyrics',
			dm_permission: false,
			options: [
				{
					type: 3,
					name: 'mode',
					description: 'Describe the song, or write its lyrics yourself',
					choices: [
						{ name: 'describe it', value: 'describe' },
						{ name: 'write lyrics', value: 'custom' },
					],
				},
				{ type: 5, name: 'instrumental', description: 'No vocals' },
				{
					type: 3,
					name: 'model',
					description: 'Music model (default: the server’s)',
					// Discord allows 25 choices; released models come first, then the operator's declared ones.
					choices: caps.models.slice(0, 25).map((m) => ({ name: m, value: m })),
				},
				...(caps.boost ? [{ type: 5, name: 'boost_style', description: BOOST_TEXT.option }] : []),
				...(caps.vocalGender
					? [
							{
								type: 3,
								name: 'voice',
								description: 'Preferred singing voice',
								choices: [
									{ name: 'female', value: 'f' },
									{ name: 'male', value: 'm' },
									...(caps.persona ? [{ name: SINGER_TEXT.voiceChoice, value: 'h' }] : []),
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
			requirePermissions(interaction.appPermissions, POST_SONG, `<#${interaction.channelId}>`);
			await checkBeforeForm(interaction, ctx, 'song');
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
			}),
		);
	},

	async modal(interaction, ctx, id) {
		if (id.action !== 'submit') throw new UserError('button.old', OLDER_FORM);
		const [mode, modelArg, instrumentalArg, voice, boost] = id.args;
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
			if (!instrumental && !lyrics) throw new UserError('input.lyrics', 'Write some lyrics, or tick instrumental.');
			request = {
				mode: 'custom',
				...common,
				...(lyrics ? { lyrics } : {}),
				...(field('avoid') ? { negativeStyle: field('avoid') as string } : {}),
			};
		} else {
			const description = field('description');
			if (!description) throw new UserError('input.description', 'Describe the song you want.');
			request = { mode: 'describe', description, ...common };
		}
		// ✨ Boost style: the person sees the expanded style and chooses before anything is generated.
		if (wantsBoost(ctx, boost)) return offerBoost(interaction, ctx, request, id.args.slice(0, 4));
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
	},

	/** The Lyrics button on a take (the full lyrics, only for the person who asked), Post again on the tracker, and
	 * Try again on a failed song. */
	async button(interaction, ctx, id) {
		if (id.action === 'repost') return repost(interaction, ctx, id.args);
		if (id.action === 'retry' || id.action === 'again') return retry(interaction, ctx, id.action, id.args[0]);
		if (id.action !== 'lyrics') throw new UserError('button.old', OLDER_BUTTON);
		const [taskId, clipId] = id.args;
		const task = await visibleSong(ctx, interaction, taskId);
		const clip = task?.clips.find((c) => c.id === clipId);
		const lyrics = clip?.lyrics ?? (task?.request.action === 'generate' ? task.request.request.lyrics : undefined);
		if (!task || !lyrics) throw new UserError('song.gone', 'The lyrics of this take are no longer available.');
		const title = clip?.title ?? 'Lyrics';
		if (lyrics.length <= 4000)
			return interaction.reply({
				embeds: [{ title: `📜 ${inlineTitle(title, 240)}`, description: lyrics }],
				flags: MessageFlags.Ephemeral,
				allowedMentions: NO_MENTIONS,
			});
		return interaction.reply({
			content: `📜 **${inlineTitle(title)}**: the lyrics are long, here they are as a file.`,
			files: [{ attachment: Buffer.from(lyrics, 'utf8'), name: fileName(title, '(lyrics)', 'txt') }],
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
} satisfies Command<Context>;

const OLDER_BUTTON = 'This button is from an older version of the bot: run /song again.';
const OLDER_FORM = 'This form is from an older version of the bot: run /song again.';

/** "Post take 2 again" on a tracker whose take could not be posted: anyone may press it, it never posts twice. */
async function repost(interaction: ButtonInteraction, ctx: Context, args: readonly string[]): Promise<void> {
	const [taskId, clipId] = args;
	const task = taskId ? await ctx.tracker.get(taskId) : undefined;
	const clip = task?.place.guildId === interaction.guildId ? task?.clips.find((c) => c.id === clipId) : undefined;
	if (!task || !clip) throw new UserError('song.gone', 'This song is gone: old songs are removed after a while.');
	const result = await ctx.tracker.redeliver(task.id, clip.id);
	if (result === 'unknown') throw new UserError('song.gone', 'This song is gone: old songs are removed after a while.');
	if (result === 'busy')
		throw new UserError('song.busy', 'The bot is busy with this song right now. Try again in a minute.');
	const content =
		result === 'retrying'
			? `🔁 Posting take ${clip.take} again: the song’s message shows how it went.`
			: `Take ${clip.take} is already posted, or on its way.`;
	await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
