import type { Client, SendableChannels } from 'discord.js';
import type { TaskRecord } from '../core/records.ts';
import type { TaskEvent } from '../core/task.ts';
import { notedPings } from '../core/tracker-edits.ts';
import type { Tracker } from '../core/tracker-types.ts';
import type { Logger } from '../log.ts';
import { withRoom } from './bounded.ts';
import { channelLocale, isOnCard } from './card.ts';
import { findPing, type Ping, pingFor, readyPing, sendPing, standingPing } from './pings.ts';

export interface SinkPingDeps {
	client: Client;
	log: Logger;
	/** Keeps the id of every ping about a task on it, so deleting the song deletes them too. */
	notePing?: Tracker['notePing'] | undefined;
	channel(channelId: string): Promise<SendableChannels>;
}

/**
 * When the Discord sink mentions the requester (pings.ts says what each ping says): on a transition, once more
 * after a restart when a crash may have cut one off, and the "ready" reply once per song. Separate from the sink,
 * which edits the card and posts takes without mentioning anyone: these are its only messages that notify, and
 * what this process has already sent or checked is remembered here so none goes out twice. Each one's id, sent or
 * found, is kept on the task, so /remove-song deletes it with the song.
 */
export class SinkPings {
	readonly #deps: SinkPingDeps;
	/** Tasks whose saved state was compared with the pings in the channel since this process started. */
	readonly #checked = new Set<string>();
	/** Tasks whose "ready" reply was sent, or found already in the channel, since this process started. */
	readonly #readied = new Set<string>();

	constructor(deps: SinkPingDeps) {
		this.#deps = deps;
	}

	/**
	 * Pings on the transition itself; on the first re-render after a start (no events) the saved state is checked
	 * against the channel, once per task, so a ping a crash cut off is sent and one already sent is not repeated.
	 */
	async update(task: TaskRecord, events: readonly TaskEvent[]): Promise<void> {
		const { client, channel: channelOf } = this.#deps;
		const locale = channelLocale(client, task);
		const fresh = pingFor(task, events, locale);
		let standing: Ping | undefined;
		if (fresh === undefined && events.length === 0 && !this.#checked.has(task.id)) {
			standing = standingPing(task, locale);
			if (standing) withRoom(this.#checked).add(task.id);
		}
		const ping = fresh ?? standing;
		// The "ready" reply a crash cut off (the take found on the card, so never added again): owed once.
		const owed = !this.#readied.has(task.id) && task.clips.some((c) => isOnCard(task, c));
		if (ping?.kind === 'ready' || (!ping && owed)) {
			if (owed) await this.ready(task, await channelOf(task.place.channelId));
			return;
		}
		if (!ping) return;
		const channel = await channelOf(task.place.channelId);
		const found = standing ? await findPing(channel, client.user?.id, task, standing) : undefined;
		const messageId = found ?? (await sendPing(channel, task, ping, locale));
		// The channel shows this ping now: the re-render that noting its id causes has nothing to look for there.
		withRoom(this.#checked).add(task.id);
		await this.#note(task, messageId);
	}

	/** "@alice your song is ready", once, as a reply to the card; a ping that fails loses no take. */
	async ready(task: TaskRecord, channel: SendableChannels): Promise<void> {
		const { client, log } = this.#deps;
		const locale = channelLocale(client, task);
		const ping = readyPing(task, locale);
		try {
			const messageId =
				(await findPing(channel, client.user?.id, task, ping)) ?? (await sendPing(channel, task, ping, locale));
			withRoom(this.#readied).add(task.id);
			await this.#note(task, messageId);
		} catch (error) {
			log.warn({ err: error, taskId: task.id }, 'could not tell the requester the song is ready');
		}
	}

	/** Keeps a ping's id on the task; one that cannot be kept is logged, and the ping stays sent. */
	async #note(task: TaskRecord, messageId: string): Promise<void> {
		if (notedPings(task.place).includes(messageId)) return;
		// Through the tracker, like every change of the record: a write of its own could undo a concurrent one.
		await this.#deps
			.notePing?.(task.id, messageId)
			.catch((error: unknown) =>
				this.#deps.log.warn({ err: error, taskId: task.id }, 'could not note a ping on the song'),
			);
	}
}
