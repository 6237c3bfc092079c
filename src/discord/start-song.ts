import { randomBytes } from 'node:crypto';
import {
	type ButtonInteraction,
	type ChatInputCommandInteraction,
	MessageFlags,
	type ModalSubmitInteraction,
} from 'discord.js';
import { chargeFor, costKeyOf } from '../core/costs.ts';
import type { RequestClaim } from '../core/dedupe.ts';
import { NotSentError, ProviderError, UserError } from '../core/errors.ts';
import { msg } from '../i18n/index.ts';
import type { InFlightSlot } from '../core/inflight.ts';
import type { QuotaTicket } from '../core/quota.ts';
import type { Credit, Lineage, SongRequest, TaskRecord } from '../core/records.ts';
import { checkPlace, checkWords } from './admin-rules.ts';
import { encodeCustomId } from './custom-id.ts';
import { keepForm } from './fix-form.ts';
import { localeOf, providerErrorText, serverLocale, t } from './i18n.ts';
import type { Context } from './context.ts';
import { reserveSlot, rulesFor } from './limits.ts';
import { POST_SONG, requireHere } from './permissions.ts';
import { NO_MENTIONS } from './router.ts';
import { alreadyOnItText, userErrorText } from './views/limits.ts';
import { renderTracker, type TrackerPayload, type TrackerView } from './views/tracker.ts';

export { limitsFor } from './limits.ts';

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
 * quota at the server's cost and hold an in-flight slot, atomically; answer the interaction with the public
 * tracker message (well within Discord's 3 seconds), then submit. Nothing is spent when the input is invalid;
 * the quota and the claim are given back when the provider provably did not take the request.
 */
export async function startSong(
	interaction: SongInteraction,
	ctx: Context,
	start: SongStart,
): Promise<TaskRecord | undefined> {
	const { guildId, channelId } = interaction;
	if (!interaction.inGuild() || !guildId || !channelId) throw new UserError('guild.only', msg('error.guild_only.make'));
	requireHere(interaction, POST_SONG);
	const r = start.request;
	const rules = await rulesFor(ctx, guildId);
	// The admin's rules before anything is claimed, charged or sent.
	checkPlace(interaction, rules.settings);
	try {
		if (r.action === 'generate' || r.action === 'extend' || r.action === 'cover') ctx.provider.validate(r.request);
		checkWords(rules.settings, r);
	} catch (error) {
		return refuseWithForm(interaction, ctx, guildId, r, error);
	}

	const userId = interaction.user.id;
	const key = costKeyOf(r, start.lineage);
	const admission = await ctx.dedupe.begin(
		{
			guildId,
			userId,
			request: r,
			...(start.lineage ? { lineage: start.lineage } : {}),
			...(start.origin ? { origin: start.origin } : {}),
		},
		interaction.id,
	);
	if (admission.kind === 'duplicate') {
		await interaction.reply({
			content: alreadyOnItText(guildId, admission.original),
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
		return undefined;
	}
	const claim: RequestClaim = admission.claim;
	// The daily limits first: a person over them hears that (it lasts until the reset), not that songs are running.
	let ticket: QuotaTicket | undefined;
	let held: InFlightSlot;
	try {
		ticket = await ctx.quotas.take(guildId, userId, rules.quota, chargeFor(key, rules.costs));
		held = await reserveSlot(ctx, { guildId, userId }, key, rules);
	} catch (error) {
		await ticket?.refund();
		await claim.release();
		return refuseWithForm(interaction, ctx, guildId, r, error);
	}
	let quota = {
		...(ticket.userLeft !== undefined ? { userLeft: ticket.userLeft } : {}),
		...(ticket.guildLeft !== undefined ? { guildLeft: ticket.guildLeft } : {}),
	};
	const refund = async () => {
		await ticket.refund();
		// The tracker then shows what is really left, not the count taken for this attempt.
		quota = {
			...(ticket.userLeft !== undefined ? { userLeft: ticket.userLeft + ticket.cost } : {}),
			...(ticket.guildLeft !== undefined ? { guildLeft: ticket.guildLeft + ticket.cost } : {}),
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
			...(start.render?.('submitting') ?? renderTracker(view('submitting'))),
			allowedMentions: NO_MENTIONS,
			withResponse: true,
		});
		messageId = response.resource?.message?.id;
	} catch (error) {
		held.release();
		await refund();
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
			quota,
			...(ticket.charge ? { charge: ticket.charge } : {}),
		});
		// Each song spends credits: the admins' low-balance warning is checked now, before songs start failing.
		void ctx.credits?.check().catch((err: unknown) => ctx.log.warn({ err }, 'credits check failed'));
		return record;
	} catch (error) {
		let problem: string;
		// Shown on the song's public message: the server's language, as everyone in the channel reads it.
		const locale = serverLocale(interaction.guild);
		if (error instanceof ProviderError && error.kind === 'credits')
			void ctx.credits?.refused(guildId).catch((err: unknown) => ctx.log.warn({ err }, 'credits alert failed'));
		if (error instanceof NotSentError) {
			const ref = randomBytes(4).toString('hex');
			ctx.log.error({ err: error.cause, ref, guildId }, 'request not saved, so not sent');
			// The store that refused the request may refuse the refund too: then the text does not promise one.
			let givenBack = true;
			await refund().catch((e: unknown) => {
				givenBack = false;
				ctx.log.error({ err: e, ref }, 'quota not given back');
			});
			await claim.release().catch((e: unknown) => ctx.log.warn({ err: e, ref }, 'request claim not released'));
			const notSaved = t(locale, 'form.submit_not_saved');
			const problemText = givenBack ? t(locale, 'form.submit_refunded', { problem: notSaved }) : notSaved;
			problem = t(locale, 'form.submit_try_later', { problem: problemText, ref });
		} else if (error instanceof ProviderError) {
			if (!error.maybeAccepted) {
				await refund();
				await claim.release();
			}
			const said = providerErrorText(error, locale);
			problem = error.maybeAccepted
				? t(locale, 'form.submit_maybe_accepted', { problem: said })
				: error.kind === 'invalid_input' || error.kind === 'content_policy'
					? said
					: t(locale, 'form.submit_refunded', { problem: said });
			ctx.log.warn({ err: error, guildId, userId: interaction.user.id }, 'provider refused a submit');
		} else {
			const ref = randomBytes(4).toString('hex');
			ctx.log.error({ err: error, ref, guildId }, 'submit failed');
			problem = t(locale, 'form.submit_failed', { ref });
		}
		const again = await saveRefused(ctx, interaction, guildId, start.request, error);
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

/** A song the provider refused before any task existed, kept a day for its "Change and try again" button. */
export interface RefusedSubmit {
	guildId: string;
	request: Extract<SongRequest, { action: 'generate' }>['request'];
}

export const refusedKey = (key: string) => `song:refused:${key}`;
const REFUSED_TTL_MS = 86_400_000;

/** A form refused before anything was sent keeps what was typed this long, for its "Fix and try again" button. */
const FIX_TTL_MS = 3_600_000;

/**
 * A /song form refused before anything was sent (the provider's input rules, the word filter, a limit): the
 * refusal comes with "Fix and try again", which reopens the form with everything typed (the `song:again` button of
 * a provider refusal), so nothing typed is lost. Anything else, or when the words cannot be kept, is thrown as is.
 */
async function refuseWithForm(
	interaction: SongInteraction,
	ctx: Context,
	guildId: string,
	request: SongRequest,
	error: unknown,
): Promise<undefined> {
	// The provider's input rules are checked here, by the bot: a ProviderError of kind invalid_input sent nothing.
	const locale = localeOf(interaction);
	const text =
		error instanceof UserError
			? userErrorText(error, locale)
			: error instanceof ProviderError && error.kind === 'invalid_input' && !error.maybeAccepted
				? providerErrorText(error, locale)
				: undefined;
	if (text === undefined || request.action !== 'generate' || interaction.replied || interaction.deferred) throw error;
	// Other forms (the whole /song form, Make a song from a sheet, a remix) are reopened as they were: fix-form.ts.
	if (interaction.isModalSubmit() && !interaction.customId.startsWith('song:submit')) throw error;
	const key = randomBytes(8).toString('hex');
	const saved: RefusedSubmit = { guildId, request: request.request };
	try {
		await ctx.store.setValue(refusedKey(key), saved, { ttlMs: FIX_TTL_MS });
	} catch (err) {
		ctx.log.warn({ err }, 'could not keep the refused form for Fix and try again');
		throw error;
	}
	const button = { type: 2, style: 1, label: t(locale, 'fix.button'), emoji: { name: '✏️' } } as const;
	await interaction.reply({
		content: text,
		components: [{ type: 1, components: [{ ...button, custom_id: encodeCustomId('song', 'again', key) }] }],
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
	return undefined;
}

/** Words the provider refused (content, invalid input): the form can be reopened filled in, to change them. */
async function saveRefused(
	ctx: Context,
	interaction: SongInteraction,
	guildId: string,
	request: SongRequest,
	error: unknown,
): Promise<{ retryKey?: string; fixId?: string }> {
	const editable =
		error instanceof ProviderError && (error.kind === 'content_policy' || error.kind === 'invalid_input');
	if (!editable) return {};
	// Any other form (the whole /song form, an extension, a remix): reopened as it was (fix-form.ts).
	if (interaction.isModalSubmit() && !interaction.customId.startsWith('song:submit')) {
		const fixId = await keepForm(ctx, interaction);
		return fixId ? { fixId } : {};
	}
	if (request.action !== 'generate') return {};
	const key = randomBytes(8).toString('hex');
	const saved: RefusedSubmit = { guildId, request: request.request };
	try {
		await ctx.store.setValue(refusedKey(key), saved, { ttlMs: REFUSED_TTL_MS });
		return { retryKey: key };
	} catch (err) {
		ctx.log.warn({ err }, 'could not keep the refused request for a retry');
		return {};
	}
}
