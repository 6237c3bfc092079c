import { z } from 'zod';
import type { ProviderErrorKind } from '../core/errors.ts';
import type { Clip, LyricsResult, TaskKind, TaskSnapshot, TaskStatus } from '../core/provider.ts';
import { failureMeaning } from './failures.ts';
import { clipStateFromUrls, deriveTaskStatus, failureKindFromText, nonEmpty, toMs, toNumber } from './normalise.ts';

/**
 * Family B (sunoapi.org and clones) wire shapes: record-info in camelCase with `taskId`, callbacks in
 * snake_case with `task_id` (or `taskId` for lyrics), lyrics under `data` or `lyricsData` (§4.4–4.6).
 */

const str = z.string().nullish();
const numberish = z.union([z.number(), z.string()]).nullish();

export const sunoEnvelope = z.object({ code: numberish, msg: str, message: str, data: z.unknown() });

const sunoItem = z.object({
	id: str,
	audioUrl: str,
	audio_url: str,
	streamAudioUrl: str,
	stream_audio_url: str,
	imageUrl: str,
	image_url: str,
	prompt: str,
	modelName: str,
	model_name: str,
	title: str,
	tags: str,
	createTime: numberish,
	create_time: numberish,
	duration: numberish,
});

const lyricsItem = z.object({ text: str, title: str, status: str, errorMessage: str, error_message: str });

export const recordInfo = z.object({
	taskId: str,
	parentMusicId: str,
	response: z
		.object({
			sunoData: z.array(z.unknown()).nullish(),
			data: z.array(z.unknown()).nullish(),
			lyricsData: z.array(z.unknown()).nullish(),
		})
		.nullish(),
	status: str,
	errorCode: numberish,
	errorMessage: str,
	createTime: numberish,
});
export type RecordInfo = z.output<typeof recordInfo>;

export const callbackBody = z.object({
	code: numberish,
	msg: str,
	data: z.object({
		callbackType: str,
		task_id: str,
		taskId: str,
		data: z.array(z.unknown()).nullish(),
		error: str,
	}),
});

function parseAll<T>(schema: z.ZodType<T>, items: readonly unknown[] | null | undefined): T[] {
	return (items ?? []).flatMap((item) => {
		const result = schema.safeParse(item);
		return result.success ? [result.data] : [];
	});
}

export function clipFromSuno(item: z.output<typeof sunoItem>, index: number): Clip {
	const audioUrl = nonEmpty(item.audioUrl) ?? nonEmpty(item.audio_url);
	const streamUrl = nonEmpty(item.streamAudioUrl) ?? nonEmpty(item.stream_audio_url);
	const clip: Clip = { id: nonEmpty(item.id) ?? `clip-${index + 1}`, state: clipStateFromUrls(audioUrl, streamUrl) };
	const values: { [K in keyof Clip]?: Clip[K] | undefined } = {
		title: nonEmpty(item.title),
		tags: nonEmpty(item.tags),
		lyrics: nonEmpty(item.prompt),
		audioUrl,
		streamUrl,
		imageUrl: nonEmpty(item.imageUrl) ?? nonEmpty(item.image_url),
		durationSec: toNumber(item.duration),
		modelName: nonEmpty(item.modelName) ?? nonEmpty(item.model_name),
		createdAt: toMs(item.createTime) ?? toMs(item.create_time),
	};
	for (const [key, value] of Object.entries(values)) {
		if (value !== undefined) Object.assign(clip, { [key]: value });
	}
	return clip;
}

function lyricsOf(items: readonly z.output<typeof lyricsItem>[]): { lyrics: LyricsResult[]; errors: string[] } {
	const ok = items.filter((i) => !/fail|error/i.test(i.status ?? '') && nonEmpty(i.text) !== undefined);
	const errors = items.flatMap((i) =>
		[i.errorMessage, i.error_message].flatMap((e) => (nonEmpty(e) ? [e as string] : [])),
	);
	return { lyrics: ok.map((i) => ({ title: i.title ?? '', text: i.text ?? '' })), errors };
}

/**
 * Sets the failure of a failed snapshot: a documented code or status gives its own words (the provider's
 * text is kept for the logs after them); anything else keeps the provider's text and the kind read from it.
 */
function failure(
	snapshot: TaskSnapshot,
	reason: string | undefined,
	kind: ProviderErrorKind | undefined,
	documented?: { code: unknown; status: string | null | undefined },
): void {
	if (snapshot.status !== 'failed') return;
	const meaning = documented ? failureMeaning(documented.code, documented.status) : undefined;
	const text = meaning ? meaning.reason : reason;
	if (text !== undefined) snapshot.failureReason = text;
	const finalKind = meaning?.kind ?? kind;
	if (finalKind !== undefined) snapshot.failureKind = finalKind;
	if (meaning?.refunded) snapshot.providerRefunded = true;
}

/** GET …/record-info `data` → snapshot (music or lyrics by the caller's kind). */
export function snapshotFromRecord(taskId: string, record: RecordInfo, kind: TaskKind): TaskSnapshot {
	const response = record.response;
	const rawStatus = record.status;
	if (kind === 'lyrics') {
		const { lyrics, errors } = lyricsOf(parseAll(lyricsItem, response?.data ?? response?.lyricsData));
		const status = deriveTaskStatus(rawStatus, []);
		const snapshot: TaskSnapshot = {
			taskId,
			kind,
			status: status === 'succeeded' && lyrics.length === 0 ? 'failed' : status,
			clips: [],
		};
		if (lyrics.length > 0) snapshot.lyrics = lyrics;
		const reason = nonEmpty(record.errorMessage) ?? errors[0] ?? nonEmpty(rawStatus);
		failure(snapshot, reason, failureKindFromText(rawStatus, record.errorMessage, ...errors), {
			code: record.errorCode,
			status: rawStatus,
		});
		return snapshot;
	}
	const clips = parseAll(sunoItem, response?.sunoData).map(clipFromSuno);
	const status = deriveTaskStatus(
		rawStatus,
		clips.map((c) => c.state),
	);
	const snapshot: TaskSnapshot = { taskId, kind, status, clips };
	const submittedAt = toMs(record.createTime);
	if (submittedAt !== undefined) snapshot.submittedAt = submittedAt;
	failure(
		snapshot,
		nonEmpty(record.errorMessage) ?? nonEmpty(rawStatus),
		failureKindFromText(rawStatus, record.errorMessage),
		{ code: record.errorCode, status: rawStatus },
	);
	return snapshot;
}

const STAGE_STATUS: Record<string, TaskStatus> = { text: 'running', first: 'partial', complete: 'succeeded' };

/**
 * A callback body → snapshot holding only what the callback knows (no progress, no submit time):
 * the tracker merges it with what polling learnt.
 */
export function snapshotFromCallback(body: z.output<typeof callbackBody>): TaskSnapshot | undefined {
	const { data } = body;
	const taskId = nonEmpty(data.task_id) ?? nonEmpty(data.taskId);
	// WAV, vocal-removal and cover-art callbacks carry no callbackType: they are not song tasks.
	if (taskId === undefined || nonEmpty(data.callbackType) === undefined) return undefined;
	const code = toNumber(body.code);
	const stage = (data.callbackType ?? '').toLowerCase();
	const rawItems = data.data ?? [];
	const failed = stage === 'error' || stage === 'failed' || (code !== undefined && code !== 200);
	const isLyrics =
		rawItems.length > 0 &&
		rawItems.every(
			(i) => typeof i === 'object' && i !== null && 'text' in i && !('audio_url' in i) && !('stream_audio_url' in i),
		);
	if (isLyrics) {
		const { lyrics, errors } = lyricsOf(parseAll(lyricsItem, rawItems));
		const status: TaskStatus = failed || lyrics.length === 0 ? 'failed' : (STAGE_STATUS[stage] ?? 'running');
		const snapshot: TaskSnapshot = { taskId, kind: 'lyrics', status, clips: [] };
		if (lyrics.length > 0) snapshot.lyrics = lyrics;
		failure(snapshot, errors[0] ?? nonEmpty(body.msg), failureKindFromText(...errors), { code, status: undefined });
		return snapshot;
	}
	const clips = parseAll(sunoItem, rawItems).map(clipFromSuno);
	const status: TaskStatus = failed ? 'failed' : (STAGE_STATUS[stage] ?? 'running');
	const snapshot: TaskSnapshot = { taskId, kind: 'music', status, clips };
	failure(snapshot, nonEmpty(data.error) ?? nonEmpty(body.msg), failureKindFromText(data.error, body.msg), {
		code,
		status: undefined,
	});
	return snapshot;
}
