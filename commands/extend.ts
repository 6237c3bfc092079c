import type { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { encodeCustomId, type ParsedCustomId } from '../src/discord/custom-id.ts';
import { extendFields, resolveContinueAt } from '../src/discord/extend-input.ts';
import { extendUpload, openUploadForm, prefillOf, requireExtend, upload } from '../src/discord/extend-upload.ts';
import { keepTyped, typedForm } from '../src/discord/fix-form.ts';
import { visibleSongs } from '../src/discord/library.ts';
import { checkBeforeForm } from '../src/discord/limits.ts';
import { extendModal, fieldText } from '../src/discord/modals.ts';
import { type SongInteraction, startSong } from '../src/discord/start-song.ts';
import { parseTakeRef, takeChoices, takeRefFromArgs } from '../src/discord/take-ref.ts';
import {
	creditsFrom,
	loadTake,
	requireSameProvider,
	type SourceTake,
	sourceModel,
} from '../src/discord/take-source.ts';
import { localeOf, slash } from '../src/discord/i18n.ts';
import { msg } from '../src/i18n/index.ts';

/**
 * `/extend` and the Extend / Full song buttons on takes. A take is named by `<taskId>:<clipId>` in every custom id
 * (the modal's action, `make`, is as long as the button's `open`, so whatever fits the button fits the modal).
 * An attached audio file is uploaded first (src/discord/extend-upload.ts), then continued through the same form.
 */

async function openTakeForm(
	interaction: ChatInputCommandInteraction | ButtonInteraction,
	ctx: Context,
	source: SourceTake,
	typed: Record<string, string> = {},
) {
	requireSameProvider(ctx, source);
	await checkBeforeForm(interaction, ctx, 'extend');
	const limits = ctx.provider.limits(sourceModel(ctx, source.task));
	const take = {
		title: source.title,
		...(source.clip.durationSec !== undefined ? { durationSec: source.clip.durationSec } : {}),
		...(source.style ? { style: source.style } : {}),
	};
	await interaction.showModal(
		extendModal(
			encodeCustomId('extend', 'make', source.task.id, source.clip.id),
			limits,
			take,
			prefillOf(typed),
			localeOf(interaction),
		),
	);
}
async function extendTake(interaction: ModalSubmitInteraction, ctx: Context, id: ParsedCustomId) {
	requireExtend(ctx);
	const source = await loadTake(ctx, interaction, takeRefFromArgs(id.args));
	requireSameProvider(ctx, source);
	const continueAtSec = resolveContinueAt(fieldText(interaction, 'at'), source.clip.durationSec);
	const fields = extendFields(
		{ lyrics: fieldText(interaction, 'lyrics'), style: fieldText(interaction, 'style') },
		source,
	);
	const model = sourceModel(ctx, source.task);
	const style = fields.style ?? source.style;
	await startSong(interaction, ctx, {
		request: {
			action: 'extend',
			request: {
				source: { taskId: source.task.id, clipId: source.clip.id },
				model,
				...(continueAtSec !== undefined ? { continueAtSec } : {}),
				...fields,
			},
		},
		credits: creditsFrom(source.task, 'extended', interaction.user.id),
		preview: { mode: 'extend', model, title: source.title, ...(style ? { style } : {}) },
	});
}

async function fullSong(interaction: SongInteraction, ctx: Context, id: ParsedCustomId) {
	if (!ctx.provider.capabilities.concat) throw new UserError('provider.concat', msg('error.provider.concat'));
	const source = await loadTake(ctx, interaction, takeRefFromArgs(id.args));
	requireSameProvider(ctx, source);
	if (source.task.lineage?.type !== 'extend')
		throw new UserError('full.not-extension', msg('error.full.not_extension'));
	await startSong(interaction, ctx, {
		request: { action: 'concat', source: { taskId: source.task.id, clipId: source.clip.id } },
		credits: creditsFrom(source.task),
		preview: { mode: 'full', model: '', title: source.title },
	});
}
/** "Fix and try again" on a refused extend form: the same form (a take's or an upload's), with what was typed. */
async function fixForm(interaction: ButtonInteraction, ctx: Context, key: string | undefined) {
	const typed = await typedForm(ctx, interaction, key);
	if (typed.id.action === 'upload-make') return openUploadForm(interaction, ctx, typed.id, typed.values);
	const source = await loadTake(ctx, interaction, takeRefFromArgs(typed.id.args));
	return openTakeForm(interaction, ctx, source, typed.values);
}
export const extend = {
	name: 'extend',
	data(ctx) {
		return {
			...slash('cmd.extend'),
			dm_permission: false,
			options: [
				{
					type: 3,
					...slash('cmd.extend.take'),
					autocomplete: true,
				},
				...(ctx.provider.capabilities.upload ? [{ type: 11, ...slash('cmd.extend.audio') }] : []),
			],
		};
	},

	async autocomplete(interaction, ctx) {
		const guildId = interaction.guildId;
		if (!guildId) return interaction.respond([]);
		const typed = interaction.options.getFocused().trim();
		const { records: songs } = await visibleSongs(ctx, interaction, { limit: 25, ...(typed ? { search: typed } : {}) });
		// Only takes of the provider in use can be continued.
		return interaction.respond(
			takeChoices(
				songs.filter((s) => s.family === ctx.provider.family),
				localeOf(interaction),
			),
		);
	},

	async execute(interaction, ctx) {
		requireExtend(ctx);
		const typed = interaction.options.getString('take');
		const file = interaction.options.getAttachment('audio');
		if (typed && file) throw new UserError('extend.both', msg('error.extend.both'));
		if (file) return upload(interaction, ctx, file);
		if (!typed) throw new UserError('extend.nothing', msg('error.extend.nothing'));
		return openTakeForm(interaction, ctx, await loadTake(ctx, interaction, parseTakeRef(typed)));
	},

	async button(interaction, ctx, id) {
		if (id.action === 'full') return fullSong(interaction, ctx, id);
		requireExtend(ctx);
		if (id.action === 'fix') return fixForm(interaction, ctx, id.args[0]);
		if (id.action === 'open')
			return openTakeForm(interaction, ctx, await loadTake(ctx, interaction, takeRefFromArgs(id.args)));
		if (id.action !== 'upload') throw new UserError('button.old', msg('error.old_button'));
		return openUploadForm(interaction, ctx, id);
	},

	async modal(interaction, ctx, id) {
		if (id.action === 'make') return keepTyped(interaction, ctx, () => extendTake(interaction, ctx, id));
		if (id.action === 'upload-make') return keepTyped(interaction, ctx, () => extendUpload(interaction, ctx, id));
		throw new UserError('button.old', msg('error.old_form'));
	},
} satisfies Command<Context>;
