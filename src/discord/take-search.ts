import { createHash } from 'node:crypto';
import { DiscordAPIError, type Message, PermissionFlagsBits, type SendableChannels, SnowflakeUtil } from 'discord.js';
import { TakeRefused } from '../core/sink.ts';

/**
 * Exactly-once helpers for posting takes: a nonce Discord enforces for a few minutes (a retry soon after a lost
 * answer returns the message already made), and a search for an earlier post that pages forward from the task's
 * tracker message, so it finds the take however many messages came after it.
 */

/** Discord caps a nonce at 25 characters; the marker is longer, so a digest of it stands in. */
export function nonceFor(...parts: string[]): string {
	return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 25);
}

/** Messages per page, Discord's maximum. */
const PAGE = 100;
/** Where the search starts when the task has no tracker message: a little before the task was saved. */
const SLACK_MS = 60_000;

/**
 * The first message after `afterId` (or after `createdAt - 1 min`) that satisfies `match`, paging oldest to newest
 * until the channel's end; throws when the channel cannot be read.
 */
export async function findMessage(
	channel: SendableChannels,
	from: { afterId?: string; createdAt: number },
	match: (message: Message) => boolean,
): Promise<string | undefined> {
	if (!('messages' in channel)) return undefined;
	let after = from.afterId ?? SnowflakeUtil.generate({ timestamp: from.createdAt - SLACK_MS }).toString();
	for (;;) {
		const page = await channel.messages.fetch({ after, limit: PAGE, cache: false });
		const found = page.find(match);
		if (found) return found.id;
		if (page.size < PAGE) return undefined;
		after = page.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), after);
	}
}

/**
 * A take's message: by the bot, carrying `marker.customId` in a button (since takes show no ids), or `marker.footer`
 * in an embed footer (takes posted by versions before that).
 */
export function findPost(
	channel: SendableChannels,
	botId: string | undefined,
	marker: { footer: string; customId: string },
	from: { afterId?: string; createdAt: number },
): Promise<string | undefined> {
	return findMessage(
		channel,
		from,
		(m) =>
			m.author.id === botId &&
			(customIdsOf(m).includes(marker.customId) || m.embeds.some((e) => e.footer?.text.includes(marker.footer))),
	);
}

/** Every custom id in a message's components, however deeply nested (rows, containers, sections). */
function customIdsOf(message: Message): string[] {
	const ids: string[] = [];
	const walk = (items: readonly unknown[]): void => {
		for (const item of items) {
			if (typeof item !== 'object' || item === null) continue;
			const c = item as { custom_id?: unknown; components?: unknown; accessory?: unknown };
			if (typeof c.custom_id === 'string') ids.push(c.custom_id);
			if (Array.isArray(c.components)) walk(c.components);
			if (c.accessory) walk([c.accessory]);
		}
	};
	walk(message.components.map((c) => c.toJSON()));
	return ids;
}

const POST_PERMISSIONS = [
	['ViewChannel', 'View Channel'],
	['SendMessages', 'Send Messages'],
	['EmbedLinks', 'Embed Links'],
	['AttachFiles', 'Attach Files'],
] as const;

/**
 * Discord's answers that no retry fixes until an admin acts (missing access or permissions, an unknown channel)
 * become {@link TakeRefused}, naming what the bot lacks where it can tell; anything else is returned as is.
 */
export function refusalOf(
	error: unknown,
	channel: SendableChannels,
	botId: string | undefined,
	files: number,
): unknown {
	if (!(error instanceof DiscordAPIError)) return error;
	if (error.code === 10003) return new TakeRefused('the channel is gone');
	if (error.code !== 50001 && error.code !== 50013) return error;
	const have = botId && 'permissionsFor' in channel ? channel.permissionsFor(botId) : null;
	const lacking = POST_PERMISSIONS.filter(([flag]) => flag !== 'AttachFiles' || files > 0)
		.filter(([flag]) => have && !have.has(PermissionFlagsBits[flag]))
		.map(([, label]) => label);
	const what = lacking.length > 0 ? lacking.join(', ') : 'a permission';
	return new TakeRefused(`the bot lacks ${what} here`);
}
