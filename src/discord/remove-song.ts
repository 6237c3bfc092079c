import { rm } from 'node:fs/promises';
import { type Client, DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { songTitle, type TaskRecord } from '../core/records.ts';
import { notedPings } from '../core/tracker-edits.ts';
import type { Context } from './context.ts';
import { escapeMarkdown, inlineTitle, truncate } from './views/format.ts';
import type { MessageKey } from '../i18n/index.ts';
import { type Locale, t } from './i18n.ts';

export type Removal = 'hide' | 'delete' | 'restore';

/** What a deletion could not remove, for the person who asked and the audit line. */
export interface RemovalReport {
	messagesDeleted: number;
	/** Messages still there (e.g. the channel is gone from the bot's view); the song is out of the library anyway. */
	messagesLeft: number;
	filesDeleted: number;
}

/**
 * Deletes the song's tracker message (its card), every ping about it (failed, stalled, undelivered, ready), its take
 * messages and its local files, and marks the record deleted: the record stays (without its files) until retention
 * prunes it, so nothing re-posts or re-lists it meanwhile.
 */
export async function deleteSong(client: Client, ctx: Context, record: TaskRecord, by: string): Promise<RemovalReport> {
	const report: RemovalReport = { messagesDeleted: 0, messagesLeft: 0, filesDeleted: 0 };
	const ids = [
		record.place.messageId,
		...notedPings(record.place),
		...record.clips.map((c) => (c.delivery?.status === 'delivered' ? c.delivery.messageId : undefined)),
	].filter((id): id is string => id !== undefined);
	const channel = await client.channels.fetch(record.place.channelId).catch(() => null);
	for (const id of new Set(ids)) {
		if (!channel || !('messages' in channel)) {
			report.messagesLeft++;
			continue;
		}
		try {
			await channel.messages.delete(id);
			report.messagesDeleted++;
		} catch (error) {
			// Already deleted by someone is what was asked for; anything else leaves the message where it is.
			if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage) continue;
			ctx.log.warn({ err: error, taskId: record.id, messageId: id }, 'could not delete a song message');
			report.messagesLeft++;
		}
	}
	for (const clip of record.clips) {
		if (!clip.file) continue;
		await rm(clip.file.path, { force: true })
			.then(() => report.filesDeleted++)
			.catch((error: unknown) => ctx.log.warn({ err: error, taskId: record.id }, 'could not delete a take file'));
	}
	await ctx.store.saveTask({
		...record,
		clips: record.clips.map(({ file: _, ...clip }) => clip),
		hidden: { by, at: ctx.now(), deleted: true },
		updatedAt: ctx.now(),
	});
	return report;
}

/** Hides the song from the library, autocomplete and Play; its messages stay. Restore brings it back. */
export async function setHidden(ctx: Context, record: TaskRecord, by: string, hidden: boolean): Promise<void> {
	const { hidden: _, ...rest } = record;
	await ctx.store.saveTask({ ...rest, ...(hidden ? { hidden: { by, at: ctx.now() } } : {}), updatedAt: ctx.now() });
}

const VERB = {
	hide: 'audit.hidden',
	delete: 'audit.deleted',
	restore: 'audit.restored',
} as const satisfies Record<Removal, MessageKey>;

/** The line in the admin's log channel: what, whose, where, by whom, and why. */
export function auditLine(
	record: TaskRecord,
	how: Removal,
	by: string,
	reason?: string,
	report?: RemovalReport,
	locale: Locale = 'en',
): string {
	const line = t(locale, VERB[how], {
		title: inlineTitle(songTitle(record)),
		owner: record.requester.userId,
		channel: record.place.channelId,
		made: record.createdAt,
		task: record.id,
		by,
	});
	const left = report?.messagesLeft ? t(locale, 'audit.left', { left: report.messagesLeft }) : '';
	const why = reason ? `\n${t(locale, 'audit.reason', { reason: escapeMarkdown(truncate(reason, 300)) })}` : '';
	return `${line}${left}${why}`;
}

/** Posts the audit line where the admin chose; says why not, when it could not. */
export async function postAudit(
	client: Client,
	ctx: Context,
	logChannelId: string | undefined,
	line: string,
	locale: Locale = 'en',
): Promise<string | undefined> {
	if (!logChannelId) return undefined;
	try {
		const channel = await client.channels.fetch(logChannelId);
		if (!channel?.isSendable()) return t(locale, 'audit.cannot_post', { channel: logChannelId });
		await channel.send({ content: line, allowedMentions: { parse: [] } });
		return undefined;
	} catch (error) {
		ctx.log.warn({ err: error, logChannelId }, 'could not post an audit line');
		return t(locale, 'audit.failed', { channel: logChannelId });
	}
}
