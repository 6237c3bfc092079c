import type { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import type { Credit, Lineage, SongRequest, TaskRecord } from '../core/records.ts';
import type { Context } from './context.ts';
import { NO_MENTIONS } from './router.ts';
import { admitSong } from './start-song-checks.ts';
import { submitFailure } from './start-song-refusals.ts';
import { renderTracker, type TrackerPayload, type TrackerView } from './views/tracker.ts';


export type SongInteraction = ModalSubmitInteraction | ButtonInteraction | ChatInputCommandInteraction;

export interface SongStart {
	request: SongRequest;
	lineage?: Lineage;
	credits?: Credit[];
	/**
	 * Why the same request is sent again, when that is meant (Regenerate on a sheet): part of the key that makes
	 * two identical requests of one person within a minute start one song.
	 */
	origin?: string;
	/** How the tracker message describes the request before the provider answers. */
	preview: Pick<TrackerView, 'mode' | 'model'> & Partial<Pick<TrackerView, 'title' | 'style' | 'instrumental'>>;
	/** A request that is no song (a studio tool) shows its own status message instead of the song tracker. */
	render?: (stage: 'submitting' | 'failed', problem?: string) => TrackerPayload;
}

/**
 * The one way a paid call starts, whatever the command: check the channel and the input; claim the request
 * (an identical one of the same person within a minute gets "already on it" and a link instead); take the
 * quota at the server's cost and hold an in-flight slot, atomically (all in start-song-checks.ts); answer the
 * interaction with the public tracker message (well within Discord's 3 seconds), then submit. Nothing is spent
 * when the input is invalid; the quota and the claim are given back when the provider provably did not take the
 * request (start-song-refusals.ts).
 */
export async function startSong(
	interaction: SongInteraction,
	ctx: Context,
	start: SongStart,
): Promise<TaskRecord | undefined> {
	const admission = await admitSong(interaction, ctx, start);
	if (!admission) return undefined;
	const { guildId, channelId, claim, ticket, held } = admission;
	const startedAt = ctx.now();
	const view = (stage: TrackerView['stage'], problem?: string): TrackerView => ({
		...start.preview,
		stage,
		requesterId: interaction.user.id,
		startedAt,
		now: ctx.now(),
		quota: admission.quota,
		...(problem ? { problem } : {}),
	});

	let messageId: string | undefined;
	try {
		const response = await interaction.reply({
			...(start.render?.('submitting') ?? renderTracker(view('submitting'))),
			allowedMentions: NO_MENTIONS,
			withResponse: true,
		});
		messageId = response.resource?.message?.id;
	} catch (error) {
		held.release();
		await admission.refund();
		await claim.release();
		throw error;
	}
	if (messageId) held.shownAt(messageId);
	await claim
		.posted({ channelId, ...(messageId ? { messageId } : {}) })
		.catch((e: unknown) => ctx.log.warn({ err: e }, 'could not record where the request is shown'));

	try {
		const record = await ctx.tracker.submit({
			request: start.request,
			requester: { userId: interaction.user.id, name: displayName(interaction) },
			place: {
				guildId,
				channelId,
				...(messageId ? { messageId } : {}),
				...(interaction.attachmentSizeLimit > 0 ? { uploadLimitBytes: interaction.attachmentSizeLimit } : {}),
			},
			...(start.lineage ? { lineage: start.lineage } : {}),
			credits: start.credits ?? [{ role: 'asked', userId: interaction.user.id }],
			quota: admission.quota,
			...(ticket.charge ? { charge: ticket.charge } : {}),
		});
		// Each song spends credits: the admins' low-balance warning is checked now, before songs start failing.
		void ctx.credits?.check().catch((err: unknown) => ctx.log.warn({ err }, 'credits check failed'));
		return record;
	} catch (error) {
		const { problem, again } = await submitFailure(interaction, ctx, admission, start.request, error);
		await interaction
			.editReply({
				...(start.render?.('failed', problem) ?? renderTracker({ ...view('failed', problem), ...again })),
				allowedMentions: NO_MENTIONS,
			})
			.catch((e: unknown) => ctx.log.warn({ err: e }, 'could not show the submit failure'));
		return undefined;
	} finally {
		held.release();
	}
}

function displayName(interaction: SongInteraction): string {
	const member = interaction.member;
	if (member && 'displayName' in member && typeof member.displayName === 'string') return member.displayName;
	return interaction.user.globalName ?? interaction.user.username;
}
