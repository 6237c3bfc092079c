import { UserError } from '../core/errors.ts';

/**
 * Errors of the voice engine. Both extend UserError: their `message` is safe to show in the player message,
 * while the technical detail (ffmpeg's stderr, the stream error) stays in `detail` and `cause` for logs.
 */

/** ffmpeg could not be started at all: nothing can be played until the operator installs it. */
export class FfmpegMissingError extends UserError {
	readonly ffmpegPath: string;
	constructor(ffmpegPath: string, cause?: unknown) {
		super(
			'voice.ffmpeg_missing',
			'The bot cannot play audio because ffmpeg is not installed where it runs. The bot operator needs to install ffmpeg.',
			{ cause },
		);
		this.name = 'FfmpegMissingError';
		this.ffmpegPath = ffmpegPath;
	}
}

/**
 * transcode: the take's file could not be converted; stream: its live stream failed; player: playback broke;
 * refused: the stream's address is not one the bot may fetch (inside the network, plain http when not allowed).
 */
export type PlaybackFailure = 'transcode' | 'stream' | 'player' | 'refused';

const TEXT: Record<PlaybackFailure, string> = {
	transcode: 'This take could not be played: its audio file is damaged or not audio.',
	stream: 'This take could not be played from its live stream.',
	player: 'This take stopped playing because of an error.',
	refused: 'This take could not be played: its stream address is not one the bot may fetch.',
};

/** One take could not be played; the player reports it and goes on with the next. */
export class PlaybackError extends UserError {
	readonly failure: PlaybackFailure;
	/** For logs only: ffmpeg's last stderr lines or the underlying error message. */
	readonly detail: string;
	constructor(failure: PlaybackFailure, detail: string, cause?: unknown) {
		super(`voice.${failure}_failed`, TEXT[failure], { cause });
		this.name = 'PlaybackError';
		this.failure = failure;
		this.detail = detail;
	}
}

/** Keeps typed voice errors as they are and wraps anything else as a PlaybackError of `failure`. */
export function asVoiceError(error: unknown, failure: PlaybackFailure): PlaybackError | FfmpegMissingError {
	if (error instanceof PlaybackError || error instanceof FfmpegMissingError) return error;
	return new PlaybackError(failure, error instanceof Error ? error.message : String(error), error);
}
