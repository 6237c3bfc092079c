import { type Client, PermissionFlagsBits, Routes } from 'discord.js';
import type { Logger } from '../log.ts';
import type { QueueEntry, VoiceManager } from '../voice/index.ts';
import { voiceStatusText } from './views/player.ts';
import { serverLocale } from './i18n.ts';

/**
 * The voice channel's status ("🎵 Title · take 2 — by @alice") while the bot plays there, cleared when playback
 * stops. discord.js does not wrap `PUT /channels/{id}/voice-status`, so it goes through `client.rest`.
 *
 * Discord lets a member connected to the channel set its status with SET_VOICE_CHANNEL_STATUS, and asks
 * MANAGE_CHANNELS as well of anyone who is not connected. So the status is cleared while the bot is still in the
 * channel wherever the bot decides to leave (queue ended, Stop); after a leave it did not choose (kicked,
 * everyone left) it is cleared only when the bot has MANAGE_CHANNELS. Without the permission nothing is sent.
 */
export interface VoiceStatusDeps {
	voice: VoiceManager;
	client: Client;
	log: Pick<Logger, 'debug' | 'warn'>;
}

/** Discord's limit on a voice channel status. */
const STATUS_MAX = 500;
/** Clearing before a leave waits at most this long, so a slow REST answer never holds up Stop. */
const CLEAR_WAIT_MS = 2_000;
/**
 * Before a leave nobody pressed for (the queue ended, the channel emptied, a pause ran out), nobody waits on the
 * bot: it waits longer for the clear, so a slow answer does not leave a stale status behind (once out of the
 * channel, clearing it needs Manage Channels).
 */
const CLEAR_BEFORE_OWN_LEAVE_MS = 10_000;

export class VoiceChannelStatus {
	readonly #deps: VoiceStatusDeps;
	/** What the bot has set, by guild: the channel and the text. */
	readonly #set = new Map<string, { channelId: string; text: string }>();
	/** One chain of requests per guild, so a clear never overtakes the set before it. */
	readonly #chains = new Map<string, Promise<void>>();

	constructor(deps: VoiceStatusDeps) {
		this.#deps = deps;
		const { voice } = deps;
		// Shown while a take plays (again after a Resume), cleared when the queue has ended, before the bot leaves
		// by itself, and after any other leave where Discord allows it.
		voice.on('update', (snapshot) => {
			if (snapshot.status === 'playing' && snapshot.current)
				void this.#show(snapshot.guildId, snapshot.channelId, snapshot.current.entry);
			else if (snapshot.status === 'idle') void this.clear(snapshot.guildId);
		});
		voice.beforeLeave = (guildId) => this.clear(guildId, { waitMs: CLEAR_BEFORE_OWN_LEAVE_MS });
		voice.on('leave', ({ guildId }) => void this.clear(guildId, { connected: false }));
	}

	/** Clears the guild's status now; call it before the bot leaves the channel (Stop), while it is still there. */
	clear(guildId: string, options: { connected?: boolean; waitMs?: number } = {}): Promise<void> {
		const shown = this.#set.get(guildId);
		if (!shown) return this.#chains.get(guildId) ?? Promise.resolve();
		this.#set.delete(guildId);
		const required = options.connected === false ? ['ManageChannels' as const] : [];
		const done = this.#enqueue(guildId, () => this.#put(guildId, shown.channelId, null, required));
		const waitMs = options.waitMs ?? CLEAR_WAIT_MS;
		return Promise.race([done, new Promise<void>((resolve) => setTimeout(resolve, waitMs).unref())]);
	}

	/** Clears every status the bot has set (at shutdown, before leaving the channels). */
	async clearAll(): Promise<void> {
		await Promise.all([...this.#set.keys()].map((guildId) => this.clear(guildId)));
	}

	async #show(guildId: string, channelId: string, entry: QueueEntry): Promise<void> {
		const take = entry.take;
		const maker = take.makerId ?? entry.requestedBy;
		const name = maker ? await this.#nameOf(guildId, maker) : undefined;
		// The name may have taken a request: if the take stopped meanwhile (Stop, the queue ended), say nothing.
		const player = this.#deps.voice.get(guildId);
		if (!player || player.hasLeft || player.snapshot().current?.entry.key !== entry.key) return;
		// The title is the take's name, which already says which take it is (src/core/take-name.ts).
		const locale = serverLocale(this.#deps.client.guilds.cache.get(guildId));
		const text = voiceStatusText(take.title, undefined, name, locale).slice(0, STATUS_MAX);
		if (this.#set.get(guildId)?.text === text) return;
		this.#set.set(guildId, { channelId, text });
		await this.#enqueue(guildId, () => this.#put(guildId, channelId, text, []));
	}

	async #nameOf(guildId: string, userId: string): Promise<string | undefined> {
		const guild = this.#deps.client.guilds.cache.get(guildId);
		const member = guild?.members.cache.get(userId) ?? (await guild?.members.fetch(userId).catch(() => undefined));
		return member?.displayName ?? this.#deps.client.users.cache.get(userId)?.displayName;
	}

	#enqueue(guildId: string, work: () => Promise<void>): Promise<void> {
		const next = (this.#chains.get(guildId) ?? Promise.resolve()).then(work);
		this.#chains.set(guildId, next);
		void next.finally(() => {
			if (this.#chains.get(guildId) === next) this.#chains.delete(guildId);
		});
		return next;
	}

	async #put(
		guildId: string,
		channelId: string,
		status: string | null,
		also: readonly (keyof typeof PermissionFlagsBits)[],
	): Promise<void> {
		const me = this.#deps.client.guilds.cache.get(guildId)?.members.me;
		const permissions = me?.permissionsIn(channelId);
		const required = [PermissionFlagsBits.SetVoiceChannelStatus, ...also.map((name) => PermissionFlagsBits[name])];
		if (!permissions?.has(required)) {
			this.#deps.log.debug({ guildId, channelId }, 'no permission to change the voice channel status');
			return;
		}
		try {
			await this.#deps.client.rest.put(`${Routes.channel(channelId)}/voice-status`, { body: { status } });
		} catch (err) {
			this.#deps.log.warn({ err, guildId, channelId }, 'could not change the voice channel status');
		}
	}
}
