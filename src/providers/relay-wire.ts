import { z } from 'zod';
import type { Clip, LyricsResult, TaskKind, TaskSnapshot } from '../core/provider.ts';
import { failureMeaning } from './failures.ts';
import {
	clipStateFromUrls,
	clipStateFromWords,
	deriveTaskStatus,
	failureKindFromText,
	kindFromAction,
	nonEmpty,
	parseProgress,
	toMs,
	toNumber,
	usableUrl,
} from './normalise.ts';

/**
 * Wire shapes of the relay task (family A's TaskDto, which family C copies) and their mapping to
 * the normalised snapshot. Clips may be raw snake_case Suno clips, flattened reseller clips, or the
 * camelCase clips of the hybrid new-api-in-front-of-sunoapi.org channel (§3.6, §3.7, §5, §6).
 */

const str = z.string().nullish();
const numberish = z.union([z.number(), z.string()]).nullish();

/** `{code, message, data}`: success ⇔ code === "success". */
export const relayEnvelope = z.object({
	code: z.union([z.string(), z.number()]).nullish(),
	message: z.string().nullish(),
	data: z.unknown(),
});

const metadata = z.object({
	tags: str,
	prompt: str,
	duration: numberish,
	type: str,
	error_type: str,
	error_message: str,
});

export const relayClip = z.object({
	id: str,
	clip_id: str,
	title: str,
	status: str,
	state: str,
	audio_url: str,
	audioUrl: str,
	stream_audio_url: str,
	streamAudioUrl: str,
	image_url: str,
	imageUrl: str,
	image_large_url: str,
	video_url: str,
	model_name: str,
	modelName: str,
	created_at: numberish,
	createTime: numberish,
	create_time: numberish,
	tags: str,
	prompt: str,
	text: str,
	duration: numberish,
	metadata: metadata.nullish(),
});
type RelayClip = z.output<typeof relayClip>;

export const relayTask = z.object({
	task_id: z.string().min(1),
	action: str,
	status: str,
	fail_reason: str,
	submit_time: numberish,
	start_time: numberish,
	finish_time: numberish,
	progress: numberish,
	data: z.unknown(),
});
export type RelayTask = z.output<typeof relayTask>;

const lyricsObject = z.object({ id: str, status: str, title: str, text: z.string() });

/** The legacy family-C body: `{created, data: [{id, url, audio_url, lyrics, cover_url, ...}]}` (§6.2). */
export const legacyBody = z.object({
	created: numberish,
	data: z.array(
		z.object({
			id: z.string(),
			url: str,
			audio_url: str,
			lyrics: str,
			title: str,
			cover_url: str,
			duration: numberish,
			tags: str,
			model: str,
		}),
	),
});

export function clipFromRelay(raw: RelayClip, index: number): Clip {
	const md = raw.metadata ?? {};
	const camelAudio = usableUrl(raw.audioUrl);
	const camelStream = nonEmpty(raw.streamAudioUrl ?? raw.stream_audio_url);
	const snakeAudio = usableUrl(raw.audio_url);
	// The raw Suno clip's status decides what audio_url means (§3.7): stream while streaming, final when complete.
	const state = clipStateFromWords(raw.status, raw.state) ?? clipStateFromUrls(camelAudio ?? snakeAudio, camelStream);
	const clip: Clip = { id: nonEmpty(raw.id) ?? nonEmpty(raw.clip_id) ?? `clip-${index + 1}`, state };
	const set = <K extends keyof Clip>(key: K, value: Clip[K] | undefined) => {
		if (value !== undefined) clip[key] = value;
	};
	set('title', nonEmpty(raw.title));
	set('tags', nonEmpty(md.tags) ?? nonEmpty(raw.tags));
	set('lyrics', nonEmpty(md.prompt) ?? nonEmpty(raw.prompt) ?? nonEmpty(raw.text));
	if (state === 'complete') set('audioUrl', camelAudio ?? snakeAudio);
	set('streamUrl', camelStream ?? (state === 'streaming' ? snakeAudio : undefined));
	set('imageUrl', nonEmpty(raw.imageUrl) ?? nonEmpty(raw.image_url));
	set('imageLargeUrl', nonEmpty(raw.image_large_url));
	set('videoUrl', nonEmpty(raw.video_url));
	const duration = toNumber(md.duration) ?? toNumber(raw.duration);
	set('durationSec', duration !== undefined && duration > 0 ? duration : undefined);
	set('modelName', nonEmpty(raw.model_name) ?? nonEmpty(raw.modelName));
	set('createdAt', toMs(raw.created_at) ?? toMs(raw.createTime) ?? toMs(raw.create_time));
	set('errorMessage', state === 'error' ? (nonEmpty(md.error_message) ?? nonEmpty(md.error_type)) : undefined);
	return clip;
}

/** `data` as clips, as lyrics, or neither: clip array, lyrics object, lyrics-like array, null or []. */
export function relayData(data: unknown): { clips: Clip[]; lyrics?: LyricsResult[]; errorTypes: string[] } {
	const lyricsObj = lyricsObject.safeParse(data);
	if (lyricsObj.success) {
		const failed = /fail|error/i.test(lyricsObj.data.status ?? '');
		return {
			clips: [],
			errorTypes: [],
			...(failed ? {} : { lyrics: [{ title: lyricsObj.data.title ?? '', text: lyricsObj.data.text }] }),
		};
	}
	if (!Array.isArray(data)) return { clips: [], errorTypes: [] };
	const rows = data.map((item) => relayClip.safeParse(item)).flatMap((r) => (r.success ? [r.data] : []));
	const errorTypes = rows.flatMap((r) =>
		[r.metadata?.error_type, r.metadata?.error_message].flatMap((t) => (t ? [t] : [])),
	);
	// A lyrics task whose data is an array (one reseller): items carry text but no audio at all.
	const lyricsLike =
		rows.length > 0 && rows.every((r) => nonEmpty(r.text) !== undefined && !r.audio_url && !r.audioUrl);
	if (lyricsLike)
		return { clips: [], errorTypes, lyrics: rows.map((r) => ({ title: r.title ?? '', text: r.text ?? '' })) };
	return { clips: rows.map(clipFromRelay), errorTypes };
}

/**
 * One relay task → snapshot. `knownKind` is what the caller submitted (polls); callbacks pass
 * undefined and the kind is read from `action` and the data. `realProgress` is false for family A,
 * whose progress is "0%" until it jumps to "100%" (§3.6): reporting that would show a bar stuck at zero.
 */
export function snapshotFromRelay(
	task: RelayTask,
	knownKind: TaskKind | undefined,
	realProgress: boolean,
): TaskSnapshot {
	const { clips, lyrics, errorTypes } = relayData(task.data);
	const kind = knownKind ?? kindFromAction(task.action, lyrics !== undefined ? 'lyrics' : 'music');
	const status = deriveTaskStatus(
		task.status,
		clips.map((c) => c.state),
	);
	const snapshot: TaskSnapshot = { taskId: task.task_id, kind, status, clips };
	if (lyrics !== undefined) snapshot.lyrics = lyrics;
	const progress = parseProgress(task.progress);
	if (progress !== undefined && (realProgress || (progress > 0 && progress < 100))) snapshot.progressPct = progress;
	const submittedAt = toMs(task.submit_time);
	if (submittedAt !== undefined) snapshot.submittedAt = submittedAt;
	const finishedAt = toMs(task.finish_time);
	if (finishedAt !== undefined && (status === 'succeeded' || status === 'failed')) snapshot.finishedAt = finishedAt;
	if (status === 'failed') {
		// new-api in front of sunoapi.org passes family B's failure statuses through (§5).
		const meaning = failureMeaning(undefined, task.status);
		const reason =
			meaning?.reason ??
			nonEmpty(task.fail_reason) ??
			clips.find((c) => c.errorMessage)?.errorMessage ??
			nonEmpty(task.status);
		if (reason !== undefined) snapshot.failureReason = reason;
		const failureKind = meaning?.kind ?? failureKindFromText(task.fail_reason, task.status, ...errorTypes);
		if (failureKind !== undefined) snapshot.failureKind = failureKind;
	}
	return snapshot;
}

/** Suno-API's GET /suno/fetch/{id} answers with the bare `data` (clips or lyrics), not the task (§3.5). */
export function snapshotFromBareData(taskId: string, data: unknown, kind: TaskKind): TaskSnapshot {
	const { clips, lyrics } = relayData(data);
	// Its own derivation (§3.6): the clips' common status, a complete one yielding to the other.
	const states = clips.map((c) => c.state);
	const raw = states.includes('error')
		? 'FAILURE'
		: states.length > 0 && states.every((s) => s === 'complete')
			? 'SUCCESS'
			: lyrics !== undefined
				? 'SUCCESS'
				: 'IN_PROGRESS';
	return snapshotFromRelay({ task_id: taskId, status: raw, data }, kind, false);
}

/** Legacy family-C body → snapshot; its item ids are the task id (`task_…`). */
export function snapshotFromLegacy(body: z.output<typeof legacyBody>): TaskSnapshot {
	const distinct = new Set(body.data.map((item) => item.id)).size === body.data.length;
	const clips: Clip[] = body.data.map((item, index) =>
		clipFromRelay(
			{
				id: distinct ? item.id : `${item.id}-${index + 1}`,
				title: item.title,
				audioUrl: item.audio_url ?? item.url,
				imageUrl: item.cover_url,
				prompt: item.lyrics,
				tags: item.tags,
				duration: item.duration,
				modelName: item.model,
			},
			index,
		),
	);
	const status = deriveTaskStatus(
		clips.every((c) => c.state === 'complete') ? 'SUCCESS' : 'PROCESSING',
		clips.map((c) => c.state),
	);
	const snapshot: TaskSnapshot = { taskId: body.data[0]?.id ?? '', kind: 'music', status, clips };
	const created = toMs(body.created);
	if (created !== undefined) snapshot.submittedAt = created;
	return snapshot;
}
