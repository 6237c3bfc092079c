import { MessageFlags } from 'discord.js';
import { chargeFor, costKeyOf } from '../core/costs.ts';
import type { RequestClaim } from '../core/dedupe.ts';
import { UserError } from '../core/errors.ts';
import type { InFlightSlot } from '../core/inflight.ts';
import type { QuotaTicket } from '../core/quota.ts';
import { msg } from '../i18n/index.ts';
import { checkPlace, checkWords } from './admin-rules.ts';
import type { Context } from './context.ts';
import { reserveSlot, rulesFor } from './limits.ts';
import { POST_SONG, requireHere } from './permissions.ts';
import { NO_MENTIONS } from './router.ts';
import type { SongInteraction, SongStart } from './start-song.ts';
import { refuseWithForm } from './start-song-refusals.ts';
import { alreadyOnItText } from './views/limits.ts';
import type { TrackerView } from './views/tracker.ts';

/**
 * Everything a song start must pass before anything is shown or sent: the channel and the admin's rules, the
 * input, the same request already running, the daily limits and the songs in flight. Apart from start-song.ts
 * because each check answers the person its own way (an error, the form back, "already on it"), and what passes
 * comes out as one `Admission` that the start spends.
 */

type QuotaLeft = NonNullable<TrackerView['quota']>;

/** A start that passed every check: the request claimed, the quota taken, an in-flight slot held. */
export interface Admission {
	guildId: string;
	channelId: string;
	claim: RequestClaim;
	ticket: QuotaTicket;
	held: InFlightSlot;
	/** What is left of the daily limits as the tracker shows it; after `refund`, what is really left. */
	quota: QuotaLeft;
	refund(): Promise<void>;
}

/**
 * Checks in this order, so that nothing is claimed, charged or sent for an invalid input, and a person over the
 * daily limits hears that (it lasts until the reset), not that songs are running. Undefined when the interaction
 * has been answered already (a duplicate, a form to fix); an error that is not answered here is thrown.
 */
export async function admitSong(
	interaction: SongInteraction,
	ctx: Context,
	start: SongStart,
): Promise<Admission | undefined> {
	const { guildId, channelId } = interaction;
	if (!interaction.inGuild() || !guildId || !channelId) throw new UserError('guild.only', msg('error.guild_only.make'));
	requireHere(interaction, POST_SONG);
	const r = start.request;
	const rules = await rulesFor(ctx, guildId);
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
	const taken = ticket;
	const admitted: Admission = {
		guildId,
		channelId,
		claim,
		ticket: taken,
		held,
		quota: quotaLeft(taken, 0),
		refund: async () => {
			await taken.refund();
			// The tracker then shows what is really left, not the count taken for this attempt.
			admitted.quota = quotaLeft(taken, taken.cost);
		},
	};
	return admitted;
}

function quotaLeft(ticket: QuotaTicket, givenBack: number): QuotaLeft {
	return {
		...(ticket.userLeft !== undefined ? { userLeft: ticket.userLeft + givenBack } : {}),
		...(ticket.guildLeft !== undefined ? { guildLeft: ticket.guildLeft + givenBack } : {}),
	};
}
