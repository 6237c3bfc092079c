import { AudioRefusedError } from '../core/audio-refused.ts';

/**
 * Is a download audio? Both the declared content type and the first bytes must say so: providers answer an
 * expired or wrong link with an HTML or JSON page (often with a 200), and a URL may be pointed at anything.
 */

/** Bytes needed to recognise every format below. */
export const SNIFF_BYTES = 12;

/** Types a provider or CDN sends for audio; none (absent) is accepted and left to the magic bytes. */
const AUDIO_TYPES =
	/^(audio\/[\w.+-]+|video\/(mp4|webm|ogg|quicktime)|application\/(ogg|octet-stream)|binary\/octet-stream)$/;

/** @throws AudioRefusedError('not_audio') for a declared type that is not audio (text/html, application/json…). */
export function checkContentType(header: string | string[] | undefined): void {
	const value = (Array.isArray(header) ? header[0] : header)?.split(';')[0]?.trim().toLowerCase();
	if (!value) return;
	if (!AUDIO_TYPES.test(value)) throw new AudioRefusedError('not_audio', `the download is ${value}, not audio`);
}

const ascii = (head: Buffer, at: number, text: string) =>
	head.subarray(at, at + text.length).toString('latin1') === text;

/** True when the first bytes are those of an audio container the bot and ffmpeg handle. */
export function looksLikeAudio(head: Buffer): boolean {
	if (ascii(head, 0, 'ID3')) return true; // mp3 with tags
	const [b0, b1] = [head[0] ?? 0, head[1] ?? 0];
	if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0) return true; // MPEG audio frame, ADTS AAC
	if (b0 === 0xff && (b1 & 0xf6) === 0xf0) return true; // ADTS AAC (layer bits 00)
	if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return true;
	if (ascii(head, 0, 'FORM') && (ascii(head, 8, 'AIFF') || ascii(head, 8, 'AIFC'))) return true;
	if (ascii(head, 0, 'OggS') || ascii(head, 0, 'fLaC')) return true;
	if (ascii(head, 4, 'ftyp')) return true; // mp4 / m4a
	return head.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])); // Matroska / WebM
}
