import type { ChannelHandle, InteractionHandle, MessageView, UserHandle } from '../doubles/discord/index.ts';

/** Steps the /song robustness tests share: ask for a song, find its tracker message and its takes. */

/**
 * `/song` in describe mode, the modal filled in and sent; resolves with the modal-submit interaction, or with the
 * /song interaction itself when the bot refused before showing the form (a limit reached, a missing permission).
 */
export async function askForSong(
	user: UserHandle,
	description: string,
	where: { channel?: string } = {},
): Promise<InteractionHandle> {
	const slash = await user.runSlash('song', { mode: 'describe' }, where.channel ? { channel: where.channel } : {});
	if ((await slash.response()).type !== 9) return slash;
	const modal = await slash.modal();
	return modal.submit({ description, title: description.slice(0, 60) });
}

/** The record id behind a message's Details button (`song:details:<id>` on the tracker, `…:<id>:<clip>` on a take). */
function detailsOf(message: MessageView): { id: string; clipId?: string } | undefined {
	for (const control of message.controls) {
		const match = /^song:details:([^:]+)(?::([^:]+))?$/.exec(control.customId ?? '');
		if (match?.[1])
			return { id: decodeURIComponent(match[1]), ...(match[2] ? { clipId: decodeURIComponent(match[2]) } : {}) };
	}
	return undefined;
}

/** Which take a posted take's message carries (its hidden delivery marker), as `<task>:<clip>`. */
export function takeMarkerOf(message: MessageView): string | undefined {
	const details = detailsOf(message);
	return details?.clipId === undefined ? undefined : `${details.id}:${details.clipId}`;
}

/** A posted take carries its delivery marker out of sight, in its Details button's custom id. */
export function isTake(message: MessageView, taskId?: string): boolean {
	const details = detailsOf(message);
	return message.fromBot && details?.clipId !== undefined && (taskId === undefined || details.id === taskId);
}

/** The provider's task id behind the tracker's Details button, once there is one (an intent's id is not). */
export function taskIdOf(tracker: MessageView): string | undefined {
	const details = detailsOf(tracker);
	return details && details.clipId === undefined && !details.id.startsWith('intent-') ? details.id : undefined;
}

/** The id of a request whose answer was lost (an intent), behind the tracker's Details button. */
export function intentIdOf(tracker: MessageView): string | undefined {
	const id = detailsOf(tracker)?.id;
	return id?.startsWith('intent-') ? id : undefined;
}

/** Waits until the message with this id satisfies `check`, and returns it. */
export async function waitForMessage(
	channel: ChannelHandle,
	id: string,
	check: (message: MessageView) => boolean,
	timeout = 15_000,
): Promise<MessageView> {
	const found = (all: MessageView[]) => all.find((m) => m.id === id && check(m));
	return found(await channel.waitFor((all) => found(all) !== undefined, { timeout })) as MessageView;
}

/** Waits for the tracker message to say Done and returns the takes of its task. */
export async function waitForTakes(channel: ChannelHandle, trackerId: string, count = 2): Promise<MessageView[]> {
	const tracker = await waitForMessage(channel, trackerId, (m) => m.text.includes('Done'));
	const taskId = taskIdOf(tracker);
	const all = await channel.waitFor((list) => list.filter((m) => isTake(m, taskId)).length >= count, {
		timeout: 15_000,
	});
	return all.filter((m) => isTake(m, taskId));
}

/**
 * Every ping the messages sent when they were posted (the double's model of allowed_mentions): a user id once per
 * message that notified them, the roles likewise, and how many messages pinged @everyone / @here.
 */
export function pingsOf(messages: readonly MessageView[]): { users: string[]; roles: string[]; everyone: number } {
	return {
		users: messages.flatMap((m) => m.pinged.users),
		roles: messages.flatMap((m) => m.pinged.roles),
		everyone: messages.filter((m) => m.pinged.everyone).length,
	};
}
