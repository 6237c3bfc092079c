import { EventEmitter } from 'node:events';
import {
	type AudioPlayer,
	type AudioPlayerError,
	type AudioPlayerState,
	AudioPlayerStatus,
	createAudioPlayer,
	createAudioResource,
	type DiscordGatewayAdapterCreator,
	joinVoiceChannel,
	NoSubscriberBehavior,
	StreamType,
	type VoiceConnection,
	VoiceConnectionStatus,
} from '@discordjs/voice';
import type { Logger } from '../log.ts';
import type { TakeAudio } from './audio.ts';
import { type ConnectionPolicy, DEFAULT_CONNECTION_POLICY, superviseConnection } from './connection.ts';
import { useKeyObjectCipherKey } from './cipher-key.ts';
import { asVoiceError, PlaybackError } from './errors.ts';
import { PlayQueue } from './queue.ts';
import { LeaveTimers } from './timers.ts';
import { describePlayer } from './snapshot.ts';
import { Track } from './track.ts';
import type { LeaveReason, LoopMode, PlayerEvents, PlayerSnapshot, QueueEntry, Take } from './types.ts';

/**
 * One guild's voice player: a connection, one AudioPlayer and a queue (the music-bot example's subscription).
 * Takes arrive as Ogg/Opus and are played with `StreamType.OggOpus`, so no audio is decoded or encoded here.
 * It leaves by itself when the queue has ended or the channel has emptied for a while, or when the connection
 * policy gives up; after `leave` it is finished and a new play needs a new player.
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

// A live stream may stall while the provider is still generating; the player sends silence meanwhile instead
// of giving up after the library's default of 5 missing frames (100 ms).
const MAX_MISSED_FRAMES = 250;

export class GuildPlayer extends EventEmitter<PlayerEvents> {
	readonly guildId: string;
	readonly channelId: string;
	private readonly audio: TakeAudio;
	private readonly options: Required<
		Pick<GuildPlayerOptions, 'leaveAfterEndMs' | 'leaveWhenEmptyMs' | 'upcomingLimit' | 'pauseTimeoutMs'>
	>;
	private readonly log: GuildPlayerOptions['log'];
	private readonly player: AudioPlayer;
	private readonly connection: VoiceConnection;
	private readonly stopSupervising: () => void;
	private readonly queue: PlayQueue;
	/** The entry whose resource the AudioPlayer holds. */
	private current: Track | undefined;
	/** The entry whose resource is being prepared; at most one, guarded by queueLock. */
	private loading: Track | undefined;
	private queueLock = false;
	private left = false;
	private readonly timers: LeaveTimers;
	private lastUpdate = '';

	constructor(options: GuildPlayerOptions) {
		super();
		this.guildId = options.guildId;
		this.channelId = options.channelId;
		this.audio = options.audio;
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
		this.player = createAudioPlayer({
			behaviors: { noSubscriber: NoSubscriberBehavior.Pause, maxMissedFrames: MAX_MISSED_FRAMES },
		});
		this.player.on('stateChange', (previous, state) => this.onPlayerState(previous, state));
		this.player.on('error', (error) => this.onPlayerError(error));
		// DAVE stays on: joinVoiceChannel's default. Never pass daveEncryption: false (Discord requires E2EE).
		this.connection = joinVoiceChannel({
			guildId: options.guildId,
			channelId: options.channelId,
			adapterCreator: options.adapterCreator,
			selfDeaf: true,
		});
		useKeyObjectCipherKey(this.connection);
		this.connection.on('error', (error) =>
			this.log?.warn({ err: error, guildId: this.guildId }, 'voice connection error'),
		);
		this.connection.subscribe(this.player);
		this.stopSupervising = superviseConnection(
			this.connection,
			{ ...DEFAULT_CONNECTION_POLICY, ...options.connectionPolicy },
			{
				giveUp: (reason) => this.leave(reason),
				reconnecting: (attempt, delayMs) => this.emit('reconnecting', { guildId: this.guildId, attempt, delayMs }),
				changed: () => this.emitUpdate(),
			},
		);
	}

	/** True while something plays, loads or waits in the queue. */
	get busy(): boolean {
		return this.current !== undefined || this.loading !== undefined || this.queue.length > 0;
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
		void this.processQueue();
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
		if (this.current === undefined || !this.player.pause()) return false;
		this.timers.start('pause', this.options.pauseTimeoutMs, { restart: true });
		this.emitUpdate();
		return true;
	}

	resume(): boolean {
		this.timers.cancel('pause');
		return this.player.unpause();
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
		if (this.left) return false;
		const loading = this.loading;
		if (loading) {
			this.loading = undefined;
			loading.end('skipped');
			return true;
		}
		if (!this.current) return false;
		this.current.requestedEnd = 'skipped';
		this.player.stop(true);
		return true;
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
		const shown = this.current ?? this.loading;
		return describePlayer({
			guildId: this.guildId,
			channelId: this.channelId,
			left: this.left,
			paused: this.player.state.status === AudioPlayerStatus.Paused,
			connected: this.connection.state.status === VoiceConnectionStatus.Ready,
			loading: this.loading !== undefined || this.player.state.status === AudioPlayerStatus.Buffering,
			shown: shown && { entry: shown.entry, positionMs: shown.resource?.playbackDuration ?? 0 },
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
		const loading = this.loading;
		this.loading = undefined;
		loading?.end('stopped');
		if (this.current) this.current.requestedEnd ??= 'stopped';
		this.player.stop(true);
		if (this.connection.state.status !== VoiceConnectionStatus.Destroyed) this.connection.destroy();
		this.emitUpdate();
		this.emit('leave', { guildId: this.guildId, channelId: this.channelId, reason });
	}

	/** Starts the next entry when nothing plays. The lock keeps two entries from loading at once. */
	private async processQueue(): Promise<void> {
		if (this.queueLock || this.left || this.current) return;
		const entry = this.queue.shift();
		if (!entry) {
			this.timers.start('end', this.options.leaveAfterEndMs);
			this.emitUpdate();
			return;
		}
		this.queueLock = true;
		const track = this.track(entry);
		this.loading = track;
		this.emitUpdate();
		try {
			const stream = await this.audio.open(entry.take);
			if (this.loading !== track) {
				// Skipped or stopped while it was being prepared.
				stream.destroy();
			} else {
				track.resource = createAudioResource(stream, { inputType: StreamType.OggOpus });
				this.loading = undefined;
				this.current = track;
				this.player.play(track.resource);
			}
		} catch (error) {
			track.fail(asVoiceError(error, 'player'));
			track.end();
		} finally {
			if (this.loading === track) this.loading = undefined;
			this.queueLock = false;
		}
		if (!this.current) void this.processQueue();
	}

	private track(entry: QueueEntry): Track {
		const guildId = this.guildId;
		return new Track(entry, {
			start: () => this.emit('trackStart', { guildId, entry }),
			error: (_, error) => {
				this.log?.warn(
					{ guildId, take: entry.take.id, err: error, detail: (error as PlaybackError).detail },
					'take failed',
				);
				this.emit('trackError', { guildId, entry, error });
			},
			end: (_, reason) => {
				if (!this.left) this.queue.ended(entry, reason);
				this.emit('trackEnd', { guildId, entry, reason });
			},
		});
	}

	private onPlayerState(previous: AudioPlayerState, state: AudioPlayerState): void {
		const track = this.current;
		if (track && state.status === AudioPlayerStatus.Playing && state.resource === track.resource) track.start();
		if (state.status !== AudioPlayerStatus.Paused) this.timers.cancel('pause');
		if (state.status === AudioPlayerStatus.Idle && previous.status !== AudioPlayerStatus.Idle) {
			if (track && previous.resource === track.resource) {
				this.current = undefined;
				track.end();
			}
			void this.processQueue();
		}
		this.emitUpdate();
	}

	private onPlayerError(error: AudioPlayerError): void {
		const track = this.current;
		if (!track || error.resource !== track.resource) return;
		track.fail(new PlaybackError(track.entry.take.source.kind === 'live' ? 'stream' : 'player', error.message, error));
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
