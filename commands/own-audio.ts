import type { Attachment } from 'discord.js';
import { probeDurationSec } from '../src/audio/ffmpeg.ts';
import { UserError } from '../src/core/errors.ts';
import { resolveModel } from '../src/core/provider.ts';
import type { SongRequest } from '../src/core/records.ts';
import { hasTool, OWN_AUDIO_MAX_SEC } from '../src/core/studio.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { checkBeforeForm } from '../src/discord/limits.ts';
import { startSong } from '../src/discord/start-song.ts';
import { clock } from '../src/discord/views/format.ts';
import { choice, slash } from '../src/discord/i18n.ts';
import { type MessageKey, msg } from '../src/i18n/index.ts';

/**
 * `/own-audio` (issue 17): a member's own recording made into a song: covered in another style (upload-cover), with
 * vocals sung over an instrumental (add-vocals) or an instrumental under vocals (add-instrumental). Only the
 * choices the provider has are offered; a file longer than the provider takes (8 minutes) is refused before it is
 * sent. Continuing a file is /extend's.
 */

type What = 'cover' | 'add_vocals' | 'add_instrumental';

function offered(ctx: Context): What[] {
	const caps = ctx.provider.capabilities;
	return [
		...(caps.cover ? (['cover'] as const) : []),
		...(hasTool(caps, 'addVocals') ? (['add_vocals'] as const) : []),
		...(hasTool(caps, 'addInstrumental') ? (['add_instrumental'] as const) : []),
	];
}

const LABEL = {
	cover: 'cmd.own-audio.what.cover',
	add_vocals: 'cmd.own-audio.what.add_vocals',
	add_instrumental: 'cmd.own-audio.what.add_instrumental',
} as const satisfies Record<What, MessageKey>;

export const ownAudio = {
	name: 'own-audio',
	data(ctx) {
		// Offered only with something to offer (family B; a family-A reseller's covers).
		if (offered(ctx).length === 0) return undefined;
		return {
			...slash('cmd.own-audio'),
			dm_permission: false,
			options: [
				{ type: 11, ...slash('cmd.own-audio.file'), required: true },
				{
					type: 3,
					...slash('cmd.own-audio.what'),
					required: true,
					choices: offered(ctx).map((value) => choice(LABEL[value], value)),
				},
				{ type: 3, ...slash('cmd.own-audio.style'), required: true, max_length: 1000 },
				{ type: 3, ...slash('cmd.own-audio.title'), required: true, max_length: 100 },
				{ type: 3, ...slash('cmd.own-audio.lyrics'), max_length: 5000 },
			],
		};
	},

	async execute(interaction, ctx) {
		const what = interaction.options.getString('what', true) as What;
		if (!offered(ctx).includes(what)) throw new UserError('studio.unavailable', msg('provider.unsupported'));
		const file = interaction.options.getAttachment('file', true);
		const style = interaction.options.getString('style', true).trim();
		const title = interaction.options.getString('title', true).trim();
		const lyrics = interaction.options.getString('lyrics')?.trim() || undefined;
		if (what === 'add_vocals' && !lyrics) throw new UserError('input.lyrics', msg('studio.own_lyrics_needed'));
		await checkBeforeForm(interaction, ctx, what === 'cover' ? 'remix' : 'own_audio');
		await refuseTooLong(interaction.id, file, ctx);
		const model = modelFor(ctx);
		const request: SongRequest =
			what === 'cover'
				? {
						action: 'cover',
						request: {
							sourceAudioUrl: file.url,
							model,
							style,
							title,
							...(lyrics ? { lyrics } : { instrumental: true }),
						},
					}
				: {
						action: 'tool',
						tool: {
							tool: what === 'add_vocals' ? 'addVocals' : 'addInstrumental',
							request: { sourceAudioUrl: file.url, title, style, model, ...(lyrics ? { lyrics } : {}) },
						},
					};
		await startSong(interaction, ctx, { request, preview: { mode: 'remix', model, title, style } });
	},
} satisfies Command<Context>;

/** add-vocals and add-instrumental take V4_5PLUS or V5 (§4.3): the server's model when it is one, else v4.5+. */
function modelFor(ctx: Context): string {
	const caps = ctx.provider.capabilities;
	const configured = ctx.config.SUNO_MODEL ? resolveModel(caps, ctx.config.SUNO_MODEL) : undefined;
	const wanted = configured ?? caps.defaultModel;
	return wanted === 'v5' || wanted === 'v4.5+' || !caps.models.includes('v4.5+') ? wanted : 'v4.5+';
}

/**
 * The provider refuses files over 8 minutes only after it fetched them: the bot reads the length first (the file
 * goes through the audio cache, with its guard and size limit) and refuses a longer one before anything is sent.
 */
async function refuseTooLong(interactionId: string, file: Attachment, ctx: Context): Promise<void> {
	let seconds: number;
	try {
		const local = await ctx.audio.ensure(`own-audio-${interactionId}`, 'file', file.url, AbortSignal.timeout(30_000));
		seconds = await probeDurationSec(local.path);
	} catch (error) {
		throw new UserError('upload.not-audio', msg('studio.own_not_audio'), { cause: error });
	}
	if (seconds > OWN_AUDIO_MAX_SEC)
		throw new UserError(
			'upload.too-long',
			msg('studio.own_too_long', { length: clock(seconds), max: clock(OWN_AUDIO_MAX_SEC) }),
		);
}
