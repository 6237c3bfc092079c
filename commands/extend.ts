import { randomBytes } from 'node:crypto';
import {
	type Attachment,
	type ButtonInteraction,
	type ChatInputCommandInteraction,
	MessageFlags,
	type ModalSubmitInteraction,
} from 'discord.js';
import { chargeFor } from '../src/core/costs.ts';
import { ProviderError, UserError } from '../src/core/errors.ts';
import { uploadAudio } from '../src/discord/audio-upload.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { encodeCustomId, type ParsedCustomId } from '../src/discord/custom-id.ts';
import { checkAudioAttachment, extendFields, resolveContinueAt } from '../src/discord/extend-input.ts';
import { visibleSongs } from '../src/discord/library.ts';
import { checkBeforeForm, rulesFor } from '../src/discord/limits.ts';
import { extendModal, fieldText } from '../src/discord/modals.ts';
import { keepTyped, typedForm } from '../src/discord/fix-form.ts';
import { SAVED_STATE_TTL_MS } from '../src/discord/saved-state.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { type SongInteraction, startSong } from '../src/discord/start-song.ts';
import { parseTakeRef, takeChoices, takeRefFromArgs } from '../src/discord/take-ref.ts';
import {
	creditsFrom,
	loadTake,
	requireSameProvider,
	type SourceTake,
	sourceModel,
} from '../src/discord/take-source.ts';
import { inlineTitle } from '../src/discord/views/format.ts';
import { chooseModel } from './song.ts';

/**
 * `/extend` and the Extend / Full song buttons on takes. A take is named by `<taskId>:<clipId>` in every custom id
 * (the modal's action, `make`, is as long as the button's `open`, so whatever fits the button fits the modal).
 *
 * An attached audio file cannot be answered with a modal: a modal must be the first answer, and the upload takes
 * longer than Discord's 3 seconds. So the file is uploaded behind an ephemeral "thinking…" reply, remembered in the
 * store under a short key, and a Continue button on that reply opens the same form (it works after a restart).
 */

/** How long a provider may take to accept an uploaded file (family A resellers process it as a task). */
const UPLOAD_TIMEOUT_MS = 120_000;

/** What the Continue button needs to find the uploaded clip again. */
interface PendingUpload {
	taskId: string;
	clipId: string;
	title: string;
	durationSec?: number;
	userId: string;
	guildId: string;
}
const pendingKey = (key: string) => `extend:upload:${key}`;

function requireExtend(ctx: Context): void {
	if (!ctx.provider.capabilities.extend)
		throw new UserError('provider.extend', 'This music provider cannot extend songs.');
}

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
		extendModal(encodeCustomId('extend', 'make', source.task.id, source.clip.id), limits, take, prefillOf(typed)),
	);
}

/** What was typed in a refused form ("Fix and try again"), as the form's pre-filled values. */
function prefillOf(typed: Record<string, string>): { at?: string; lyrics?: string; style?: string } {
	return Object.fromEntries(['at', 'lyrics', 'style'].flatMap((k) => (typed[k] !== undefined ? [[k, typed[k]]] : [])));
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
	if (!ctx.provider.capabilities.concat)
		throw new UserError('provider.concat', 'This music provider cannot join an extension into the full song.');
	const source = await loadTake(ctx, interaction, takeRefFromArgs(id.args));
	requireSameProvider(ctx, source);
	if (source.task.lineage?.type !== 'extend')
		throw new UserError('full.not-extension', 'Only an extension can be joined into a full song.');
	await startSong(interaction, ctx, {
		request: { action: 'concat', source: { taskId: source.task.id, clipId: source.clip.id } },
		credits: creditsFrom(source.task),
		preview: { mode: 'full', model: '', title: source.title },
	});
}

async function upload(interaction: ChatInputCommandInteraction, ctx: Context, file: Attachment) {
	if (!ctx.provider.capabilities.upload)
		throw new UserError(
			'provider.upload',
			'This music provider cannot take audio files. Pick a take to extend instead.',
		);
	const guildId = interaction.guildId;
	if (!guildId) throw new UserError('guild.only', 'Songs are made in a server channel, not in direct messages.');
	const title = checkAudioAttachment({ name: file.name, contentType: file.contentType, size: file.size });
	// The upload is paid on its own: it is counted, and only after checking that the extension can follow it.
	await checkBeforeForm(interaction, ctx, 'upload', 'extend');
	const rules = await rulesFor(ctx, guildId);
	const ticket = await ctx.quotas.take(guildId, interaction.user.id, rules.quota, chargeFor('upload', rules.costs));
	let accepted = false;
	let clip: Awaited<ReturnType<typeof uploadAudio>>;
	try {
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const provider = {
			upload: async (url: string) => {
				const submitted = await ctx.provider.upload(url);
				accepted = true;
				return submitted;
			},
			fetch: ctx.provider.fetch.bind(ctx.provider),
		};
		clip = await uploadAudio(provider, file.url, {
			intervalMs: Math.min(ctx.config.POLL_FAST_MS, 2_000),
			timeoutMs: UPLOAD_TIMEOUT_MS,
		});
	} catch (error) {
		// Given back only when the provider provably did not take the file (it was never sent, or refused).
		if (!accepted && !(error instanceof ProviderError && error.maybeAccepted)) await ticket.refund();
		throw error;
	}
	const key = randomBytes(8).toString('hex');
	const pending = { ...clip, title, userId: interaction.user.id, guildId };
	await ctx.store.setValue<PendingUpload>(pendingKey(key), pending, { ttlMs: SAVED_STATE_TTL_MS.upload });
	await interaction.editReply({
		content: `🎵 **${inlineTitle(title)}** is uploaded. Press Continue to say where and how to extend it.`,
		components: [
			{
				type: 1,
				components: [{ type: 2, style: 1, label: 'Continue', custom_id: encodeCustomId('extend', 'upload', key) }],
			},
		],
		allowedMentions: NO_MENTIONS,
	});
}

async function pendingUpload(ctx: Context, interaction: SongInteraction, id: ParsedCustomId): Promise<PendingUpload> {
	const key = id.args[0];
	const pending = key ? await ctx.store.getValue<PendingUpload>(pendingKey(key)) : undefined;
	if (!pending || pending.guildId !== interaction.guildId)
		throw new UserError('upload.gone', 'This upload is no longer available. Run /extend with the file again.');
	if (pending.userId !== interaction.user.id)
		throw new UserError('upload.owner', 'This upload belongs to someone else. Run /extend with your own file.');
	return pending;
}

async function openUploadForm(
	interaction: ButtonInteraction,
	ctx: Context,
	id: ParsedCustomId,
	typed: Record<string, string> = {},
) {
	const pending = await pendingUpload(ctx, interaction, id);
	await checkBeforeForm(interaction, ctx, 'extend');
	const limits = ctx.provider.limits(chooseModel(ctx, undefined));
	const take = { title: pending.title, ...(pending.durationSec ? { durationSec: pending.durationSec } : {}) };
	const formId = encodeCustomId('extend', 'upload-make', id.args[0] ?? '');
	return interaction.showModal(extendModal(formId, limits, take, prefillOf(typed)));
}

/** "Fix and try again" on a refused extend form: the same form (a take's or an upload's), with what was typed. */
async function fixForm(interaction: ButtonInteraction, ctx: Context, key: string | undefined) {
	const typed = await typedForm(ctx, interaction, key);
	if (typed.id.action === 'upload-make') return openUploadForm(interaction, ctx, typed.id, typed.values);
	const source = await loadTake(ctx, interaction, takeRefFromArgs(typed.id.args));
	return openTakeForm(interaction, ctx, source, typed.values);
}

async function extendUpload(interaction: ModalSubmitInteraction, ctx: Context, id: ParsedCustomId) {
	requireExtend(ctx);
	const pending = await pendingUpload(ctx, interaction, id);
	const continueAtSec = resolveContinueAt(fieldText(interaction, 'at'), pending.durationSec);
	const typed = { lyrics: fieldText(interaction, 'lyrics'), style: fieldText(interaction, 'style') };
	const fields = extendFields(typed, { title: pending.title, instrumental: false });
	const model = chooseModel(ctx, undefined);
	await startSong(interaction, ctx, {
		request: {
			action: 'extend',
			request: {
				source: { taskId: pending.taskId, clipId: pending.clipId },
				uploaded: true,
				model,
				...(continueAtSec !== undefined ? { continueAtSec } : {}),
				...fields,
			},
		},
		preview: { mode: 'extend', model, title: pending.title, ...(fields.style ? { style: fields.style } : {}) },
	});
}

export const extend = {
	name: 'extend',
	data(ctx) {
		return {
			name: 'extend',
			description: 'Continue a song: pick one of the server’s takes (or attach audio), then say where and how',
			dm_permission: false,
			options: [
				{
					type: 3,
					name: 'take',
					description: 'The take to continue (type to search by title or author)',
					autocomplete: true,
				},
				...(ctx.provider.capabilities.upload
					? [{ type: 11, name: 'audio', description: 'An audio file to continue instead of a take' }]
					: []),
			],
		};
	},

	async autocomplete(interaction, ctx) {
		const guildId = interaction.guildId;
		if (!guildId) return interaction.respond([]);
		const typed = interaction.options.getFocused().trim();
		const { records: songs } = await visibleSongs(ctx, interaction, { limit: 25, ...(typed ? { search: typed } : {}) });
		// Only takes of the provider in use can be continued.
		return interaction.respond(takeChoices(songs.filter((s) => s.family === ctx.provider.family)));
	},

	async execute(interaction, ctx) {
		requireExtend(ctx);
		const typed = interaction.options.getString('take');
		const file = interaction.options.getAttachment('audio');
		if (typed && file) throw new UserError('extend.both', 'Pick a take or attach an audio file, not both.');
		if (file) return upload(interaction, ctx, file);
		if (!typed)
			throw new UserError('extend.nothing', 'Pick a take to extend (type to search), or attach an audio file.');
		return openTakeForm(interaction, ctx, await loadTake(ctx, interaction, parseTakeRef(typed)));
	},

	async button(interaction, ctx, id) {
		if (id.action === 'full') return fullSong(interaction, ctx, id);
		requireExtend(ctx);
		if (id.action === 'fix') return fixForm(interaction, ctx, id.args[0]);
		if (id.action === 'open')
			return openTakeForm(interaction, ctx, await loadTake(ctx, interaction, takeRefFromArgs(id.args)));
		if (id.action !== 'upload') throw new UserError('button.old', 'This button is from an older version of the bot.');
		return openUploadForm(interaction, ctx, id);
	},

	async modal(interaction, ctx, id) {
		if (id.action === 'make') return keepTyped(interaction, ctx, () => extendTake(interaction, ctx, id));
		if (id.action === 'upload-make') return keepTyped(interaction, ctx, () => extendUpload(interaction, ctx, id));
		throw new UserError('button.old', 'This form is from an older version of the bot.');
	},
} satisfies Command<Context>;
