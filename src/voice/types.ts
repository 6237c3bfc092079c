import type { FfmpegMissingError, PlaybackError } from './errors.ts';

/**
 * A local mp3 of a finished take, or the stream URL of a take still generating (transcoded live), or a finished
 * take whose local file is gone: `fetch` gets it again (from the bot's own posted attachment) and returns its
 * path, only when the player needs it (not when the transcoded copy is still cached).
 */
export type TakeSource =
	{ kind: 'file'; path: string } | { kind: 'live'; url: string } | { kind: 'fetch'; fetch: () => Promise<string> };

/** What the player needs to know about a take; the Discord layer fills it from the clip. */
export interface Take {
	/** Stable id (the provider's clip id): the transcode cache key. */
	id: string;
	title: string;
	authors?: readonly string[];
	durationSec?: number;
	source: TakeSource;
	/** Which take of its song this is (1-based), for the voice channel status. */
	number?: number;
	/** Discord user id of whoever made the song, for the voice channel status. */
	makerId?: string;
}

/** off: play the queue once; take: repeat the take playing; queue: start over when the queue ends. */
export type LoopMode = 'off' | 'take' | 'queue';

/** A take in a guild's queue. The same take may be queued twice; `key` tells the entries apart. */
export interface QueueEntry {
	readonly key: number;
	readonly take: Take;
	/** Discord user id of whoever asked for it, for the player message. */
	readonly requestedBy: string | undefined;
}

/**
 * connecting: joining or reconnecting; loading: preparing the next take (transcoding on first play);
 * left: the player is gone (a new play creates a new one).
 */
export type PlayerStatus = 'connecting' | 'loading' | 'playing' | 'paused' | 'idle' | 'left';

/** Everything the now-playing message shows. */
export interface PlayerSnapshot {
	guildId: string;
	channelId: string;
	status: PlayerStatus;
	current: { entry: QueueEntry; positionMs: number } | undefined;
	/** The next few entries (GuildPlayerOptions.upcomingLimit). */
	upcoming: QueueEntry[];
	/** All entries waiting after the current one. */
	queued: number;
	/** Which buttons apply now. */
	controls: { pause: boolean; resume: boolean; skip: boolean; stop: boolean; shuffle: boolean };
	loop: LoopMode;
	/** While paused: when the player gives up waiting for Resume and leaves (epoch ms). */
	leavesAt: number | undefined;
}

export type TrackEndReason = 'finished' | 'skipped' | 'stopped' | 'error';

/**
 * stopped: stop() / the Stop button; pause_timeout: paused for longer than the pause timeout; queue_ended / channel_empty: the idle timers; moved: a play in another
 * channel of the guild replaced an idle player; kicked: removed from the channel (close 4014, no new server
 * within the grace period); reconnect_failed: the rejoin attempts ran out; connect_timeout: no Ready in time;
 * disconnected: the connection was destroyed by someone else; shutdown: VoiceManager.destroy().
 */
export type LeaveReason =
	| 'stopped'
	| 'pause_timeout'
	| 'queue_ended'
	| 'channel_empty'
	| 'moved'
	| 'kicked'
	| 'reconnect_failed'
	| 'connect_timeout'
	| 'disconnected'
	| 'shutdown';

export type VoiceError = PlaybackError | FfmpegMissingError;

/** Events of a GuildPlayer, re-emitted unchanged by the VoiceManager. Every payload names its guild. */
export interface PlayerEvents {
	/** Something the now-playing message shows has changed (not emitted for the position moving on). */
	update: [snapshot: PlayerSnapshot];
	trackStart: [event: { guildId: string; entry: QueueEntry }];
	/** Once per entry that was started or loading, whatever ended it. */
	trackEnd: [event: { guildId: string; entry: QueueEntry; reason: TrackEndReason }];
	/** A take could not be played; the player goes on with the next one. */
	trackError: [event: { guildId: string; entry: QueueEntry; error: VoiceError }];
	/** The connection dropped and a rejoin is scheduled. */
	reconnecting: [event: { guildId: string; attempt: number; delayMs: number }];
	/** The player left its channel and is finished; `reason` says why. */
	leave: [event: { guildId: string; channelId: string; reason: LeaveReason }];
}
