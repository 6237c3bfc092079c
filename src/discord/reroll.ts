import type { ButtonInteraction } from 'discord.js';
import { type GenerateRequest, resolveModel } from '../core/provider.ts';
import { UserError } from '../core/errors.ts';
import { msg } from '../i18n/index.ts';
import type { Credit, TaskRecord } from '../core/records.ts';
import type { Context } from './context.ts';
import { encodeCustomId } from './custom-id.ts';
import { visibleSong } from './library.ts';
import { requireLiveUpload } from './attachment-link.ts';
import { checkBeforeForm } from './limits.ts';
import { extendModal, remixModal, songModal } from './modals.ts';
import { costOf, offered, ownAudioModal } from './own-audio-form.ts';
import { POST_SONG, requireHere } from './permissions.ts';
import { requestFacts } from './request-facts.ts';
import { chooseModel } from './song-form.ts';
import { startSong } from './start-song.ts';
import { type RefusedSubmit, refusedKey } from './start-song-refusals.ts';
import { clock } from './views/format.ts';
import { localeOf, t } from './i18n.ts';

/**
 * 🔄 Reroll on a finished song and "Try again" on a failed one send the same request again: a new song with the
 * same credits, counted by the quota like any other. It is deliberate, so it is not "already on it" because of
 * the song it repeats (its own key, `reroll:<task>`), but a double click on the button starts one song, not two.
 * "Change and try again" on a failed extension or remix reopens that form, filled in as it was sent.
 */

type Again = Extract<TaskRecord['request'], { action: 'generate' | 'extend' | 'cover' }>;

async function songToRepeat(ctx: Context, interaction: ButtonInteraction, taskId: string | undefined) {
	const task = await visibleSong(ctx, interaction, taskId);
	if (!task) throw new UserError('song.gone', msg('form.again_gone'));
	const request = task.request;
	if (request.action !== 'generate' && request.action !== 'extend' && request.action !== 'cover')
		throw new UserError('song.not-again', msg('form.again_not_song'));
	if (task.family !== ctx.provider.family) throw new UserError('take.other-provider', msg('form.again_other_provider'));
	return { task, request: request as Again };
}

/** The song's credits, the person who presses the button added as asker when they are not in them yet. */
function creditsOf(task: TaskRecord, userId: string): Credit[] {
	const credits = task.credits?.length
		? [...task.credits]
		: [{ role: 'asked' as const, userId: task.requester.userId }];
	if (!credits.some((c) => c.userId === userId)) credits.push({ role: 'asked', userId });
	return credits;
}

/** `song:reroll:<task>` (a finished song) and `song:rerun:<task>` (a failed one): the same request again. */
export async function askAgain(
	interaction: ButtonInteraction,
	ctx: Context,
	kind: 'reroll' | 'rerun',
	taskId: string | undefined,
): Promise<void> {
	const { task, request } = await songToRepeat(ctx, interaction, taskId);
	if (request.action === 'cover') requireLiveUpload(request.request.sourceAudioUrl, ctx.now());
	const facts = requestFacts(task);
	await startSong(interaction, ctx, {
		request,
		...(task.lineage ? { lineage: task.lineage } : {}),
		credits: creditsOf(task, interaction.user.id),
		// One key per song repeated: a double click is one song; the song it repeats does not block it.
		origin: `${kind}:${task.id}`,
		preview: {
			mode: facts.mode,
			model: facts.model,
			instrumental: facts.instrumental,
			...(facts.title ? { title: facts.title } : {}),
			...(facts.style ? { style: facts.style } : {}),
		},
	});
}

/**
 * "Change and try again" on a failed extension or remix: its form, filled in as it was sent. Returns false for a
 * plain song (commands/song.ts reopens the /song form).
 */
export async function changeAndRetry(
	interaction: ButtonInteraction,
	ctx: Context,
	taskId: string | undefined,
): Promise<boolean> {
	const { task, request } = await songToRepeat(ctx, interaction, taskId);
	const lineage = task.lineage;
	if (request.action === 'extend') {
		if (request.request.uploaded || !request.request.source.taskId)
			throw new UserError('upload.gone', msg('form.again_uploaded'));
		const { taskId: sourceId, clipId } = request.request.source;
		const source = await ctx.tracker.get(sourceId);
		const clip = source?.clips.find((c) => c.id === clipId);
		await checkBeforeForm(interaction, ctx, 'extend');
		const q = request.request;
		const take = {
			title: clip?.title ?? q.title ?? requestFacts(task).title ?? t(localeOf(interaction), 'form.the_take'),
			...(clip?.durationSec !== undefined ? { durationSec: clip.durationSec } : {}),
		};
		const prefill = {
			...(q.continueAtSec !== undefined ? { at: clock(q.continueAtSec) } : {}),
			...(q.lyrics ? { lyrics: q.lyrics } : {}),
			...(q.style ? { style: q.style } : {}),
		};
		const limits = ctx.provider.limits(q.model);
		const formId = encodeCustomId('extend', 'make', sourceId, clipId);
		await interaction.showModal(extendModal(formId, limits, take, prefill, localeOf(interaction)));
		return true;
	}
	if (request.action === 'cover' && !lineage) {
		// A cover of the member's own file: its form again, filled in as sent; the file is picked again.
		if (!offered(ctx).includes('cover')) throw new UserError('studio.unavailable', msg('provider.unsupported'));
		requireHere(interaction, POST_SONG);
		await checkBeforeForm(interaction, ctx, costOf('cover'));
		const q = request.request;
		const typed = { style: q.style ?? '', title: q.title ?? '', ...(q.lyrics ? { lyrics: q.lyrics } : {}) };
		await interaction.showModal(ownAudioModal(ctx, 'cover', { typed, again: true, locale: localeOf(interaction) }));
		return true;
	}
	if (lineage?.type === 'remix' && lineage.taskId) {
		await checkBeforeForm(interaction, ctx, 'remix');
		const q = request.request;
		const facts = requestFacts(task);
		const take = {
			title: facts.title ?? t(localeOf(interaction), 'form.remix_default_title'),
			...(q.lyrics ? { lyrics: q.lyrics } : {}),
			...(q.style ? { style: q.style } : {}),
		};
		const id = encodeCustomId('remix', 'make', lineage.taskId, lineage.clipId);
		await interaction.showModal(remixModal(id, ctx.provider.limits(q.model), take, localeOf(interaction)));
		return true;
	}
	return false;
}

/**
 * "Change and try again" on a song the provider refused or could not make: the same form, filled in as it
 * was sent, so the person changes what the refusal named (copyrighted lyrics, a filtered word) and sends it again.
 */
export async function changeSong(
	interaction: ButtonInteraction,
	ctx: Context,
	action: string,
	key: string | undefined,
) {
	const r = await refusedRequest(ctx, interaction.guildId, action, key);
	if (!r) throw new UserError('song.gone', msg('form.change_gone'));
	if (interaction.guildId) {
		requireHere(interaction, POST_SONG);
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
			locale: localeOf(interaction),
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
