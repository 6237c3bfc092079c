import type { Original } from '../../core/dedupe.ts';
import type { UserError } from '../../core/errors.ts';
import type { InFlightRefusal } from '../../core/inflight.ts';

/** What people read when a limit or an earlier identical request stops a new one. */

/** A link Discord turns into a jump to the message. */
export function messageLink(guildId: string, channelId: string, messageId: string): string {
	return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

/** The in-flight cap refusal: how many are running and a link to the oldest one's tracker message. */
export function inFlightText(refusal: InFlightRefusal, guildId: string): string {
	const who =
		refusal.scope === 'user'
			? `You already have ${refusal.running} songs being made (at most ${refusal.limit} at a time per person).`
			: `This server already has ${refusal.running} songs being made (at most ${refusal.limit} at a time).`;
	const oldest = refusal.oldest;
	const link = oldest?.messageId ? ` The oldest: ${messageLink(guildId, oldest.channelId, oldest.messageId)}` : '';
	return `⏳ ${who}${link}\nTry again when one is done.`;
}

/** The answer to the second of two identical requests: nothing new is started or charged. */
export function alreadyOnItText(guildId: string, original: Original | undefined): string {
	const where = original?.messageId
		? `: ${messageLink(guildId, original.channelId, original.messageId)}`
		: ' (its message is being posted).';
	return `🎵 Already on it: you asked for exactly this a moment ago, and it is on its way${where}\nNothing new was started or counted.`;
}

/** Discord's relative timestamp ("in 9 minutes"), shown in each reader's own language and kept current. */
export function relativeTime(epochMs: number): string {
	return `<t:${Math.ceil(epochMs / 1000)}:R>`;
}

/**
 * A UserError as people read it in Discord: the core says what happened with plain words and data (`params`),
 * and times become timestamps here, so the core never writes Discord markup.
 */
export function userErrorText(error: UserError): string {
	const { until, cooldownSec, why, resetAt } = error.params;
	if (error.id === 'quota.cooldown' && typeof until === 'number')
		return `Slow down a little: one song every ${cooldownSec} seconds per person. Try again ${relativeTime(until)}.`;
	if (
		(error.id === 'quota.user' || error.id === 'quota.guild') &&
		typeof why === 'string' &&
		typeof resetAt === 'number'
	)
		// `:t` is the time of day in each reader's own time zone.
		return `${why} The limit resets at <t:${Math.floor(resetAt / 1000)}:t> (${relativeTime(resetAt)}).`;
	return error.message;
}
