import type { ButtonInteraction, ModalSubmitInteraction } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { ClipRecord, SongRequest, TaskRecord } from '../src/core/records.ts';
import { takeAttachment } from '../src/discord/card.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { encodeCustomId } from '../src/discord/custom-id.ts';
import { keepTyped, kept, typedForm } from '../src/discord/fix-form.ts';
import { checkBeforeForm } from '../src/discord/limits.ts';
import { fieldText, remixModal } from '../src/discord/modals.ts';
import { startSong } from '../src/discord/start-song.ts';
import { takeRefFromArgs } from '../src/discord/take-ref.ts';
import { creditsFrom, loadTake, sourceModel } from '../src/discord/take-source.ts';
import { msg } from '../src/i18n/index.ts';
import { localeOf } from '../src/discord/i18n.ts';

/**
 * The Remix button on a take: a form pre-filled with the take's lyrics, style and title. Where the provider has a
 * cover operation the take's own audio is re-sung in the new style (the melody stays); elsewhere the edited lyrics
 * and style become a new song. Either way it is recorded as a remix of the take, crediting whoever remixed it.
 * Remixing needs only the take's audio URL or words, so takes of an earlier provider can be remixed too.
 */

export const remix = {
	name: 'remix',

	async button(interaction, ctx, id) {
		if (id.action === 'fix') {
			const typed = await typedForm(ctx, interaction, id.args[0]);
			return openForm(interaction, ctx, typed.id.args, typed.values);
		}
		if (id.action !== 'open') throw new UserError('button.old', msg('error.old_button'));
		return openForm(interaction, ctx, id.args);
	},

	async modal(interaction, ctx, id) {
		if (id.action !== 'make') throw new UserError('button.old', msg('error.old_form'));
		return keepTyped(interaction, ctx, () => makeRemix(interaction, ctx, id.args));
	},
} satisfies Command<Context>;

/** The remix form, on the take's words or on what was typed in a refused one ("Fix and try again"). */
async function openForm(
	interaction: ButtonInteraction,
	ctx: Context,
	args: readonly string[],
	typed: Record<string, string> = {},
) {
	const source = await loadTake(ctx, interaction, takeRefFromArgs(args));
	await checkBeforeForm(interaction, ctx, 'remix');
	const limits = ctx.provider.limits(sourceModel(ctx, source.task));
	const style = kept(typed, 'style') ?? source.style;
	const lyrics = typed.lyrics !== undefined ? kept(typed, 'lyrics') : source.lyrics;
	const take = {
		title: kept(typed, 'title') ?? source.title,
		...(lyrics ? { lyrics } : {}),
		...(style ? { style } : {}),
	};
	// `make` is as long as `open`: whatever fitted the button fits the form.
	await interaction.showModal(
		remixModal(encodeCustomId('remix', 'make', source.task.id, source.clip.id), limits, take, localeOf(interaction)),
	);
}

async function makeRemix(interaction: ModalSubmitInteraction, ctx: Context, args: readonly string[]) {
	const source = await loadTake(ctx, interaction, takeRefFromArgs(args));
	const style = fieldText(interaction, 'style');
	const title = fieldText(interaction, 'title');
	const lyrics = fieldText(interaction, 'lyrics');
	if (!style) throw new UserError('input.style', msg('error.input.remix_style'));
	if (!title) throw new UserError('input.title', msg('error.input.remix_title'));
	const model = sourceModel(ctx, source.task);
	// Without lyrics the remix is an instrumental rather than a song with no words.
	const fields = { style, title, ...(lyrics ? { lyrics } : { instrumental: true }) };
	const audioUrl = ctx.provider.capabilities.cover ? await coverSource(interaction, ctx, source) : undefined;
	const request: SongRequest = audioUrl
		? { action: 'cover', request: { sourceAudioUrl: audioUrl, model, ...fields } }
		: { action: 'generate', request: { mode: 'custom', model, ...fields } };
	await startSong(interaction, ctx, {
		request,
		lineage: { type: 'remix', taskId: source.task.id, clipId: source.clip.id },
		credits: creditsFrom(source.task, 'remixed', interaction.user.id),
		preview: { mode: 'remix', model, title, style, instrumental: !lyrics },
	});
}

/** Providers delete their files after about 15 days (kie.ai: 14); from then on the bot's own copy is the source. */
const PROVIDER_FILE_DAYS = 14;

/**
 * The URL the provider downloads the take from to cover it: its own while it keeps the file, then the audio
 * the bot attached to the take's message (a fresh signed link, fetched now). Undefined: no audio to cover.
 */
async function coverSource(
	interaction: ModalSubmitInteraction,
	ctx: Context,
	source: { task: TaskRecord; clip: ClipRecord },
): Promise<string | undefined> {
	const { task, clip } = source;
	const finished = task.finishedAt ?? task.createdAt;
	const posted = clip.delivery?.status === 'delivered' ? clip.delivery.messageId : undefined;
	if (ctx.now() - finished < PROVIDER_FILE_DAYS * 86_400_000 || !posted) return clip.audioUrl;
	const channel = await interaction.client.channels.fetch(task.place.channelId).catch(() => null);
	const message =
		channel && 'messages' in channel ? await channel.messages.fetch(posted).catch(() => undefined) : undefined;
	// On the song card the take's file is the one named after it.
	const attachment = message ? takeAttachment(message, task, clip) : undefined;
	return attachment?.url ?? clip.audioUrl;
}
