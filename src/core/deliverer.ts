import type { Logger } from '../log.ts';
import { AudioRefusedError } from './audio-refused.ts';
import type { AudioCache, TrackerMetrics } from './ports.ts';
import type { LocalAudio, TaskRecord } from './records.ts';
import { type TaskSink, TakeRefused } from './sink.ts';
import {
	attachFile,
	attemptsMade,
	beginDelivery,
	deliveryFailed,
	isDeliveryDue,
	markDelivered,
	type DeliveryRetry,
} from './takes.ts';
import type { Transition } from './task.ts';

/** How the deliverer reads and changes records: through the tracker, under its per-task lock. */
export interface RecordAccess {
	read(taskId: string): Promise<TaskRecord | undefined>;
	/** Applies a transition under the task's lock and commits it (save, notify). */
	mutate(taskId: string, change: (record: TaskRecord) => Transition | undefined): Promise<TaskRecord | undefined>;
	/** True when this process still looks after the task, checked right before anything reaches the channel. */
	confirm(taskId: string): Promise<boolean>;
}

export interface DelivererDeps {
	sink: TaskSink;
	audio: AudioCache;
	access: RecordAccess;
	log: Logger;
	metrics: TrackerMetrics;
	retry: DeliveryRetry;
	now: () => number;
	downloadTimeoutMs: number;
	/**
	 * Takes saved by another process may name a file on its disk: when true, the local copy is looked for (and
	 * downloaded when missing) even for takes that have a file.
	 */
	localFilesOnly?: boolean;
}

/** Failed downloads are retried this many times before a take is posted with the provider link instead. */
const DOWNLOAD_ATTEMPTS = 3;

/**
 * Posts finished takes, one task at a time per task: `posting` marker → local audio → (after a possible
 * earlier post) ask the channel → post → `delivered` marker.
 */
export function createDeliverer(deps: DelivererDeps) {
	const running = new Map<string, Promise<void>>();
	const again = new Set<string>();
	/**
	 * Takes whose `posting` marker this process saved with another change (`begun`) and has not tried to post yet:
	 * that attempt is counted already. After a restart the set is empty, so such a take is looked for in the
	 * channel first, as any take that may have been posted.
	 */
	const marked = new Set<string>();

	/**
	 * Posts one take. `begun` is the record when the write that marked the previous take delivered also marked
	 * this one `posting` (one write instead of two); the attempt is then already counted. Resolves with the
	 * record as saved once the take was marked delivered when that write also began `next` (it was due).
	 */
	async function deliverOne(
		taskId: string,
		clipId: string,
		begun: TaskRecord | undefined,
		next: string | undefined,
	): Promise<TaskRecord | undefined> {
		const { access, sink, log } = deps;
		let begunNext = false;
		const started =
			begun ??
			(await markedBefore(taskId, clipId)) ??
			(await access.mutate(taskId, (r) => ({ record: beginDelivery(r, clipId, deps.now()), events: [] })));
		let clip = started?.clips.find((c) => c.id === clipId);
		if (started === undefined || clip === undefined) return undefined;
		let record: TaskRecord = started;
		// A file downloaded now is saved with the outcome (the audio cache finds it again after a crash).
		let file: LocalAudio | undefined;
		const withFile = (r: TaskRecord) => (file ? attachFile(r, clipId, file, deps.now()) : r);
		const attempts = attemptsMade(clip);
		try {
			if (clip.audioUrl && (clip.file === undefined || deps.localFilesOnly)) {
				try {
					const downloaded = await deps.audio.ensure(
						taskId,
						clipId,
						clip.audioUrl,
						AbortSignal.timeout(deps.downloadTimeoutMs),
					);
					if (clip.file?.path !== downloaded.path) {
						record = attachFile(record, clipId, downloaded, deps.now());
						clip = record.clips.find((c) => c.id === clipId) ?? clip;
						file = downloaded;
					}
				} catch (error) {
					if (error instanceof AudioRefusedError) {
						// Refused for good (an address inside the network, not audio): no retry, and no link to it.
						log.warn({ err: error, taskId, clipId }, 'provider audio refused; posting the take without it');
						const { audioUrl: _refused, streamUrl: _stream, file: _file, ...rest } = clip;
						clip = { ...rest, audioRefused: error.reason };
					} else if (attempts < DOWNLOAD_ATTEMPTS) throw error;
					else
						log.warn({ err: error, taskId, clipId }, 'audio download failed again; posting the provider link instead');
					// A file another process saved is not on this disk (the cache found none here).
					if (deps.localFilesOnly && clip.file) {
						const { file: _elsewhere, ...linkOnly } = clip;
						clip = linkOnly;
					}
				}
			}
			// Another process may have taken the task over meanwhile: it posts the take, not us.
			if (!(await access.confirm(taskId))) {
				log.info({ taskId, clipId }, 'task lease lost before posting; the process holding it posts the take');
				return undefined;
			}
			if (attempts > 1) {
				const found = await sink.findDelivered(record, clip);
				if (found !== undefined) {
					await access.mutate(taskId, (r) => ({
						record: markDelivered(withFile(r), clipId, found, deps.now(), true),
						events: [],
					}));
					deps.metrics.delivered();
					log.info({ taskId, clipId, messageId: found }, 'take was already posted before a restart; marked');
					return undefined;
				}
			}
			// Confirmed again right before the request, after transcoding, which can take longer than a lease.
			const posted = await sink.deliver(record, clip, { confirm: () => access.confirm(taskId) });
			if (posted === undefined) {
				log.info({ taskId, clipId }, 'task lease lost while preparing the take; the process holding it posts it');
				return undefined;
			}
			const { messageId } = posted;
			// The next take's `posting` marker goes in the same write: after a crash it is looked for in the
			// channel before being posted, as any take that may have been posted is.
			const marked = await access.mutate(taskId, (r) => {
				const delivered = markDelivered(withFile(r), clipId, messageId, deps.now());
				const following = next === undefined ? undefined : delivered.clips.find((c) => c.id === next);
				const due = following !== undefined && isDeliveryDue(following, deps.now());
				begunNext = due;
				return { record: due ? beginDelivery(delivered, next!, deps.now()) : delivered, events: [] };
			});
			deps.metrics.delivered();
			log.info({ taskId, clipId, take: clip.take, messageId }, 'take delivered');
			return begunNext ? marked : undefined;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			const refused = error instanceof TakeRefused;
			log.warn({ err: error, taskId, clipId, attempts }, refused ? 'take refused by Discord' : 'take delivery failed');
			await access.mutate(taskId, (r) => deliveryFailed(withFile(r), clipId, message, deps.now(), deps.retry, refused));
			return undefined;
		}
	}

	/** The record, when this take's marker was saved by this process and no post of it was tried since. */
	async function markedBefore(taskId: string, clipId: string): Promise<TaskRecord | undefined> {
		if (!marked.delete(`${taskId}:${clipId}`)) return undefined;
		const record = await deps.access.read(taskId);
		const delivery = record?.clips.find((c) => c.id === clipId)?.delivery;
		return delivery?.status === 'posting' && delivery.attempts === 1 ? record : undefined;
	}

	async function drain(taskId: string): Promise<void> {
		do {
			again.delete(taskId);
			const record = await deps.access.read(taskId);
			const due = record?.clips.filter((c) => isDeliveryDue(c, deps.now())) ?? [];
			let begun: TaskRecord | undefined;
			for (const [i, clip] of due.entries()) {
				const next = due[i + 1]?.id;
				begun = await deliverOne(taskId, clip.id, begun, next);
			}
		} while (again.has(taskId));
	}

	return {
		/** Delivers the task's due takes now, or right after the run already in progress for it. */
		kick(taskId: string): void {
			if (running.has(taskId)) {
				again.add(taskId);
				return;
			}
			const run = drain(taskId)
				.catch((error: unknown) => deps.log.error({ err: error, taskId }, 'delivery run failed'))
				.finally(() => running.delete(taskId));
			running.set(taskId, run);
		},
		/** The take's `posting` marker (its first attempt) was saved with another change of the task. */
		begun(taskId: string, clipId: string): void {
			marked.add(`${taskId}:${clipId}`);
		},
		/** Resolves when no delivery is in progress. */
		async idle(): Promise<void> {
			while (running.size > 0) await Promise.all(running.values());
		},
	};
}

export type Deliverer = ReturnType<typeof createDeliverer>;
