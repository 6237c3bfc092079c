import { EventEmitter } from 'node:events';
import {
	AudioPlayerStatus,
	type DiscordGatewayAdapterCreator,
	type VoiceConnection,
	VoiceConnectionStatus,
} from '@discordjs/voice';
import type { Logger } from '../log.ts';
import type { TakeAudio } from './audio.ts';
import { type ConnectionPolicy, DEFAULT_CONNECTION_POLICY, joinChannel } from './connection.ts';
import { Deck } from './deck.ts';
import type { PlaybackError } from './errors.ts';
import { PlayQueue } from './queue.ts';
import { LeaveTimers } from './timers.ts';
import { describePlayer } from './snapshot.ts';
import type { LeaveReason, LoopMode, PlayerEvents, PlayerSnapshot, QueueEntry, Take } from './types.ts';

/**
 * One guild's voice player: a connection, one AudioPlayer and a queue (the music-bot example's subscription).
 * What plays now is the deck's (deck.ts: takes arrive as Ogg/Opus, so no audio is decoded or encoded); this owns
 * the session around it: the connection, the queue, the leave timers and the events. It leaves by itself when the
 * queue has ended or the channel has emptied for a while, or when the connection policy gives up; after `leave`
 * it is finished and a new play needs a new player.
 */

export interface GuildPlayerOptions {
	guildId: string;
	channelId: string;
	/** discord.js supplies `guild.voiceAdapterCreator`; tests supply their own. */
	adapterCreator: DiscordGatewayAdapterCreator;
	audio: TakeAudio;
	/** Leave this long after the queue has ended. Default 60 s. */
	leaveAfterEndMs?: number;
	/** Leave this long after the channel has no listener left. Default 30 s. */
	leaveWhenEmptyMs?: number;
	/** Entries listed as "up next" in snapshots. Default 5. */
	upcomingLimit?: number;
	/** Leave this long after a pause nobody resumed. Default 10 min. */
	pauseTimeoutMs?: number;
	/** Most entries waiting in the queue (the one playing not counted). Default 50. */
	queueMax?: number;
	/** Runs before the player leaves by itself (a leave timer fired), while the bot is still in the channel. */
	beforeLeave?: (guildId: string, channelId: string) => Promise<void>;
	connectionPolicy?: Partial<ConnectionPolicy>;
	log?: Pick<Logger, 'debug' | 'warn'>;
}

export class GuildPlayer extends EventEmitter<PlayerEvents> {
	readonly guildId: string;
	readonly channelId: string;
	private readonly options: Required<
		Pick<GuildPlayerOptions, 'leaveAfterEndMs' | 'leaveWhenEmptyMs' | 'upcomingLimit' | 'pauseTimeoutMs'>
	>;
	private readonly log: GuildPlayerOptions['log'];
	private readonly deck: Deck;
	private readonly connection: VoiceConnection;
	private readonly stopSupervising: () => void;
	private readonly queue: PlayQueue;
	private left = false;
	private readonly timers: LeaveTimers;
	private lastUpdate = '';

	constructor(options: GuildPlayerOptions) {
		super();
		this.guildId = options.guildId;
		this.channelId = options.channelId;
		this.log = options.log;
		this.options = {
			leaveAfterEndMs: options.leaveAfterEndMs ?? 60_000,
			leaveWhenEmptyMs: options.leaveWhenEmptyMs ?? 30_000,
			upcomingLimit: options.upcomingLimit ?? 5,
			pauseTimeoutMs: options.pauseTimeoutMs ?? 600_000,
		};
		this.queue = new PlayQueue(options.queueMax ?? 50);
		this.timers = new LeaveTimers(
			(reason) => this.leave(reason),
			() => options.beforeLeave?.(this.guildId, this.channelId) ?? Promise.resolve(),
		);
		this.deck = this.createDeck(options.audio);
		const target = { guildId: options.guildId, channelId: options.channelId, adapterCreator: options.adapterCreator };
		({ connection: this.connection, stopSupervising: this.stopSupervising } = joinChannel(
			target,
			this.deck.player,
			{ ...DEFAULT_CONNECTION_POLICY, ...options.connectionPolicy },
			{
				giveUp: (reason) => this.leave(reason),
				reconnecting: (attempt, delayMs) => this.emit('reconnecting', { guildId: this.guildId, attempt, delayMs }),
				changed: () => this.emitUpdate(),
			},
			this.log,
		));
	}

	/** True while something plays, loads or waits in the queue. */
	get busy(): boolean {
		return this.deck.holding || this.queue.length > 0;
	}

	get hasLeft(): boolean {
		return this.left;
	}

	/**
	 * Adds a take to the queue and starts it if nothing plays. Returns its entry.
	 * @throws UserError `voice.queue_full` when the queue holds `queueMax` takes.
	 */
	enqueue(take: Take, requestedBy?: string): QueueEntry {
		if (this.left) throw new Error('GuildPlayer.enqueue after leave');
		const entry = this.queue.add(take, requestedBy);
		this.timers.cancel('end');
		this.emitUpdate();
		void this.deck.next();
		return entry;
	}

	/** How many more takes the queue accepts. */
	get room(): number {
		return this.queue.room;
	}

	/**
	 * Pauses the current take; false when nothing is playing. A pause nobody resumes ends with the player leaving
	 * after `pauseTimeoutMs`: resuming by itself would start music in a room that may have moved on (a call, a
	 * meeting), while a forgotten pause would otherwise hold the server's one voice player forever.
	 */
	pause(): boolean {
		if (!this.deck.pause()) return false;
		this.timers.start('pause', this.options.pauseTimeoutMs, { restart: true });
		this.emitUpdate();
		return true;
	}

	resume(): boolean {
		this.timers.cancel('pause');
		return this.deck.resume();
	}

	/** Takes a waiting entry out of the queue by key; false when it is no longer waiting (played or removed). */
	remove(key: number): QueueEntry | undefined {
		const removed = this.queue.remove(key);
		if (removed) this.emitUpdate();
		return removed;
	}

	/** Shuffles the waiting entries; false when fewer than two wait. */
	shuffle(): boolean {
		const shuffled = this.queue.shuffle();
		if (shuffled) this.emitUpdate();
		return shuffled;
	}

	/** Cycles the loop mode (off → take → queue → off), or sets it. */
	cycleLoop(to?: LoopMode): LoopMode {
		const mode = to ?? this.queue.cycleLoop();
		this.queue.loop = mode;
		this.emitUpdate();
		return mode;
	}

	/** The entries waiting after the current one, in order. */
	get waiting(): readonly QueueEntry[] {
		return this.queue.entries;
	}

	/** Ends the current (or loading) take and goes on with the next; false when there is none. */
	skip(): boolean {
		return !this.left && this.deck.skip();
	}

	/** Clears the queue and leaves the channel. */
	stop(): void {
		this.leave('stopped');
	}

	/** The caller reports how many listeners (people, not bots) are in the player's channel. */
	setListenerCount(count: number): void {
		if (this.left) return;
		if (count > 0) {
			this.timers.cancel('empty');
		} else {
			this.timers.start('empty', this.options.leaveWhenEmptyMs);
		}
	}

	snapshot(): PlayerSnapshot {
		return describePlayer({
			guildId: this.guildId,
			channelId: this.channelId,
			left: this.left,
			paused: this.deck.paused,
			connected: this.connection.state.status === VoiceConnectionStatus.Ready,
			loading: this.deck.preparing,
			shown: this.deck.shown(),
			queue: this.queue.entries,
			upcomingLimit: this.options.upcomingLimit,
			loop: this.queue.loop,
			leavesAt: this.timers.deadline('pause'),
		});
	}

	/** Stops everything, destroys the connection (the gateway sees the leave) and emits `leave` once. */
	leave(reason: LeaveReason): void {
		if (this.left) return;
		this.left = true;
		this.timers.cancelAll();
		this.stopSupervising();
		this.queue.clear();
		this.deck.stop();
		if (this.connection.state.status !== VoiceConnectionStatus.Destroyed) this.connection.destroy();
		this.emitUpdate();
		this.emit('leave', { guildId: this.guildId, channelId: this.channelId, reason });
	}

	/** The deck pulls from this player's queue and reports through its events. */
	private createDeck(audio: TakeAudio): Deck {
		const guildId = this.guildId;
		return new Deck({
			audio,
			next: () => this.queue.shift(),
			drained: () => {
				this.timers.start('end', this.options.leaveAfterEndMs);
				this.emitUpdate();
			},
			track: {
				start: (entry) => this.emit('trackStart', { guildId, entry }),
				error: (entry, error) => {
					this.log?.warn(
						{ guildId, take: entry.take.id, err: error, detail: (error as PlaybackError).detail },
						'take failed',
					);
					this.emit('trackError', { guildId, entry, error });
				},
				end: (entry, reason) => {
					if (!this.left) this.queue.ended(entry, reason);
					this.emit('trackEnd', { guildId, entry, reason });
				},
			},
			statusChanged: (status) => {
				if (status !== AudioPlayerStatus.Paused) this.timers.cancel('pause');
			},
			changed: () => this.emitUpdate(),
		});
	}

	/** Emits `update` when what the message shows has changed (position excluded, it moves all the time). */
	private emitUpdate(): void {
		const snapshot = this.snapshot();
		const key = JSON.stringify({ ...snapshot, current: snapshot.current?.entry.key });
		if (key === this.lastUpdate) return;
		this.lastUpdate = key;
		this.emit('update', snapshot);
	}
}
