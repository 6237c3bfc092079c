import type { SendableChannels } from 'discord.js';
import type { TaskRecord } from '../core/records.ts';
import type { TaskEvent } from '../core/task.ts';
import { isOnCard } from './card.ts';
import { findMessage, nonceFor } from './take-search.ts';
import { songTitle } from '../core/records.ts';
import { inlineTitle, truncate } from './views/format.ts';
import type { MessageKey } from '../i18n/index.ts';
import { type Locale, providerErrorText, t } from './i18n.ts';

/**
 * The requester hears about a song that failed or stalled the way they hear about one that is ready: one message
 * that mentions them (an edit of the tracker message notifies nobody). Only they are pinged, and the message
 * answers the tracker message so the details are one click away.
 */

export interface Ping {
	kind: 'failed' | 'stalled' | 'undelivered' | 'ready';
	/** The start of the text, the same every time: how an earlier ping of this kind is recognised. */
	lead: string;
	text: string;
}

/** How a ping names what was asked for: a song, lyrics, or a studio tool's result (issue 17). */
const WHAT: Partial<Record<TaskRecord['kind'], MessageKey>> = {
	lyrics: 'ping.what_lyrics',
	split: 'ping.what_split',
	wav: 'ping.what_wav',
	video: 'ping.what_video',
};

/** `locale`: the server's language (the ping is posted in the channel); English when unset. */
export function pingFor(task: TaskRecord, events: readonly TaskEvent[], locale: Locale = 'en'): Ping | undefined {
	const what = t(locale, (WHAT[task.kind] ?? 'ping.what_song') as 'ping.what_song');
	const failed = events.find((e) => e.type === 'failed');
	if (failed?.type === 'failed') {
		const lead = t(locale, 'ping.failed', { what });
		return { kind: 'failed', lead, text: `${lead} ${providerErrorText(failed.failure, locale)}` };
	}
	if (events.some((e) => e.type === 'stalled')) {
		const lead = t(locale, 'ping.stalled', { what });
		const text = `${lead} ${t(locale, 'ping.stalled_text')}`;
		return { kind: 'stalled', lead, text };
	}
	// No take reached the channel (and none is on its way), so the take that would have pinged them never will.
	const nothingPosted =
		events.some((e) => e.type === 'delivery-failed') &&
		task.state.status === 'delivered' &&
		!task.clips.some((c) => c.delivery?.status === 'delivered');
	if (nothingPosted) {
		const lead = t(locale, 'ping.undelivered');
		const text = `${lead} ${t(locale, 'ping.undelivered_text')}`;
		return { kind: 'undelivered', lead, text };
	}
	return undefined;
}

/** "@alice your song is ready: Night Drive", a reply to the song card once its first take is on it. */
export function readyPing(task: TaskRecord, locale: Locale = 'en'): Ping {
	const lead = t(locale, 'card.ready');
	return { kind: 'ready', lead, text: `${lead} ${inlineTitle(songTitle(task), 200)}` };
}

/**
 * The ping the task's saved state calls for, for a re-render after a restart: the process may have died between
 * saving the state and pinging. Undefined when the state calls for none.
 */
export function standingPing(task: TaskRecord, locale: Locale = 'en'): Ping | undefined {
	const state = task.state;
	if (state.status === 'failed') return pingFor(task, [{ type: 'failed', failure: state.failure }], locale);
	if (state.status === 'stalled') return pingFor(task, [{ type: 'stalled', taskId: task.id, silentForMs: 0 }], locale);
	const gaveUp = task.clips.find((c) => c.delivery?.status === 'abandoned');
	const undelivered = gaveUp
		? pingFor(task, [{ type: 'delivery-failed', take: gaveUp.take, clipId: gaveUp.id, message: '' }], locale)
		: undefined;
	if (undelivered) return undelivered;
	// A crash between adding the first take to the card and pinging: the ping is still owed.
	return task.clips.some((c) => isOnCard(task, c)) ? readyPing(task, locale) : undefined;
}

/** The ping of this kind the channel already shows for the task (it answers its tracker message), if any. */
export async function findPing(
	channel: SendableChannels,
	botId: string | undefined,
	task: TaskRecord,
	ping: Ping,
): Promise<string | undefined> {
	const trackerId = task.place.messageId;
	if (!trackerId) return undefined;
	const head = `<@${task.requester.userId}> ${ping.lead}`;
	const link = trackerUrl(task, trackerId);
	return findMessage(
		channel,
		{ afterId: trackerId, createdAt: task.createdAt },
		(m) => m.author.id === botId && m.content.startsWith(head) && m.content.includes(link),
	);
}

/** The tracker message's link: one click to the details, and what tells this task's pings from another's. */
function trackerUrl(task: TaskRecord, messageId: string): string {
	return `https://discord.com/channels/${task.place.guildId}/${task.place.channelId}/${messageId}`;
}

/** Resolves with the ping's message id. */
export async function sendPing(
	channel: SendableChannels,
	task: TaskRecord,
	ping: Ping,
	locale: Locale = 'en',
): Promise<string> {
	const userId = task.requester.userId;
	const since = task.state.status === 'stalled' ? String(task.state.since) : '';
	const trackerId = task.place.messageId;
	const link = trackerId ? ` ${t(locale, 'ping.go_to_song', { link: trackerUrl(task, trackerId) })}` : '';
	const sent = await channel.send({
		content: `${truncate(`<@${userId}> ${ping.text}`, 2000 - link.length)}${link}`,
		allowedMentions: { parse: [], users: [userId], repliedUser: false },
		...(task.place.messageId ? { reply: { messageReference: task.place.messageId, failIfNotExists: false } } : {}),
		// A ping repeated within Discord's nonce window is the same message, not a second ping.
		nonce: nonceFor(task.id, ping.kind, since),
		enforceNonce: true,
	});
	return sent.id;
}
