import type { SendableChannels } from 'discord.js';
import type { TaskRecord } from '../core/records.ts';
import type { TaskEvent } from '../core/task.ts';
import { truncate } from './views/format.ts';
import { nonceFor } from './take-search.ts';

/**
 * The requester hears about a song that failed or stalled the way they hear about one that is ready: one message
 * that mentions them (an edit of the tracker message notifies nobody). Only they are pinged, and the message
 * answers the tracker message so the details are one click away.
 */
export function pingFor(task: TaskRecord, events: readonly TaskEvent[]): { kind: string; text: string } | undefined {
	const what = task.kind === 'lyrics' ? 'the lyrics you asked for' : 'your song';
	const failed = events.find((e) => e.type === 'failed');
	if (failed?.type === 'failed') return { kind: 'failed', text: `${what} failed: ${failed.failure.message}` };
	if (events.some((e) => e.type === 'stalled'))
		return {
			kind: 'stalled',
			text: `${what} stalled: the music provider shows no progress. I keep checking and will post it if it arrives.`,
		};
	// No take reached the channel (and none is on its way), so the take that would have pinged them never will.
	const nothingPosted =
		events.some((e) => e.type === 'delivery-failed') &&
		task.state.status === 'delivered' &&
		!task.clips.some((c) => c.delivery?.status === 'delivered');
	if (nothingPosted)
		return {
			kind: 'undelivered',
			text: 'your song is ready, but I could not post it here: the message above has download links and a button to try again.',
		};
	return undefined;
}

export async function sendPing(channel: SendableChannels, task: TaskRecord, ping: { kind: string; text: string }) {
	const userId = task.requester.userId;
	const since = task.state.status === 'stalled' ? String(task.state.since) : '';
	await channel.send({
		content: truncate(`<@${userId}> ${ping.text}`, 2000),
		allowedMentions: { parse: [], users: [userId], repliedUser: false },
		...(task.place.messageId ? { reply: { messageReference: task.place.messageId, failIfNotExists: false } } : {}),
		// A ping repeated after a crash within Discord's nonce window is the same message, not a second ping.
		nonce: nonceFor(task.id, ping.kind, since),
		enforceNonce: true,
	});
}
