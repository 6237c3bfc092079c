import { stat } from 'node:fs/promises';
import { runFfmpeg } from '../voice/ffmpeg.ts';
import { probeDurationSec } from './ffmpeg.ts';

/** What happened to a file that had to fit Discord's per-file upload limit. */
export type FitResult =
	| { kind: 'original'; file: string; bytes: number }
	| { kind: 'transcoded'; file: string; bytes: number; bitrateKbps: number }
	| { kind: 'too-large'; bytes: number };

/** Below this an MP3 of a song sounds too poor to be worth sending; post a link instead. */
const MIN_KBPS = 48;
/** Multipart envelope, ID3 tags and VBR drift: aim below the limit. */
const MARGIN = 0.92;

/**
 * Makes an audio file fit a per-file byte limit: the original when it fits, else an MP3 re-encoded at the
 * highest constant bitrate whose size fits, else `too-large` so the caller posts a link and says so.
 */
export async function fitAudio(file: string, limitBytes: number, outFile: string): Promise<FitResult> {
	const { size } = await stat(file);
	if (size <= limitBytes * MARGIN) return { kind: 'original', file, bytes: size };
	const duration = await probeDurationSec(file);
	const candidates = [192, 160, 128, 112, 96, 80, 64, MIN_KBPS];
	const budgetKbps = (limitBytes * MARGIN * 8) / 1000 / duration;
	const bitrate = candidates.find((k) => k <= budgetKbps);
	if (bitrate === undefined) return { kind: 'too-large', bytes: size };
	await runFfmpeg(['-y', '-i', file, '-vn', '-c:a', 'libmp3lame', '-b:a', `${bitrate}k`, outFile], {
		ffmpegPath: 'ffmpeg',
		timeoutMs: 120_000,
	});
	const fitted = (await stat(outFile)).size;
	if (fitted > limitBytes) return { kind: 'too-large', bytes: size };
	return { kind: 'transcoded', file: outFile, bytes: fitted, bitrateKbps: bitrate };
}
