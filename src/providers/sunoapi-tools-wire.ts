import { z } from 'zod';
import type { Clip, TaskKind, TaskSnapshot, TaskStatus } from '../core/provider.ts';
import { type Persona, type TimedWord, TOOL_NAMES, type ToolFlags } from '../core/studio.ts';
import { failureMeaning } from './failures.ts';
import { nonEmpty, toMs, toNumber, usableUrl } from './normalise.ts';

/**
 * Family B studio-tool shapes (suno-wire-formats.md §4.3, §4.6): WAV, vocal removal and MP4 tasks have their own
 * record-info with a `successFlag` and their own callbacks (no `callbackType`); style boost, timestamped lyrics and
 * persona answer at once. Everything is read leniently (snake_case or camelCase) and validated here.
 */

const str = z.string().nullish();
const numberish = z.union([z.number(), z.string()]).nullish();
export type ToolKind = Extract<TaskKind, 'split' | 'wav' | 'video'>;

export function isToolKind(kind: TaskKind | undefined): kind is ToolKind {
	return kind === 'split' || kind === 'wav' || kind === 'video';
}

/** Where each studio tool's task is asked about (§4.3). */
export const TOOL_RECORDS: Record<ToolKind, string> = {
	split: '/api/v1/vocal-removal/record-info',
	wav: '/api/v1/wav/record-info',
	video: '/api/v1/mp4/record-info',
};

/** Every studio tool is on unless SUNO_FEATURES turns it off (e.g. `-stems` where splits into stems cost too much). */
export function studioFlags(declared: ToolFlags): Required<ToolFlags> {
	return Object.fromEntries(TOOL_NAMES.map((name) => [name, declared[name] ?? true])) as Required<ToolFlags>;
}

/** The stem fields of a vocal-removal answer, in the order the parts are shown, with their names. */
const STEM_FIELDS: readonly [camel: string, snake: string, stem: string][] = [
	['vocalUrl', 'vocal_url', 'vocals'],
	['instrumentalUrl', 'instrumental_url', 'instrumental'],
	['backingVocalsUrl', 'backing_vocals_url', 'backing vocals'],
	['drumsUrl', 'drums_url', 'drums'],
	['bassUrl', 'bass_url', 'bass'],
	['guitarUrl', 'guitar_url', 'guitar'],
	['keyboardUrl', 'keyboard_url', 'keyboard'],
	['pianoUrl', 'piano_url', 'piano'],
	['percussionUrl', 'percussion_url', 'percussion'],
	['stringsUrl', 'strings_url', 'strings'],
	['synthUrl', 'synth_url', 'synth'],
	['fxUrl', 'fx_url', 'fx'],
	['brassUrl', 'brass_url', 'brass'],
	['woodwindsUrl', 'woodwinds_url', 'woodwinds'],
];

const urls = z.record(z.string(), z.unknown());

export const toolRecord = z.object({
	taskId: str,
	musicId: str,
	response: urls.nullish(),
	successFlag: z.union([z.string(), z.number()]).nullish(),
	errorCode: numberish,
	errorMessage: str,
	createTime: numberish,
	completeTime: numberish,
});
export type ToolRecord = z.output<typeof toolRecord>;

export const toolCallback = z.object({
	code: numberish,
	msg: str,
	data: z
		.object({
			task_id: str,
			taskId: str,
			audioWavUrl: str,
			audio_wav_url: str,
			video_url: str,
			videoUrl: str,
			vocal_removal_info: urls.nullish(),
		})
		.passthrough(),
});

/** The parts of a split: one clip per stem URL the provider filled in (null fields are parts it did not make). */
function stemClips(fields: Record<string, unknown>): Clip[] {
	return STEM_FIELDS.flatMap(([camel, snake, stem]) => {
		const url = usableUrl(fields[camel]) ?? usableUrl(fields[snake]);
		// Ids only need to be unique within the task (delivery markers add the task id): short, no spaces.
		const id = `stem-${stem.replace(/\s+/g, '-')}`;
		return url ? [{ id, stem, title: stem, state: 'complete' as const, audioUrl: url }] : [];
	});
}

function resultClips(kind: ToolKind, fields: Record<string, unknown>): Clip[] {
	if (kind === 'split') return stemClips(fields);
	if (kind === 'wav') {
		const url = usableUrl(fields.audioWavUrl) ?? usableUrl(fields.audio_wav_url);
		return url ? [{ id: 'wav', title: 'WAV', state: 'complete', audioUrl: url }] : [];
	}
	const url = usableUrl(fields.videoUrl) ?? usableUrl(fields.video_url);
	return url ? [{ id: 'video', title: 'video', state: 'complete', videoUrl: url }] : [];
}

const FAILED_FLAGS = /FAIL|EXCEPTION|ERROR/i;

function withFailure(snapshot: TaskSnapshot, code: unknown, status: string | undefined, text: string | undefined) {
	if (snapshot.status !== 'failed') return snapshot;
	const meaning = failureMeaning(code, status);
	const reason = meaning?.reason ?? text;
	if (reason !== undefined) snapshot.failureReason = reason;
	if (meaning?.kind !== undefined) snapshot.failureKind = meaning.kind;
	if (meaning?.refunded) snapshot.providerRefunded = true;
	return snapshot;
}

/** GET /api/v1/{wav,vocal-removal,mp4}/record-info `data` → snapshot. */
export function snapshotFromToolRecord(kind: ToolKind, taskId: string, record: ToolRecord): TaskSnapshot {
	const flag = String(record.successFlag ?? 'PENDING').toUpperCase();
	const clips = resultClips(kind, record.response ?? {});
	let status: TaskStatus = 'queued';
	if (FAILED_FLAGS.test(flag)) status = 'failed';
	else if (flag === 'SUCCESS') status = clips.length > 0 ? 'succeeded' : 'failed';
	const snapshot: TaskSnapshot = { taskId, kind, status, clips };
	const submittedAt = toMs(record.createTime);
	if (submittedAt !== undefined) snapshot.submittedAt = submittedAt;
	const finishedAt = toMs(record.completeTime);
	if (finishedAt !== undefined && status !== 'queued') snapshot.finishedAt = finishedAt;
	const text = nonEmpty(record.errorMessage) ?? (flag === 'SUCCESS' ? 'the provider sent no file' : flag);
	return withFailure(snapshot, record.errorCode, flag, text);
}

/**
 * A WAV, vocal-removal or MP4 callback → snapshot, or undefined when the body is none of them. The callbacks
 * do not say which tool they are about except by their fields, so a failure is told apart by `expected` (the
 * kind the stored task has) and only otherwise guessed from the fields.
 */
export function snapshotFromToolCallback(
	body: z.output<typeof toolCallback>,
	expected?: ToolKind,
): TaskSnapshot | undefined {
	const { data } = body;
	const taskId = nonEmpty(data.task_id) ?? nonEmpty(data.taskId);
	if (taskId === undefined) return undefined;
	const info = data.vocal_removal_info;
	// A failure callback carries the tool's result field empty (null), so the field names tell the tool.
	const has = (...keys: string[]) => keys.some((key) => key in data);
	const guessed: ToolKind | undefined = has('vocal_removal_info')
		? 'split'
		: has('audioWavUrl', 'audio_wav_url')
			? 'wav'
			: has('video_url', 'videoUrl')
				? 'video'
				: undefined;
	const kind = expected ?? guessed;
	if (kind === undefined) return undefined;
	const code = toNumber(body.code);
	const clips = resultClips(kind, kind === 'split' ? (info ?? {}) : data);
	const failed = (code !== undefined && code !== 200) || clips.length === 0;
	const snapshot: TaskSnapshot = { taskId, kind, status: failed ? 'failed' : 'succeeded', clips: failed ? [] : clips };
	return withFailure(snapshot, code, undefined, nonEmpty(body.msg));
}

/** POST /api/v1/style/generate `data`: the boosted style is `result`; successFlag "1" is done, "2" failed. */
export const styleBoost = z.object({
	taskId: str,
	param: str,
	result: str,
	successFlag: z.union([z.string(), z.number()]).nullish(),
	errorMessage: str,
});

export const timestampedLyrics = z.object({
	alignedWords: z
		.array(z.object({ word: z.string(), success: z.boolean().nullish(), startS: numberish, endS: numberish }))
		.nullish(),
});

export function wordsOf(data: z.output<typeof timestampedLyrics>): TimedWord[] {
	return (data.alignedWords ?? []).flatMap((w) => {
		const startSec = toNumber(w.startS);
		const endSec = toNumber(w.endS);
		if (startSec === undefined || endSec === undefined || w.success === false) return [];
		return [{ word: w.word, startSec, endSec }];
	});
}

export const personaAnswer = z.object({ personaId: z.string().min(1), name: str, description: str });

export function personaOf(data: z.output<typeof personaAnswer>, asked: { name: string; description: string }): Persona {
	return {
		id: data.personaId,
		name: nonEmpty(data.name) ?? asked.name,
		description: data.description ?? asked.description,
	};
}
