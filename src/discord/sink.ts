import { type Client, DiscordAPIError, type SendableChannels } from 'discord.js';
import type { Capabilities } from '../core/provider.ts';
import { type ClipRecord, deliveryMarker, type TaskRecord } from '../core/records.ts';
import type { DeliverOptions, TaskSink } from '../core/sink.ts';
import type { Store } from '../core/store.ts';
import { takeFileName } from '../core/take-name.ts';
import type { TaskEvent } from '../core/task.ts';
import type { Tracker } from '../core/tracker-types.ts';
import type { Logger } from '../log.ts';
import { withRoom } from './bounded.ts';
import { EditPacer } from './edit-pacer.ts';
import { cardOf, channelLocale, sameFileName } from './card.ts';
import { addToCard, fetchCard } from './card-edit.ts';
import { trackerViewOf } from './present.ts';
import { parentTitle } from './request-facts.ts';
import { SinkPings } from './sink-pings.ts';
import { deliverToolResult, isStudioResult, subjectOf, toolStatusOf } from './studio-sink.ts';
import { inWorkDir, takeAudio } from './take-audio.ts';
import { type PostDeps, postAlone } from './take-post.ts';
import { findPost } from './take-search.ts';
import { UsualTimes } from './usual-time.ts';
import { t } from './i18n.ts';
import { fileName } from './views/format.ts';
import { renderLyricsSheet } from './views/lyrics.ts';
import { renderToolStatus, studioButton } from './views/studio.ts';
import { takeMarkerId, type TakeView } from './views/take.ts';
import { renderTracker } from './views/tracker.ts';
import { isFinal } from './views/tracker-text.ts';

type Payload = ReturnType<typeof renderTracker>;

export interface DiscordSinkDeps {
	client: Client;
	store: Store;
	capabilities: Capabilities;
	log: Logger;
	now?: () => number;
	pacer?: EditPacer<Payload>;
	/**
	 * Buttons other features put on a posted take (studio tools on the take's row, 🔄 Reroll on the song's row);
	 * see `TakeView.extraActions`. Each row holds five buttons: what does not fit is left out.
	 */
	takeActions?: (task: TaskRecord, clip: ClipRecord) => TakeView['extraActions'];
	/** Keeps a finished music video or WAV on its take's record, for the card and /songs (Tracker.keepStudioLink). */
	keepStudioLink?: Tracker['keepStudioLink'];
	/** Keeps the id of every ping about a task on it, so deleting the song deletes them (Tracker.notePing). */
	notePing?: Tracker['notePing'];
}

/**
 * The tracker's window on Discord: edits the tracker message (paced, by channel message id so it keeps working
 * after the 15-minute interaction token has expired), which becomes the song card: each finished take is added
 * to it once (src/discord/card.ts), or posted as a message of its own when the card cannot hold it (take-post.ts).
 * Mentioning the requester is sink-pings.ts's, a studio tool's results studio-sink.ts's.
 */
export class DiscordSink implements TaskSink {
	readonly #deps: DiscordSinkDeps;
	readonly #pacer: EditPacer<Payload>;
	readonly #now: () => number;
	readonly #pings: SinkPings;
	readonly #usual: UsualTimes;
	/** Per take on a card, what happened to its audio (re-encoded at N kb/s), as said when it was added. */
	readonly #notes = new Map<string, string>();

	constructor(deps: DiscordSinkDeps) {
		this.#deps = deps;
		this.#now = deps.now ?? Date.now;
		this.#pings = new SinkPings({
			client: deps.client,
			log: deps.log,
			notePing: deps.notePing,
			channel: (channelId) => this.#channel(channelId),
		});
		this.#usual = new UsualTimes(deps.store, deps.log, this.#now);
		this.#pacer =
			deps.pacer ??
			new EditPacer<Payload>({
				send: (channelId, messageId, payload) => this.#edit(channelId, messageId, payload),
				onError: (err, channelId, messageId) =>
					deps.log.warn({ err, channelId, messageId }, 'could not update the tracker message'),
			});
	}

	async update(task: TaskRecord, events: readonly TaskEvent[]): Promise<void> {
		const { channelId, messageId } = task.place;
		if (messageId) {
			this.#pacer.schedule(channelId, messageId, () => this.renderTracker(task));
			// Final states and failures go out at once instead of waiting for the pacer's next slot.
			const urgent = events.some(
				(e) => e.type === 'failed' || e.type === 'finished' || e.type === 'stalled' || e.type === 'delivery-failed',
			);
			if (urgent || isFinal(trackerViewOf(task, this.#now()).stage)) await this.#pacer.flush(channelId, messageId);
		}
		await this.#pings
			.update(task, events)
			.catch((error: unknown) => this.#deps.log.warn({ err: error, taskId: task.id }, 'could not ping the requester'));
	}

	async renderTracker(task: TaskRecord): Promise<Payload> {
		const locale = channelLocale(this.#deps.client, task);
		if (task.kind === 'lyrics') return renderLyricsSheet(task, this.#now(), locale);
		if (isStudioResult(task))
			return renderToolStatus(toolStatusOf(task, await subjectOf(this.#deps.store, task), locale));
		const parent = await parentTitle(this.#deps.store, task);
		const usualMs = task.finishedAt === undefined ? await this.#usual.of(task.place.guildId) : undefined;
		const card = cardOf(task, {
			locale,
			capabilities: this.#deps.capabilities,
			notes: this.#notes,
			takeActions: this.#takeActions,
		});
		return renderTracker({
			...trackerViewOf(task, this.#now(), {
				...(parent ? { parentTitle: parent } : {}),
				...(task.quota ? { quota: task.quota } : {}),
				...(usualMs !== undefined ? { usualMs } : {}),
				locale,
			}),
			...card,
		});
	}

	async deliver(
		task: TaskRecord,
		clip: ClipRecord,
		options?: DeliverOptions,
	): Promise<{ messageId: string } | undefined> {
		const channel = await this.#channel(task.place.channelId);
		if (isStudioResult(task)) {
			const { store, log, keepStudioLink } = this.#deps;
			const botId = this.#deps.client.user?.id;
			return deliverToolResult({ store, log, botId, keepStudioLink }, channel, task, clip, options);
		}
		const first = !task.clips.some((c) => c.id !== clip.id && c.delivery?.status === 'delivered');
		const cardId = task.place.messageId;
		return inWorkDir('songbot-take-', async (work) => {
			const { audio, files, limit } = await takeAudio(task, clip, channel, work, this.#deps.log);
			if (options && !(await options.confirm())) return undefined;
			let alone: string | undefined;
			// A take goes on the song card when it has its file to attach; a link, or no card, gets a message of its own.
			if (cardId && files.length > 0) {
				const added = await addToCard(
					channel,
					cardId,
					task,
					clip,
					{ audio, files, limit },
					{
						botId: this.#deps.client.user?.id,
						render: (record) => this.renderTracker(record),
						remember: (clipId, note) => void withRoom(this.#notes).set(clipId, note),
						now: this.#now(),
						locale: channelLocale(this.#deps.client, task),
					},
				);
				if (added === 'added') {
					if (first) await this.#pings.ready(task, channel);
					return { messageId: cardId };
				}
				if (added === 'full') alone = t(channelLocale(this.#deps.client, task), 'card.own_message');
			}
			const posted = await postAlone(
				this.#postDeps(),
				task,
				clip,
				channel,
				{ audio, files, limit },
				{ mention: first && !cardId, alone },
			);
			if (first && cardId) await this.#pings.ready(task, channel);
			return posted;
		});
	}

	#postDeps(): PostDeps {
		const { client, store, capabilities, log } = this.#deps;
		return { client, store, capabilities, log, takeActions: this.#takeActions };
	}

	/**
	 * A take's extra buttons: other features' (deps.takeActions) and, where the provider has studio tools, one
	 * 🎛️ Studio button that opens them for that take (issue 17): six tools per take would not fit the card's rows.
	 */
	readonly #takeActions = (task: TaskRecord, clip: ClipRecord): TakeView['extraActions'] => {
		const extra = this.#deps.takeActions?.(task, clip);
		const studio = task.kind === 'music' ? studioButton(this.#deps.capabilities, task.id, clip.id) : undefined;
		if (!studio) return extra;
		return { ...extra, take: [...(extra?.take ?? []), studio] };
	};

	async findDelivered(task: TaskRecord, clip: ClipRecord): Promise<string | undefined> {
		const channel = await this.#channel(task.place.channelId);
		const cardId = task.place.messageId;
		// On the card, the take's file is its marker: out of sight, and gone if the take is not there.
		if (cardId && clip.file) {
			const card = await fetchCard(channel, cardId);
			const name = fileName(takeFileName(task, clip), '', 'mp3');
			if (card?.attachments.some((a) => sameFileName(a.name, name))) return cardId;
		}
		// Takes of their own are posted after their tracker message: paging from it finds them however busy it is.
		const marker = { footer: deliveryMarker(task.id, clip.id), customId: takeMarkerId(task.id, clip.id) };
		return findPost(channel, this.#deps.client.user?.id, marker, {
			...(cardId ? { afterId: cardId } : {}),
			createdAt: task.createdAt,
		});
	}

	stop(): void {
		this.#pacer.stop();
	}

	async #edit(channelId: string, messageId: string, payload: Payload): Promise<void> {
		const channel = await this.#channel(channelId);
		if (!('messages' in channel)) return;
		try {
			await channel.messages.edit(messageId, { ...payload, allowedMentions: { parse: [] } });
		} catch (error) {
			// The message was deleted: stop editing it rather than failing every update.
			if (error instanceof DiscordAPIError && error.code === 10008) this.#pacer.forget(channelId, messageId);
			else throw error;
		}
	}

	async #channel(channelId: string): Promise<SendableChannels> {
		// A task taken over from another shard's process lives in a guild this shard does not have in its cache.
		const channel = await this.#deps.client.channels.fetch(channelId, { allowUnknownGuild: true });
		if (!channel?.isSendable()) throw new Error(`channel ${channelId} is not a text channel the bot can use`);
		return channel;
	}
}
