import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, DiscordAPIError, GuildPremiumTier, type SendableChannels } from 'discord.js';
import { fitAudio } from '../audio/fit.ts';
import { ESTIMATE_SAMPLES, usualDurationMs } from '../core/estimate.ts';
import type { Capabilities } from '../core/provider.ts';
import { type ClipRecord, deliveryMarker, type TaskRecord } from '../core/records.ts';
import type { DeliverOptions, TaskSink } from '../core/sink.ts';
import type { Store } from '../core/store.ts';
import { takeFileName } from '../core/take-name.ts';
import type { TaskEvent } from '../core/task.ts';
import type { Logger } from '../log.ts';
import { EditPacer } from './edit-pacer.ts';
import { alreadyPinged, type Ping, pingFor, sendPing, standingPing } from './pings.ts';
import { parentTitle, takeViewOf, trackerViewOf } from './present.ts';
import { findPost, nonceFor, refusalOf } from './take-search.ts';
import { fileName } from './views/format.ts';
import { renderLyricsSheet } from './views/lyrics.ts';
import { isStudioResult, postToolResult, subjectOf, toolStatusOf } from './studio-sink.ts';
import { readGuildSettings, type GuildSettings } from '../core/settings.ts';
import { hasTool } from '../core/studio.ts';
import { renderToolStatus, studioRows } from './views/studio.ts';
import { renderTake, takeMarkerId, type TakeView } from './views/take.ts';
import { isFinal, renderTracker } from './views/tracker.ts';

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
}

/** Bytes per file a bot may upload in a guild of each boost tier (MB, the smaller reading of the tiers). */
const TIER_LIMIT: Record<number, number> = {
	[GuildPremiumTier.Tier2]: 50_000_000,
	[GuildPremiumTier.Tier3]: 100_000_000,
};
const DEFAULT_LIMIT = 10 * 1024 * 1024;
/** How long a guild's estimate is reused before its recent songs are read again. */
const ESTIMATE_TTL_MS = 60_000;
const TOO_LARGE = 'This take is too large for this server’s upload limit, even re-encoded.';

/**
 * The tracker's window on Discord: edits the tracker message (paced, by channel message id so it keeps working
 * after the 15-minute interaction token has expired) and posts each finished take once, with its marker.
 */
export class DiscordSink implements TaskSink {
	readonly #deps: DiscordSinkDeps;
	readonly #pacer: EditPacer<Payload>;
	readonly #now: () => number;
	/** Tasks whose saved state was compared with the pings in the channel since this process started. */
	readonly #checkedPings = new Set<string>();
	/** Per guild: how long its songs usually take, and when that was read. */
	readonly #usual = new Map<string, { at: number; ms: number | undefined }>();

	constructor(deps: DiscordSinkDeps) {
		this.#deps = deps;
		this.#now = deps.now ?? Date.now;
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
		await this.#ping(task, events).catch((error: unknown) =>
			this.#deps.log.warn({ err: error, taskId: task.id }, 'could not ping the requester'),
		);
	}

	/**
	 * Pings on the transition itself; on the first re-render after a start (no events) the saved state is checked
	 * against the channel, once per task, so a ping a crash cut off is sent and one already sent is not repeated.
	 */
	async #ping(task: TaskRecord, events: readonly TaskEvent[]): Promise<void> {
		const fresh = pingFor(task, events);
		let standing: Ping | undefined;
		if (fresh === undefined && events.length === 0 && !this.#checkedPings.has(task.id)) {
			standing = standingPing(task);
			// Checking again is only a wasted search: a full set starts over rather than growing without end.
			if (this.#checkedPings.size >= 10_000) this.#checkedPings.clear();
			if (standing) this.#checkedPings.add(task.id);
		}
		const ping = fresh ?? standing;
		if (!ping) return;
		const channel = await this.#channel(task.place.channelId);
		if (standing && (await alreadyPinged(channel, this.#deps.client.user?.id, task, standing))) return;
		await sendPing(channel, task, ping);
	}

	async renderTracker(task: TaskRecord): Promise<Payload> {
		if (task.kind === 'lyrics') return renderLyricsSheet(task, this.#now());
		if (isStudioResult(task)) return renderToolStatus(toolStatusOf(task, await subjectOf(this.#deps.store, task)));
		const parent = await parentTitle(this.#deps.store, task);
		const usualMs = task.finishedAt === undefined ? await this.#usualMs(task.place.guildId) : undefined;
		return renderTracker(
			trackerViewOf(task, this.#now(), {
				...(parent ? { parentTitle: parent } : {}),
				...(task.quota ? { quota: task.quota } : {}),
				...(usualMs !== undefined ? { usualMs } : {}),
			}),
		);
	}

	/**
	 * How long songs usually take in this guild ("usually about 40 s"), read from its library at most once a
	 * minute: the tracker re-renders every few seconds. An estimate that cannot be read is simply not shown.
	 */
	async #usualMs(guildId: string): Promise<number | undefined> {
		const cached = this.#usual.get(guildId);
		if (cached && this.#now() - cached.at < ESTIMATE_TTL_MS) return cached.ms;
		let ms: number | undefined;
		try {
			ms = usualDurationMs(await this.#deps.store.listLibrary(guildId, { limit: ESTIMATE_SAMPLES }));
		} catch (error) {
			this.#deps.log.debug({ err: error, guildId }, 'could not read recent songs for the estimate');
		}
		if (this.#usual.size >= 10_000) this.#usual.clear();
		this.#usual.set(guildId, { at: this.#now(), ms });
		return ms;
	}

	async deliver(
		task: TaskRecord,
		clip: ClipRecord,
		options?: DeliverOptions,
	): Promise<{ messageId: string } | undefined> {
		const channel = await this.#channel(task.place.channelId);
		if (isStudioResult(task)) return this.#deliverTool(channel, task, clip, options);
		const mention = !task.clips.some((c) => c.id !== clip.id && c.delivery?.status === 'delivered');
		const parent = await parentTitle(this.#deps.store, task);
		const extraActions = this.#deps.takeActions?.(task, clip);
		const base = {
			capabilities: this.#deps.capabilities,
			mention,
			...(extraActions ? { extraActions } : {}),
			contributors: task.credits ?? [{ role: 'asked' as const, userId: task.requester.userId }],
			...(parent ? { parentTitle: parent } : {}),
		};
		const studio = await this.#studioRows(task, clip);
		const work = await mkdtemp(join(tmpdir(), 'songbot-take-'));
		try {
			const { audio, files } = await this.#audioFor(task, clip, channel, work);
			if (options && !(await options.confirm())) return undefined;
			const botId = this.#deps.client.user?.id;
			const post = (audio: TakeView['audio'], files: { attachment: string; name: string }[]) =>
				channel
					.send({
						...withStudio(renderTake(takeViewOf(task, clip, { ...base, audio })), studio),
						files,
						allowedMentions: { parse: [], users: mention ? [task.requester.userId] : [] },
						// A retry soon after a lost answer gets the message already made instead of a second one.
						nonce: nonceFor(task.id, clip.id, audio.kind),
						enforceNonce: true,
					})
					.catch((error: unknown) => {
						throw refusalOf(error, channel, botId, files.length);
					});
			try {
				return { messageId: (await post(audio, files)).id };
			} catch (error) {
				// 40005: the limit is lower than we knew (a boost ended, a bot-side change): post the link instead.
				if (!(error instanceof DiscordAPIError && error.code === 40005) || files.length === 0) throw error;
				this.#deps.log.info({ taskId: task.id, clipId: clip.id }, 'Discord refused the file as too large');
				const url = clip.audioUrl ?? clip.streamUrl ?? '';
				const message = await post({ kind: 'link', url, reason: TOO_LARGE }, []);
				return { messageId: message.id };
			}
		} finally {
			await rm(work, { recursive: true, force: true });
		}
	}

	async #deliverTool(
		channel: SendableChannels,
		task: Parameters<typeof postToolResult>[1],
		clip: ClipRecord,
		options?: DeliverOptions,
	): Promise<{ messageId: string } | undefined> {
		const work = await mkdtemp(join(tmpdir(), 'songbot-tool-'));
		try {
			if (options && !(await options.confirm())) return undefined;
			const subject = await subjectOf(this.#deps.store, task);
			const botId = this.#deps.client.user?.id;
			return await postToolResult(channel, task, clip, subject, this.#uploadLimit(task, channel), work, botId);
		} finally {
			await rm(work, { recursive: true, force: true });
		}
	}

	async findDelivered(task: TaskRecord, clip: ClipRecord): Promise<string | undefined> {
		const channel = await this.#channel(task.place.channelId);
		// Takes are posted after their tracker message: paging from it finds them however busy the channel is.
		const marker = { footer: deliveryMarker(task.id, clip.id), customId: takeMarkerId(task.id, clip.id) };
		return findPost(channel, this.#deps.client.user?.id, marker, {
			...(task.place.messageId ? { afterId: task.place.messageId } : {}),
			createdAt: task.createdAt,
		});
	}

	stop(): void {
		this.#pacer.stop();
	}

	async #audioFor(
		task: TaskRecord,
		clip: ClipRecord,
		channel: SendableChannels,
		work: string,
	): Promise<{ audio: TakeView['audio']; files: { attachment: string; name: string }[] }> {
		const url = clip.audioUrl ?? clip.streamUrl ?? '';
		const reason = clip.audioRefused ?? 'The bot could not download this take.';
		if (!clip.file) return { audio: { kind: 'link', url, reason }, files: [] };
		const name = fileName(takeFileName(task, clip), '', 'mp3');
		const limit = this.#uploadLimit(task, channel);
		const fit = await fitAudio(clip.file.path, limit, join(work, 'fit.mp3'));
		if (fit.kind === 'original') return { audio: { kind: 'original' }, files: [{ attachment: fit.file, name }] };
		if (fit.kind === 'transcoded')
			return { audio: { kind: 'transcoded', bitrateKbps: fit.bitrateKbps }, files: [{ attachment: fit.file, name }] };
		this.#deps.log.info({ taskId: task.id, clipId: clip.id, bytes: fit.bytes, limit }, 'take too large to attach');
		return {
			audio: { kind: 'link', url, reason: TOO_LARGE },
			files: [],
		};
	}

	/** The studio's buttons under a song's take (issue 17), where the provider has the tools. */
	async #studioRows(task: TaskRecord, clip: ClipRecord): Promise<ReturnType<typeof studioRows>> {
		if (task.kind !== 'music' || !hasTool(this.#deps.capabilities, 'stems')) {
			return task.kind === 'music' ? studioRows(this.#deps.capabilities, task.id, clip.id) : [];
		}
		// Stems are on where the server's admin set their cost (they cost the provider more).
		const settings = await readGuildSettings(this.#deps.store, task.place.guildId).catch(() => ({}) as GuildSettings);
		return studioRows(this.#deps.capabilities, task.id, clip.id, { stems: settings.costs?.stems !== undefined });
	}

	#uploadLimit(task: TaskRecord, channel: SendableChannels): number {
		const tierLimit =
			'guild' in channel && channel.guild ? (TIER_LIMIT[channel.guild.premiumTier] ?? DEFAULT_LIMIT) : DEFAULT_LIMIT;
		return task.place.uploadLimitBytes ?? tierLimit;
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

/** The studio's rows after the take's own buttons. */
function withStudio<T extends { components: unknown[] }>(payload: T, rows: readonly unknown[]): T {
	return rows.length ? { ...payload, components: [...payload.components, ...rows] } : payload;
}
