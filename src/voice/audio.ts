import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { TranscodeCache } from './cache.ts';
import { asVoiceError, PlaybackError } from './errors.ts';
import { DEFAULT_BITRATE_KBPS, type FfmpegOptions, ffmpegStream, opusOutputArgs } from './ffmpeg.ts';
import type { Take } from './types.ts';

/**
 * Where a take's Ogg/Opus bytes come from: the transcode cache for a finished take (a local mp3), or ffmpeg
 * reading the provider's stream URL for a take still generating. The player opens one just before it plays it,
 * so the queue never holds open files or processes.
 */
export interface TakeAudio {
	/**
	 * An Ogg/Opus stream of the take.
	 * @throws FfmpegMissingError, or PlaybackError ('transcode' for files, 'stream' for URLs)
	 */
	open(take: Take): Promise<Readable>;
}

export interface TakeAudioOptions extends FfmpegOptions {
	cache: TranscodeCache;
}

// ffmpeg's HTTP input gives up on the first dropped connection unless told to retry; a generating stream can
// stall for a while, but not forever.
const httpInputArgs = [
	'-reconnect',
	'1',
	'-reconnect_streamed',
	'1',
	'-reconnect_delay_max',
	'5',
	'-rw_timeout',
	'30000000',
];

export function createTakeAudio(options: TakeAudioOptions): TakeAudio {
	const ffmpegPath = options.ffmpegPath ?? 'ffmpeg';
	return {
		async open(take) {
			if (take.source.kind === 'file') return createReadStream(await options.cache.get(take.id, take.source.path));
			const url = take.source.url;
			if (!/^https?:\/\//i.test(url)) throw new PlaybackError('stream', `not an http(s) stream URL: ${url}`);
			const args = [...httpInputArgs, '-i', url, ...opusOutputArgs(options.bitrateKbps ?? DEFAULT_BITRATE_KBPS)];
			try {
				return await ffmpegStream([...args, 'pipe:1'], { ffmpegPath });
			} catch (error) {
				throw asVoiceError(error, 'stream');
			}
		},
	};
}
