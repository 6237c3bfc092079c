import { randomBytes } from 'node:crypto';
import type { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { ProviderError, UserError } from '../core/errors.ts';
import type { QuotaLimits, QuotaTicket } from '../core/quota.ts';
import type { Credit, Lineage, SongRequest, TaskRecord } from '../core/records.ts';
import { effectiveLimits, readGuildSettings } from '../core/settings.ts';
import type { Context } from './context.ts';
import { POST_SONG, requirePermissions } from './permissions.ts';
import { NO_MENTIONS } from './router.ts';
import { renderTracker, type TrackerView } from './views/tracker.ts';

export type SongInteraction = ModalSubmitInteraction | ButtonInteraction | ChatInputCommandInteraction;

export interface SongStart {
	request: SongRequest;
	lineage?: Lineage;
	credits?: Credit[];
	/** False for requests that are not songs (lyrics sheets): no quota is taken or shown. Default true. */
	countsAgainstQuota?: boolean;
	/** How the tracker message describes the request before the provider answers. */
	preview: Pick<TrackerView, 'mode' | 'model'> & Partial<Pick<TrackerView, 'title' | 'style' | 'instrumental'>>;
}

/**
 * The one way a generation starts, whatever the command: check the channel and the input, take the quota
 * atomically, answer the interaction with the public tracker message (well within Discord's 3 seconds), then
 * submit. Nothing is spent when the input is invalid; the quota is given back when the provider provably did
 * not take the request.
 */
export async function startSong(
	interaction: SongInteraction,
	ctx: Context,
	start: SongStart,
): Promise<TaskRecord | undefined> {
	const { guildId, channelId } = interaction;
	if (!interaction.inGuild() || !guildId || !channelId)
		throw new UserError('guild.only', 'Songs are made in a server channel, not in direct messages.');
	requirePermissions(interaction.appPermissions, POST_SONG, `<#${channelId}>`);
	const r = start.request;
	if (r.action === 'generate' || r.action === 'extend' || r.action === 'cover') ctx.provider.validate(r.request);

	const ticket =
		start.countsAgainstQuota === false
			? FREE
			: await ctx.quotas.take(guildId, interaction.user.id, await limitsFor(ctx, guildId));
	let quota = {
		...(ticket.userLeft !== undefined ? { userLeft: ticket.userLeft } : {}),
		...(ticket.guildLeft !== undefined ? { guildLeft: ticket.guildLeft } : {}),
	};
	const refund = async () => {
		await ticket.refund();
		// The tracker then shows what is really left, not the count taken for this attempt.
		quota = {
			...(ticket.userLeft !== undefined ? { userLeft: ticket.userLeft + 1 } : {}),
			...(ticket.guildLeft !== undefined ? { guildLeft: ticket.guildLeft + 1 } : {}),
		};
	};
	const startedAt = ctx.now();
	const view = (stage: TrackerView['stage'], problem?: string): TrackerView => ({
		...start.preview,
		stage,
		requesterId: interaction.user.id,
		startedAt,
		now: ctx.now(),
		quota,
		...(problem ? { problem } : {}),
	});

	let messageId: string | undefined;
	try {
		const response = await interaction.reply({
			...renderTracker(view('submitting')),
			allowedMentions: NO_MENTIONS,
			withResponse: true,
		});
		messageId = response.resource?.message?.id;
	} catch (error) {
		await refund();
		throw error;
	}

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
			quota,
		});
		// Each song spends credits: the admins' low-balance warning is checked now, before songs start failing.
		void ctx.credits?.check().catch((err: unknown) => ctx.log.warn({ err }, 'credits check failed'));
		return record;
	} catch (error) {
		let problem: string;
		if (error instanceof ProviderError && error.kind === 'credits')
			void ctx.credits?.refused(guildId).catch((err: unknown) => ctx.log.warn({ err }, 'credits alert failed'));
		if (error instanceof ProviderError) {
			if (!error.maybeAccepted) await refund();
			problem = error.maybeAccepted
				? `${error.userMessage} The provider may have received the request anyway; check before trying again.`
				: `${error.userMessage}${error.kind === 'invalid_input' || error.kind === 'content_policy' ? '' : ' Nothing was charged to your quota.'}`;
			ctx.log.warn({ err: error, guildId, userId: interaction.user.id }, 'provider refused a submit');
		} else {
			const ref = randomBytes(4).toString('hex');
			ctx.log.error({ err: error, ref, guildId }, 'submit failed');
			problem = `Something went wrong on our side (ref \`${ref}\`).`;
		}
		await interaction
			.editReply({ ...renderTracker(view('failed', problem)), allowedMentions: NO_MENTIONS })
			.catch((e: unknown) => ctx.log.warn({ err: e }, 'could not show the submit failure'));
		return undefined;
	}
}

const FREE: QuotaTicket = { refund: async () => {} };

/** The limits in force in a server: its /songbot overrides over the operator's configuration. */
export async function limitsFor(ctx: Context, guildId: string): Promise<QuotaLimits> {
	return effectiveLimits(
		{
			cooldownSec: ctx.config.COOLDOWN_SEC,
			userDaily: ctx.config.USER_DAILY_LIMIT,
			guildDaily: ctx.config.GUILD_DAILY_LIMIT,
		},
		await readGuildSettings(ctx.store, guildId),
	);
}

function displayName(interaction: SongInteraction): string {
	const member = interaction.member;
	if (member && 'displayName' in member && typeof member.displayName === 'string') return member.displayName;
	return interaction.user.globalName ?? interaction.user.username;
}
