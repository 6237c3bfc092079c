import { randomBytes } from 'node:crypto';
import {
	type Attachment,
	type ButtonInteraction,
	type ChatInputCommandInteraction,
	MessageFlags,
	type ModalSubmitInteraction,
} from 'discord.js';
import { chargeFor } from '../core/costs.ts';
import { ProviderError, UserError } from '../core/errors.ts';
import { msg } from '../i18n/index.ts';
import { uploadAudio } from './audio-upload.ts';
import type { Context } from './context.ts';
import { encodeCustomId, type ParsedCustomId } from './custom-id.ts';
import { checkAudioAttachment, extendFields, resolveContinueAt } from './extend-input.ts';
import { checkBeforeForm, rulesFor } from './limits.ts';
import { extendModal, fieldText } from './modals.ts';
import { NO_MENTIONS } from './router.ts';
import { SAVED_STATE_TTL_MS } from './saved-state.ts';
import { chooseModel } from './song-form.ts';
import { type SongInteraction, startSong } from './start-song.ts';
import { inlineTitle } from './views/format.ts';
import { localeOf, t } from './i18n.ts';

/**
 * `/extend` with an attached audio file: the file is uploaded behind an ephemeral "thinking…" reply (a modal must be
 * the first answer, and the upload takes longer than Discord's 3 seconds), remembered in the store under a short
 * key, and a Continue button on that reply (`extend:upload:<key>`) opens the extend form; it works after a restart.
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

export function requireExtend(ctx: Context): void {
	if (!ctx.provider.capabilities.extend) throw new UserError('provider.extend', msg('error.provider.extend'));
}

/** What was typed in a refused form ("Fix and try again"), as the form's pre-filled values. */
export function prefillOf(typed: Record<string, string>): { at?: string; lyrics?: string; style?: string } {
	return Object.fromEntries(['at', 'lyrics', 'style'].flatMap((k) => (typed[k] !== undefined ? [[k, typed[k]]] : [])));
}

export async function upload(interaction: ChatInputCommandInteraction, ctx: Context, file: Attachment) {
	if (!ctx.provider.capabilities.upload) throw new UserError('provider.upload', msg('error.provider.upload'));
	const guildId = interaction.guildId;
	if (!guildId) throw new UserError('guild.only', msg('error.guild_only.make'));
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
	const locale = localeOf(interaction);
	await interaction.editReply({
		content: t(locale, 'extend.uploaded', { title: inlineTitle(title) }),
		components: [
			{
				type: 1,
				components: [
					{
						type: 2,
						style: 1,
						label: t(locale, 'extend.continue'),
						custom_id: encodeCustomId('extend', 'upload', key),
					},
				],
			},
		],
		allowedMentions: NO_MENTIONS,
	});
}

async function pendingUpload(ctx: Context, interaction: SongInteraction, id: ParsedCustomId): Promise<PendingUpload> {
	const key = id.args[0];
	const pending = key ? await ctx.store.getValue<PendingUpload>(pendingKey(key)) : undefined;
	if (!pending || pending.guildId !== interaction.guildId) throw new UserError('upload.gone', msg('error.upload.gone'));
	if (pending.userId !== interaction.user.id) throw new UserError('upload.owner', msg('error.upload.owner'));
	return pending;
}

export async function openUploadForm(
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
	return interaction.showModal(extendModal(formId, limits, take, prefillOf(typed), localeOf(interaction)));
}

export async function extendUpload(interaction: ModalSubmitInteraction, ctx: Context, id: ParsedCustomId) {
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
