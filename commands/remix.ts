import { UserError } from '../src/core/errors.ts';
import type { SongRequest } from '../src/core/records.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { encodeCustomId } from '../src/discord/custom-id.ts';
import { checkBeforeForm } from '../src/discord/limits.ts';
import { fieldText, remixModal } from '../src/discord/modals.ts';
import { startSong } from '../src/discord/start-song.ts';
import { takeRefFromArgs } from '../src/discord/take-ref.ts';
import { creditsFrom, loadTake, sourceModel } from '../src/discord/take-source.ts';

/**
 * The Remix button on a take: a form pre-filled with the take's lyrics, style and title. Where the provider has a
 * cover operation the take's own audio is re-sung in the new style (the melody stays); elsewhere the edited lyrics
 * and style become a new song. Either way it is recorded as a remix of the take, crediting whoever remixed it.
 * Remixing needs only the take's audio URL or words, so takes of an earlier provider can be remixed too.
 */

export const remix = {
	name: 'remix',

	async button(interaction, ctx, id) {
		if (id.action !== 'open') throw new UserError('button.old', 'This button is from an older version of the bot.');
		const source = await loadTake(ctx, interaction, takeRefFromArgs(id.args));
		await checkBeforeForm(interaction, ctx, 'remix');
		const limits = ctx.provider.limits(sourceModel(ctx, source.task));
		const take = {
			title: source.title,
			...(source.lyrics ? { lyrics: source.lyrics } : {}),
			...(source.style ? { style: source.style } : {}),
		};
		// `make` is as long as `open`: whatever fitted the button fits the form.
		await interaction.showModal(
			remixModal(encodeCustomId('remix', 'make', source.task.id, source.clip.id), limits, take),
		);
	},

	async modal(interaction, ctx, id) {
		if (id.action !== 'make') throw new UserError('button.old', 'This form is from an older version of the bot.');
		const source = await loadTake(ctx, interaction, takeRefFromArgs(id.args));
		const style = fieldText(interaction, 'style');
		const title = fieldText(interaction, 'title');
		const lyrics = fieldText(interaction, 'lyrics');
		if (!style) throw new UserError('input.style', 'Give the remix a style, e.g. “acoustic folk, male vocals”.');
		if (!title) throw new UserError('input.title', 'Give the remix a title.');
		const model = sourceModel(ctx, source.task);
		// Without lyrics the remix is an instrumental rather than a song with no words.
		const fields = { style, title, ...(lyrics ? { lyrics } : { instrumental: true }) };
		const request: SongRequest =
			ctx.provider.capabilities.cover && source.clip.audioUrl
				? { action: 'cover', request: { sourceAudioUrl: source.clip.audioUrl, model, ...fields } }
				: { action: 'generate', request: { mode: 'custom', model, ...fields } };
		await startSong(interaction, ctx, {
			request,
			lineage: { type: 'remix', taskId: source.task.id, clipId: source.clip.id },
			credits: creditsFrom(source.task, 'remixed', interaction.user.id),
			preview: { mode: 'remix', model, title, style, instrumental: !lyrics },
		});
	},
} satisfies Command<Context>;
