import {
	type AudioPlayer,
	type AudioPlayerError,
	type AudioPlayerState,
	AudioPlayerStatus,
	createAudioPlayer,
	createAudioResource,
	NoSubscriberBehavior,
	StreamType,
} from '@discordjs/voice';
import type { TakeAudio } from './audio.ts';
import { asVoiceError, PlaybackError } from './errors.ts';
import { Track, type TrackHooks } from './track.ts';
import type { QueueEntry } from './types.ts';

/**
 * What plays now: the AudioPlayer, the entry whose resource it holds and the one being prepared, and the loop that
 * pulls the next entry when the player goes idle. Kept apart from GuildPlayer (player.ts), which owns the
 * connection, the queue and the leave timers: this is the part that turns an entry into sound and says when it
 * has ended, whatever order the player's events arrive in. Takes arrive as Ogg/Opus and are played with
 * `StreamType.OggOpus`, so no audio is decoded or encoded here.
 */

export interface DeckHooks {
	audio: TakeAudio;
	/** The next entry to play (taken out of the queue), or undefined when the queue has ended. */
	next(): QueueEntry | undefined;
	/** The queue has ended and nothing plays. */
	drained(): void;
	/** Fired at most once each per entry (track.ts). */
	track: TrackHooks;
	/** The AudioPlayer changed state; called before the next entry is pulled. */
	statusChanged(status: AudioPlayerStatus): void;
	/** What a snapshot shows may have changed. */
	changed(): void;
}

// A live stream may stall while the provider is still generating; the player sends silence meanwhile instead
// of giving up after the library's default of 5 missing frames (100 ms).
const MAX_MISSED_FRAMES = 250;

export class Deck {
	readonly player: AudioPlayer;
	private readonly hooks: DeckHooks;
	/** The entry whose resource the AudioPlayer holds. */
	private current: Track | undefined;
	/** The entry whose resource is being prepared; at most one, guarded by queueLock. */
	private loading: Track | undefined;
	private queueLock = false;
	private stopped = false;

	constructor(hooks: DeckHooks) {
		this.hooks = hooks;
		this.player = createAudioPlayer({
			behaviors: { noSubscriber: NoSubscriberBehavior.Pause, maxMissedFrames: MAX_MISSED_FRAMES },
		});
		this.player.on('stateChange', (previous, state) => this.onPlayerState(previous, state));
		this.player.on('error', (error) => this.onPlayerError(error));
	}

	/** True while an entry plays or loads. */
	get holding(): boolean {
		return this.current !== undefined || this.loading !== undefined;
	}

	get paused(): boolean {
		return this.player.state.status === AudioPlayerStatus.Paused;
	}

	get preparing(): boolean {
		return this.loading !== undefined || this.player.state.status === AudioPlayerStatus.Buffering;
	}

	/** The entry a snapshot shows (playing, else loading) and how far it has played. */
	shown(): { entry: QueueEntry; positionMs: number } | undefined {
		const shown = this.current ?? this.loading;
		return shown && { entry: shown.entry, positionMs: shown.resource?.playbackDuration ?? 0 };
	}

	/** False when nothing is playing. */
	pause(): boolean {
		return this.current !== undefined && this.player.pause();
	}

	resume(): boolean {
		return this.player.unpause();
	}

	/** Ends the current (or loading) entry; the next one follows. False when there is none. */
	skip(): boolean {
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

	/** Ends what plays or loads for good: nothing more is pulled from the queue. */
	stop(): void {
		this.stopped = true;
		const loading = this.loading;
		this.loading = undefined;
		loading?.end('stopped');
		if (this.current) this.current.requestedEnd ??= 'stopped';
		this.player.stop(true);
	}

	/** Starts the next entry when nothing plays. The lock keeps two entries from loading at once. */
	async next(): Promise<void> {
		if (this.queueLock || this.stopped || this.current) return;
		const entry = this.hooks.next();
		if (!entry) {
			this.hooks.drained();
			return;
		}
		this.queueLock = true;
		const track = new Track(entry, this.hooks.track);
		this.loading = track;
		this.hooks.changed();
		try {
			const stream = await this.hooks.audio.open(entry.take);
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
		if (!this.current) void this.next();
	}

	private onPlayerState(previous: AudioPlayerState, state: AudioPlayerState): void {
		const track = this.current;
		if (track && state.status === AudioPlayerStatus.Playing && state.resource === track.resource) track.start();
		this.hooks.statusChanged(state.status);
		if (state.status === AudioPlayerStatus.Idle && previous.status !== AudioPlayerStatus.Idle) {
			if (track && previous.resource === track.resource) {
				this.current = undefined;
				track.end();
			}
			void this.next();
		}
		this.hooks.changed();
	}

	private onPlayerError(error: AudioPlayerError): void {
		const track = this.current;
		if (!track || error.resource !== track.resource) return;
		track.fail(new PlaybackError(track.entry.take.source.kind === 'live' ? 'stream' : 'player', error.message, error));
	}
}
