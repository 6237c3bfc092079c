import type { Original } from '../../core/dedupe.ts';
import type { UserError } from '../../core/errors.ts';
import type { InFlightRefusal } from '../../core/inflight.ts';
import { type Message, msg } from '../../i18n/index.ts';
import { type Locale, t, userErrorText as localized } from '../i18n.ts';

/** What people read when a limit or an earlier identical request stops a new one. */

/** A link Discord turns into a jump to the message. */
export function messageLink(guildId: string, channelId: string, messageId: string): string {
	return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

/** The in-flight cap refusal: how many are running and a link to the oldest one's tracker message. */
export function inFlightText(refusal: InFlightRefusal, guildId: string): Message {
	const counts = { running: refusal.running, limit: refusal.limit };
	const oldest = refusal.oldest;
	if (!oldest?.messageId)
		return refusal.scope === 'user' ? msg('limits.in_flight_user', counts) : msg('limits.in_flight_guild', counts);
	const link = messageLink(guildId, oldest.channelId, oldest.messageId);
	return refusal.scope === 'user'
		? msg('limits.in_flight_user_oldest', { ...counts, link })
		: msg('limits.in_flight_guild_oldest', { ...counts, link });
}

/** The answer to the second of two identical requests: nothing new is started or charged. */
export function alreadyOnItText(guildId: string, original: Original | undefined, locale: Locale = 'en'): string {
	return original?.messageId
		? t(locale, 'limits.already_on_it', { link: messageLink(guildId, original.channelId, original.messageId) })
		: t(locale, 'limits.already_on_it_posting');
}

/** Discord's relative timestamp ("in 9 minutes"), shown in each reader's own language and kept current. */
export function relativeTime(epochMs: number): string {
	return `<t:${Math.ceil(epochMs / 1000)}:R>`;
}

/**
 * A UserError as people read it in Discord: the core says what happened as a catalog message with data
 * (`params`), and times become timestamps here, so the core never writes Discord markup.
 */
export function userErrorText(error: UserError, locale: Locale = 'en'): string {
	return localized(error, locale);
}
