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

/** Which take a take's view carries, as `<task>:<clip>`: its Details marker on a message of its own, its Play on a card. */
export function takeMarkerOf(message: MessageView): string | undefined {
	const details = detailsOf(message);
	if (details?.clipId !== undefined) return `${details.id}:${details.clipId}`;
	const play = message.controls.find((c) => c.label === 'Play' && c.customId?.startsWith('play:clip:'));
	const match = /^play:clip:([^:]+):([^:]+)$/.exec(play?.customId ?? '');
	return match ? `${decodeURIComponent(match[1] as string)}:${decodeURIComponent(match[2] as string)}` : undefined;
}

/** A take posted as a message of its own (no card, or the card could not hold it), by its Details marker. */
export function isTake(message: MessageView, taskId?: string): boolean {
	const details = detailsOf(message);
	return message.fromBot && details?.clipId !== undefined && (taskId === undefined || details.id === taskId);
}

/**
 * The takes on a song card, one view each as a person sees that take: the card with only the take's own file and
 * its row of buttons (Play, Extend, Remix…) plus the song's row (Lyrics, Details, Play all, 🔄 Reroll), its line on
 * the card as `content`. Clicking a button on a view clicks that take's button. Empty for a message that is not a card.
 */
export function cardTakes(message: MessageView, taskId?: string): MessageView[] {
	const details = detailsOf(message);
	if (!message.fromBot || !details || details.clipId !== undefined) return [];
	if (taskId !== undefined && details.id !== taskId) return [];
	const rows: MessageView['controls'][] = [];
	let at = 0;
	for (const row of message.components) {
		const size = Array.isArray(row.components) ? row.components.length : 0;
		rows.push(message.controls.slice(at, at + size));
		at += size;
	}
	const takeRows = rows.filter((r) => r[0]?.label === 'Play' && r[0].customId?.startsWith('play:clip:'));
	const songRow = rows.at(-1) ?? [];
	const files = message.attachments
		.filter((a) => a.filename.endsWith('.mp3'))
		.sort((a, b) => takeNumber(a.filename) - takeNumber(b.filename));
	// Each take's line on the card ("1️⃣ **Night Drive · take 1** · 0:12"), in the same order as its row.
	const lines = message.embeds.flatMap((e) =>
		String(e.description ?? '')
			.split('\n')
			.filter((l) => /^(?:[1-9]\uFE0F\u20E3|🔟|▶️) \*\*/u.test(l)),
	);
	return takeRows.flatMap((row, i) => {
		const file = files[i];
		if (!file) return [];
		const controls = [...row, ...songRow];
		const content = lines[i] ?? '';
		return [{ ...message, content, attachments: [file], controls, buttons: controls.map((c) => c.label) }];
	});
}

function takeNumber(filename: string): number {
	return Number(/take (\d+)\.mp3$/.exec(filename)?.[1] ?? 0);
}

/** Every take of the task (or of every task) among these messages: on its card, then those with a message of their own. */
export function takesIn(messages: readonly MessageView[], taskId?: string): MessageView[] {
	const onCards = messages.flatMap((m) => cardTakes(m, taskId));
	const alone = messages.filter((m) => isTake(m, taskId));
	return [...onCards, ...alone];
}

/** The "@user your song is ready" replies among these messages (to the card `cardId`, when given). */
export function readyPings(messages: readonly MessageView[], cardId?: string): MessageView[] {
	return messages.filter(
		(m) =>
			m.fromBot && /^<@\d+> your song is ready:/.test(m.content) && (cardId === undefined || m.referenceId === cardId),
	);
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
	const all = await channel.waitFor((list) => takesIn(list, taskId).length >= count, { timeout: 15_000 });
	return takesIn(all, taskId);
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
