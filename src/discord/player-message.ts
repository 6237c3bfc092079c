import {
	type ButtonInteraction,
	type ChatInputCommandInteraction,
	type Client,
	DiscordAPIError,
	type RepliableInteraction,
} from 'discord.js';
import type { Logger } from '../log.ts';
import type { GuildPlayer, LeaveReason, VoiceManager } from '../voice/index.ts';
import { EditPacer } from './edit-pacer.ts';
import { LyricClock } from './karaoke-lines.ts';
import { NO_MENTIONS } from './router.ts';
import { inlineTitle } from './views/format.ts';
import { renderPlayer } from './views/player.ts';
import { VoiceChannelStatus } from './voice-status.ts';
import { serverLocale, t } from './i18n.ts';

/**
 * The now-playing message: one per guild and player session, edited in place (paced like the tracker messages)
 * as the voice engine reports changes, and every few seconds while a take plays so the position moves on.
 * A new session (the bot joins again) gets a new message; the previous one keeps its final "left" state.
 */

type Payload = ReturnType<typeof renderPlayer> & { allowedMentions: typeof NO_MENTIONS };

export interface PlayerMessagesDeps {
	voice: VoiceManager;
	/** Any interaction's `client`: the messages are edited by channel and id, so they outlive interaction tokens. */
	client: Client;
	log: Pick<Logger, 'debug' | 'warn'>;
	pacer?: EditPacer<Payload>;
	/** How often the position is redrawn while a take plays. Default 5 s. */
	refreshMs?: number;
}

interface Board {
	player: GuildPlayer;
	channelId?: string;
	messageId?: string;
	notes: string[];
	reconnectAttempt?: number;
	stoppedBy?: string;
	left?: { reason: LeaveReason; by?: string };
}

/** Discord's "Unknown Message": someone deleted the player message. */
const UNKNOWN_MESSAGE = 10008;
const NOTES_KEPT = 3;

export class PlayerMessages {
	/** The voice channel's status line, which follows the same player. */
	readonly status: VoiceChannelStatus;
	/** Karaoke's lyric lines (src/discord/karaoke.ts): shown under the take, redrawn a little before each line. */
	readonly karaoke = new LyricClock((guildId) => {
		const board = this.#live(guildId);
		if (board) this.#schedule(board);
	});
	readonly #deps: PlayerMessagesDeps;
	readonly #pacer: EditPacer<Payload>;
	readonly #boards = new Map<string, Board>();
	#ticker: NodeJS.Timeout | undefined;

	constructor(deps: PlayerMessagesDeps) {
		this.#deps = deps;
		this.status = new VoiceChannelStatus(deps);
		this.#pacer =
			deps.pacer ??
			new EditPacer<Payload>({
				send: (channelId, messageId, payload) => this.#edit(channelId, messageId, payload),
				onError: (err, channelId, messageId) => this.#editFailed(err, channelId, messageId),
				// Snappier than a tracker message (people are waiting on a button), yet leaving room in the channel's
				// edit budget for the tracker messages that share it.
				perMessageMs: 1_000,
				perChannel: 3,
			});
		const { voice } = deps;
		voice.on('update', (snapshot) => {
			const board = this.#live(snapshot.guildId);
			// The `leave` event that follows says why; drawing "left" without a reason first would only flicker.
			if (!board || snapshot.status === 'left') return;
			if (snapshot.status !== 'connecting') delete board.reconnectAttempt;
			this.#schedule(board);
		});
		voice.on('trackError', ({ guildId, entry, error }) => {
			const board = this.#live(guildId);
			if (!board) return;
			const title = inlineTitle(entry.take.title, 80);
			const locale = serverLocale(this.#deps.client.guilds.cache.get(board.player.guildId));
			const note = t(locale, 'player.skipped', { title, why: error.message });
			board.notes = [...board.notes, note].slice(-NOTES_KEPT);
			this.#schedule(board);
		});
		voice.on('reconnecting', ({ guildId, attempt }) => {
			const board = this.#live(guildId);
			if (!board) return;
			board.reconnectAttempt = attempt;
			this.#schedule(board);
		});
		voice.on('leave', ({ guildId, reason }) => {
			const board = this.#boards.get(guildId);
			// Only the board's own player: a new session in the same guild has not left.
			if (!board || board.left || !board.player.hasLeft) return;
			board.left = { reason, ...(board.stoppedBy ? { by: board.stoppedBy } : {}) };
			void this.refreshNow(guildId);
		});
	}

	/**
	 * Answers the interaction publicly with the player message of `player`'s session, in the interaction's channel;
	 * an earlier message of the same session is deleted, so there is only ever one live player message per guild.
	 */
	async show(interaction: ButtonInteraction | ChatInputCommandInteraction, player: GuildPlayer): Promise<void> {
		const board = this.#boardOf(player);
		const response = await interaction.reply({ ...this.#render(board), withResponse: true });
		const messageId = response.resource?.message?.id;
		if (!messageId || !interaction.channelId) return;
		this.#adopt(board, interaction.channelId, messageId);
	}

	/**
	 * As `show`, for a player started with no press to answer (karaoke starting once its split is done): the
	 * message is posted in `channelId`, where the press was.
	 */
	async post(channelId: string, player: GuildPlayer): Promise<void> {
		const board = this.#boardOf(player);
		const channel = await this.#deps.client.channels.fetch(channelId);
		if (!channel?.isSendable()) return;
		const message = await channel.send(this.#render(board));
		this.#adopt(board, channelId, message.id);
	}

	/** The board's message is now this one; the session's earlier one is deleted. */
	#adopt(board: Board, channelId: string, messageId: string): void {
		const previous = board.channelId && board.messageId ? [board.channelId, board.messageId] : undefined;
		board.channelId = channelId;
		board.messageId = messageId;
		if (previous) void this.#delete(previous[0] as string, previous[1] as string);
		// Whatever changed while the message was on its way.
		this.#schedule(board);
	}

	/**
	 * Remembers who pressed Stop, so the message can say so, and clears the voice channel status while the bot is
	 * still in the channel (Discord asks more of a member who is not). Call it right before `player.stop()`.
	 */
	async stoppedBy(guildId: string, userId: string): Promise<void> {
		const board = this.#live(guildId);
		if (board) board.stoppedBy = userId;
		await this.status.clear(guildId);
	}

	/** Redraws the guild's player message now (after a button press), not at the pacer's next slot. */
	async refreshNow(guildId: string): Promise<void> {
		const board = this.#boards.get(guildId);
		if (!board?.channelId || !board.messageId) return;
		this.#schedule(board);
		await this.#pacer.flush(board.channelId, board.messageId);
	}

	/** A link to the guild's live player message, if there is one. */
	messageUrl(guildId: string): string | undefined {
		const board = this.#live(guildId);
		if (!board?.channelId || !board.messageId) return undefined;
		return `https://discord.com/channels/${guildId}/${board.channelId}/${board.messageId}`;
	}

	stop(): void {
		clearInterval(this.#ticker);
		this.#ticker = undefined;
		this.karaoke.stop();
		this.#pacer.stop();
	}

	#live(guildId: string): Board | undefined {
		const board = this.#boards.get(guildId);
		return board && !board.left ? board : undefined;
	}

	#boardOf(player: GuildPlayer): Board {
		const existing = this.#boards.get(player.guildId);
		if (existing?.player === player) return existing;
		const board: Board = { player, notes: [] };
		this.#boards.set(player.guildId, board);
		return board;
	}

	#render(board: Board): Payload {
		const snapshot = board.player.snapshot();
		const lyrics = board.left ? undefined : this.karaoke.shown(snapshot);
		return {
			...renderPlayer({
				snapshot,
				...(lyrics ? { lyrics } : {}),
				notes: board.notes,
				...(board.reconnectAttempt ? { reconnectAttempt: board.reconnectAttempt } : {}),
				...(board.left ? { left: board.left } : {}),
				locale: serverLocale(this.#deps.client.guilds.cache.get(board.player.guildId)),
			}),
			allowedMentions: NO_MENTIONS,
		};
	}

	#schedule(board: Board): void {
		if (!board.channelId || !board.messageId) return;
		this.#pacer.schedule(board.channelId, board.messageId, () => this.#render(board));
		this.#startTicker();
		if (!board.left) this.karaoke.arm(board.player.snapshot());
	}

	/** The position only moves on screen through edits: redraw playing boards while there are any. */
	#startTicker(): void {
		if (this.#ticker) return;
		this.#ticker = setInterval(() => {
			let playing = false;
			for (const board of this.#boards.values()) {
				if (board.left || board.player.snapshot().status !== 'playing') continue;
				playing = true;
				this.#schedule(board);
			}
			if (!playing) {
				clearInterval(this.#ticker);
				this.#ticker = undefined;
			}
		}, this.#deps.refreshMs ?? 5_000);
		this.#ticker.unref();
	}

	async #edit(channelId: string, messageId: string, payload: Payload): Promise<void> {
		const channel = await this.#deps.client.channels.fetch(channelId);
		if (!channel?.isTextBased()) return;
		await channel.messages.edit(messageId, payload);
	}

	#editFailed(err: unknown, channelId: string, messageId: string): void {
		if (err instanceof DiscordAPIError && err.code === UNKNOWN_MESSAGE) {
			// Deleted by someone: stop editing it; /queue posts a new one.
			for (const board of this.#boards.values()) if (board.messageId === messageId) delete board.messageId;
			this.#pacer.forget(channelId, messageId);
			return;
		}
		this.#deps.log.warn({ err, channelId, messageId }, 'could not update the player message');
	}

	async #delete(channelId: string, messageId: string): Promise<void> {
		this.#pacer.forget(channelId, messageId);
		try {
			const channel = await this.#deps.client.channels.fetch(channelId);
			if (channel?.isTextBased()) await channel.messages.delete(messageId);
		} catch (err) {
			this.#deps.log.warn({ err, channelId, messageId }, 'could not remove the previous player message');
		}
	}
}

/** The voice channel the person who interacted is in, if the bot knows (guild members are cached with voice). */
export function memberVoiceChannelId(interaction: RepliableInteraction): string | null {
	return interaction.inCachedGuild() ? interaction.member.voice.channelId : null;
}
