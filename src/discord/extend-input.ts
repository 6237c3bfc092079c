import { UserError } from '../core/errors.ts';
import { latestContinueAt, parseTime } from './modals.ts';
import { clock } from './views/format.ts';
import { msg } from '../i18n/index.ts';

/**
 * Pure checks and shaping of what people type into /extend: the point to continue from, the new part's
 * fields, the audio file they attach. Everything refused here is refused before anything is spent.
 */

/**
 * Seconds to continue from. Blank means the end of the take (its last whole second, see `latestContinueAt`), or
 * "let the provider decide" when the length is unknown (an uploaded file). Must lie inside the take.
 */
export function resolveContinueAt(text: string | undefined, durationSec: number | undefined): number | undefined {
	const typed = text?.trim() ?? '';
	if (typed === '') return durationSec !== undefined ? latestContinueAt(durationSec) : undefined;
	const at = parseTime(typed);
	if (at === undefined) throw new UserError('input.time', msg('error.input.time', { typed: typed.slice(0, 20) }));
	if (at <= 0 || (durationSec !== undefined && at >= durationSec)) {
		throw new UserError(
			'input.time-range',
			durationSec !== undefined
				? msg('error.input.time_range_end', { end: clock(durationSec) })
				: msg('error.input.time_range'),
		);
	}
	return at;
}

export interface ExtendFields {
	lyrics?: string;
	style?: string;
	title?: string;
	instrumental?: boolean;
}

/**
 * The custom fields of an extension. With no new lyrics and the style left as it was, nothing is sent and the
 * provider carries the take on as it is (family B then inherits everything from the source). Otherwise the
 * title and style go along, because family B's custom extension requires both.
 */
export function extendFields(
	typed: { lyrics?: string | undefined; style?: string | undefined },
	source: { title: string; style?: string | undefined; instrumental: boolean },
): ExtendFields {
	const lyrics = typed.lyrics?.trim() || undefined;
	const style = typed.style?.trim() || undefined;
	const changedStyle = style !== undefined && style !== source.style?.trim();
	if (!lyrics && !changedStyle) return {};
	const keptStyle = style ?? source.style;
	return {
		title: source.title,
		...(lyrics ? { lyrics } : {}),
		...(keptStyle ? { style: keptStyle } : {}),
		...(!lyrics && source.instrumental ? { instrumental: true } : {}),
	};
}

/** Audio files people attach are handed to the provider by URL; this bounds what the bot accepts. */
export const UPLOAD_MAX_BYTES = 25 * 1024 * 1024;

const AUDIO_EXTENSIONS = /\.(mp3|wav|ogg|oga|opus|m4a|aac|flac)$/i;

/** Refuses files that are not audio, empty or too large; returns the file's name without its extension. */
export function checkAudioAttachment(file: { name: string; contentType: string | null; size: number }): string {
	const type = file.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
	const audio =
		type.startsWith('audio/') ||
		((type === '' || type === 'application/octet-stream') && AUDIO_EXTENSIONS.test(file.name));
	if (!audio) throw new UserError('upload.not-audio', msg('error.upload.not_audio', { name: file.name.slice(0, 80) }));
	if (file.size <= 0) throw new UserError('upload.empty', msg('error.upload.empty'));
	if (file.size > UPLOAD_MAX_BYTES)
		throw new UserError(
			'upload.too-large',
			msg('error.upload.too_large', {
				size: (file.size / 1024 / 1024).toFixed(1),
				max: UPLOAD_MAX_BYTES / 1024 / 1024,
			}),
		);
	return file.name.replace(/\.[^.]+$/, '').trim() || 'Uploaded audio';
}
