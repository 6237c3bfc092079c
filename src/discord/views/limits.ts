import type { Original } from '../../core/dedupe.ts';
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
