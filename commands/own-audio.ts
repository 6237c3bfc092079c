import type { Attachment, ButtonInteraction } from 'discord.js';
import { probeDurationSec } from '../src/audio/ffmpeg.ts';
import { UserError } from '../src/core/errors.ts';
import { OWN_AUDIO_MAX_SEC } from '../src/core/studio.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { keepTyped, typedForm } from '../src/discord/fix-form.ts';
import { checkBeforeForm } from '../src/discord/limits.ts';
import { costOf, offered, type OwnAudioWhat, ownAudioModal, readOwnAudio } from '../src/discord/own-audio-form.ts';
import { POST_SONG, requireHere } from '../src/discord/permissions.ts';
import { startSong } from '../src/discord/start-song.ts';
import { clock } from '../src/discord/views/format.ts';
import { choice, localeOf, slash } from '../src/discord/i18n.ts';
import { type MessageKey, msg } from '../src/i18n/index.ts';

/**
 * `/own-audio` (issue 17): a member's own recording made into a song: covered in another style (upload-cover), with
 * vocals sung over an instrumental (add-vocals) or an instrumental under vocals (add-instrumental). Only the
 * choices the provider has are offered; the file, style, title and lyrics are asked in a form (src/discord/
 * own-audio-form.ts); a file longer than the provider takes (8 minutes) is refused before it is sent. Continuing a
 * file is /extend's.
 */

const LABEL = {
	cover: 'cmd.own-audio.what.cover',
	add_vocals: 'cmd.own-audio.what.add_vocals',
	add_instrumental: 'cmd.own-audio.what.add_instrumental',
} as const satisfies Record<OwnAudioWhat, MessageKey>;

export const ownAudio = {
	name: 'own-audio',
	data(ctx) {
		// Offered only with something to offer (family B; a family-A reseller's covers).
		if (offered(ctx).length === 0) return undefined;
		return {
			...slash('cmd.own-audio'),
			dm_permission: false,
			options: [
				{
					type: 3,
					...slash('cmd.own-audio.what'),
					required: true,
					choices: offered(ctx).map((value) => choice(LABEL[value], value)),
				},
			],
		};
	},

	async execute(interaction, ctx) {
		const what = offeredWhat(ctx, interaction.options.getString('what', true));
		// Refused before the form when the song could not be made anyway, so nobody picks a file for nothing.
		requireHere(interaction, POST_SONG);
		await checkBeforeForm(interaction, ctx, costOf(what));
		await interaction.showModal(ownAudioModal(ctx, what, { locale: localeOf(interaction) }));
	},

	async modal(interaction, ctx, id) {
		if (id.action !== 'submit') throw new UserError('button.old', msg('form.older_form'));
		const what = offeredWhat(ctx, id.args[0]);
		return keepTyped(interaction, ctx, async () => {
			const { file, start } = readOwnAudio(interaction, ctx, what);
			await refuseTooLong(interaction.id, file, ctx);
			await startSong(interaction, ctx, start);
		});
	},

	/** "Fix and try again" on a refused form: the same form with what was typed (the file is picked again). */
	async button(interaction, ctx, id) {
		if (id.action !== 'fix') throw new UserError('button.old', msg('form.older_button'));
		return reopen(interaction, ctx, id.args[0]);
	},
} satisfies Command<Context>;

async function reopen(interaction: ButtonInteraction, ctx: Context, key: string | undefined): Promise<void> {
	const { id, values } = await typedForm(ctx, interaction, key);
	const what = offeredWhat(ctx, id.args[0]);
	requireHere(interaction, POST_SONG);
	await checkBeforeForm(interaction, ctx, costOf(what));
	await interaction.showModal(ownAudioModal(ctx, what, { typed: values, again: true, locale: localeOf(interaction) }));
}

/** The way asked for, when the provider (still) has it. */
function offeredWhat(ctx: Context, what: string | undefined): OwnAudioWhat {
	const ways: string[] = offered(ctx);
	if (what === undefined || !ways.includes(what))
		throw new UserError('studio.unavailable', msg('provider.unsupported'));
	return what as OwnAudioWhat;
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
