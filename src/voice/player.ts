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
import { asVoiceError, PlaybackError } from './errors.ts';
import { describePlayer } from './snapshot.ts';
import { Track } from './track.ts';
import type { LeaveReason, PlayerEvents, PlayerSnapshot, QueueEntry, Take } from './types.ts';

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
		Pick<GuildPlayerOptions, 'leaveAfterEndMs' | 'leaveWhenEmptyMs' | 'upcomingLimit'>
	>;
	private readonly log: GuildPlayerOptions['log'];
	private readonly player: AudioPlayer;
	private readonly connection: VoiceConnection;
	private readonly stopSupervising: () => void;
	private readonly queue: QueueEntry[] = [];
	/** The entry whose resource the AudioPlayer holds. */
	private current: Track | undefined;
	/** The entry whose resource is being prepared; at most one, guarded by queueLock. */
	private loading: Track | undefined;
	private queueLock = false;
	private left = false;
	private nextKey = 1;
	private endTimer: NodeJS.Timeout | undefined;
	private emptyTimer: NodeJS.Timeout | undefined;
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
		};
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

	/** Adds a take to the queue and starts it if nothing plays. Returns its entry. */
	enqueue(take: Take, requestedBy?: string): QueueEntry {
		if (this.left) throw new Error('GuildPlayer.enqueue after leave');
		const entry: QueueEntry = { key: this.nextKey++, take, requestedBy };
		this.queue.push(entry);
		clearTimeout(this.endTimer);
		this.endTimer = undefined;
		this.emitUpdate();
		void this.processQueue();
		return entry;
	}

	/** Pauses the current take; false when nothing is playing. */
	pause(): boolean {
		return this.current !== undefined && this.player.pause();
	}

	resume(): boolean {
		return this.player.unpause();
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
			clearTimeout(this.emptyTimer);
			this.emptyTimer = undefined;
		} else {
			this.emptyTimer ??= setTimeout(() => this.leave('channel_empty'), this.options.leaveWhenEmptyMs);
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
			queue: this.queue,
			upcomingLimit: this.options.upcomingLimit,
		});
	}

	/** Stops everything, destroys the connection (the gateway sees the leave) and emits `leave` once. */
	leave(reason: LeaveReason): void {
		if (this.left) return;
		this.left = true;
		clearTimeout(this.endTimer);
		clearTimeout(this.emptyTimer);
		this.stopSupervising();
		this.queue.length = 0;
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
			this.endTimer ??= setTimeout(() => this.leave('queue_ended'), this.options.leaveAfterEndMs);
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
			end: (_, reason) => this.emit('trackEnd', { guildId, entry, reason }),
		});
	}

	private onPlayerState(previous: AudioPlayerState, state: AudioPlayerState): void {
		const track = this.current;
		if (track && state.status === AudioPlayerStatus.Playing && state.resource === track.resource) track.start();
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
