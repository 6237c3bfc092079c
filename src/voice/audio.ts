import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { AudioDownloadError, openAudio } from '../audio/download.ts';
import { createGuardedAgent } from '../audio/guard.ts';
import { checkContentType } from '../audio/sniff.ts';
import { AudioRefusedError } from '../core/audio-refused.ts';
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
	/** AUDIO_ALLOW_HTTP: stream over plain http too; default false. */
	allowHttp?: boolean;
	/**
	 * What live streams are fetched through: the guarded agent (src/audio/guard.ts), so a stream URL obeys the
	 * same address rules as downloads (AUDIO_ALLOW_PRIVATE). Default: one that refuses private addresses.
	 */
	dispatcher?: Dispatcher;
}

export function createTakeAudio(options: TakeAudioOptions): TakeAudio {
	const ffmpegPath = options.ffmpegPath ?? 'ffmpeg';
	const dispatcher = options.dispatcher ?? createGuardedAgent({ allowPrivate: false });
	return {
		async open(take) {
			if (take.source.kind === 'file') return createReadStream(await options.cache.get(take.id, take.source.path));
			if (take.source.kind === 'fetch') return createReadStream(await options.cache.get(take.id, take.source.fetch));
			const input = await openStream(take.source.url, options.allowHttp ?? false, dispatcher);
			const args = ['-i', 'pipe:0', ...opusOutputArgs(options.bitrateKbps ?? DEFAULT_BITRATE_KBPS)];
			try {
				return await ffmpegStream([...args, 'pipe:1'], { ffmpegPath, input });
			} catch (error) {
				throw asVoiceError(error, 'stream');
			}
		},
	};
}

/**
 * The provider's stream, fetched by the bot (not by ffmpeg, which would connect anywhere): same checks as a
 * download (protocol, address on every hop, content type), no size cap (a live take grows while it plays).
 */
async function openStream(url: string, allowHttp: boolean, dispatcher: Dispatcher): Promise<Readable> {
	try {
		const response = await openAudio(url, { maxBytes: Number.POSITIVE_INFINITY, allowHttp, dispatcher });
		try {
			checkContentType(response.headers['content-type']);
		} catch (error) {
			response.body.on('error', () => undefined).destroy();
			throw error;
		}
		return response.body;
	} catch (error) {
		const refused =
			error instanceof AudioRefusedError || (error instanceof AudioDownloadError && error.problem === 'protocol');
		if (refused) throw new PlaybackError('refused', (error as Error).message, error);
		throw asVoiceError(error, 'stream');
	}
}
