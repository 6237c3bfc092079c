/**
 * Who a message actually pings, as Discord decides it: the mentions written in its text (`<@id>`, `<@!id>`,
 * `<@&role>`, `@everyone`, `@here`, in the content or in components v2 text displays; never in embeds), filtered by
 * `allowed_mentions` (`parse`, `users`, `roles`, `replied_user`), or, when the body has none, Discord's default of
 * parsing everything and pinging the author of a replied-to message. @everyone, @here and role mentions also need
 * the author's MENTION_EVERYONE permission in the channel (the double's roles are never "mentionable"); only members
 * of the guild are pinged, never the author, and ephemeral messages ping nobody.
 *
 * Pings happen when a message is sent, not when it is edited (Discord notifies on create only); the one edit that
 * pings is the first follow-up after a deferred reply, which replaces the "thinking…" message as a send does.
 */
import { PERMISSIONS } from './permissions.ts';
import type { DiscordState, JsonObject } from './state.ts';
import { asArray, asObject, asString, type FieldError, isObject } from './wire.ts';

/** Who was pinged: user ids, role ids, and whether @everyone / @here went out. */
export interface Pings {
	users: string[];
	roles: string[];
	everyone: boolean;
}

export const NO_PINGS: Pings = Object.freeze({ users: [], roles: [], everyone: false }) as Pings;

/** The text Discord scans for mentions: content and text display components (type 10), not embeds. */
function mentionableText(body: JsonObject): string {
	const texts = [asString(body.content) ?? ''];
	const walk = (list: unknown[]): void => {
		for (const raw of list) {
			const c = asObject(raw);
			if (c.type === 10) texts.push(asString(c.content) ?? '');
			walk(asArray(c.components));
			if (isObject(c.accessory)) walk([c.accessory]);
		}
	};
	walk(asArray(body.components));
	return texts.join('\n');
}

/** `parse` and an explicit list of the same kind are mutually exclusive: Discord refuses the body. */
export function allowedMentionsProblems(body: JsonObject, at: readonly (string | number)[] = []): FieldError[] {
	if (!isObject(body.allowed_mentions)) return [];
	const allowed = body.allowed_mentions;
	const parse = asArray(allowed.parse);
	return (['users', 'roles'] as const)
		.filter((kind) => parse.includes(kind) && asArray(allowed[kind]).length > 0)
		.map((kind) => ({
			path: [...at, 'allowed_mentions'],
			code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
			message: `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
		}));
}

export interface PingContext {
	channelId: string;
	guildId: string | null;
	authorId: string;
	ephemeral: boolean;
	/** The author of the message this one replies to, if any. */
	repliedUserId: string | null;
}

/** Who the message built from `body` pings when it is sent. */
export function pingsOf(state: DiscordState, body: JsonObject, context: PingContext): Pings {
	const guild = context.guildId ? state.guild(context.guildId) : undefined;
	if (context.ephemeral || !guild) return NO_PINGS;
	const text = mentionableText(body);
	// A backslash before a mention shows it as text instead (`\\@everyone`, `\\<@id>`).
	const mentionedUsers = [...text.matchAll(/(?<!\\)<@!?(\d+)>/g)].map((m) => m[1] as string);
	const mentionedRoles = [...text.matchAll(/(?<!\\)<@&(\d+)>/g)].map((m) => m[1] as string);
	const mentionsEveryone = /(?<!\\)@(everyone|here)\b/.test(text);

	const given = isObject(body.allowed_mentions) ? body.allowed_mentions : null;
	const parse = given ? asArray(given.parse) : ['users', 'roles', 'everyone'];
	const listed = (kind: 'users' | 'roles'): unknown[] => (given ? asArray(given[kind]) : []);
	const mayPingAll = (state.permissionsOf(context.authorId, context.channelId) & PERMISSIONS.MENTION_EVERYONE) !== 0n;

	const users = new Set(mentionedUsers.filter((id) => parse.includes('users') || listed('users').includes(id)));
	if (context.repliedUserId && (given ? given.replied_user === true : true)) users.add(context.repliedUserId);
	const roles = mentionedRoles.filter(
		(id) => mayPingAll && guild.roles.has(id) && (parse.includes('roles') || listed('roles').includes(id)),
	);
	return {
		users: [...users].filter((id) => id !== context.authorId && guild.members.has(id)),
		roles: [...new Set(roles)],
		everyone: mentionsEveryone && mayPingAll && parse.includes('everyone'),
	};
}
