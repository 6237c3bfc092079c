import type { ClipPhase, FakeEngine } from './engine.ts';
import type { FakeServer } from './server.ts';
import type { FakeClip, FakeTask, NewApiMode, Stage } from './types.ts';

/** Family A task and clip bodies per flavour (suno-wire-formats.md §3.6–3.8, §5). */

const A_STATUS: Record<Stage, string> = {
	submitted: 'NOT_START',
	queued: 'SUBMITTED',
	text: 'QUEUED',
	streaming: 'IN_PROGRESS',
	first: 'IN_PROGRESS',
	done: 'SUCCESS',
	failed: 'FAILURE',
};
const B_STATUS: Record<Stage, string> = {
	submitted: 'PENDING',
	queued: 'PENDING',
	text: 'TEXT_SUCCESS',
	streaming: 'TEXT_SUCCESS',
	first: 'FIRST_SUCCESS',
	done: 'SUCCESS',
	failed: 'GENERATE_AUDIO_FAILED',
};
const MAJOR: Record<string, string> = {
	'chirp-v3-0': 'v3',
	'chirp-v3-5': 'v3.5',
	'chirp-v4': 'v4',
	'chirp-auk': 'v4.5',
	'chirp-bluejay': 'v4.5+',
	'chirp-auk-turbo': 'v4.5-all',
	'chirp-crow': 'v5',
	'chirp-v5': 'v5',
	'chirp-fenix': 'v5.5',
};
const ACTION: Record<FakeTask['kind'], string> = {
	music: 'MUSIC',
	lyrics: 'LYRICS',
	upload: 'UPLOAD',
	concat: 'CONCAT',
	// Family A has no studio tools: these kinds never reach this fake.
	split: 'SPLIT',
	wav: 'WAV',
	video: 'VIDEO',
};

export class NewApiRenderer {
	readonly #engine: FakeEngine;
	readonly #server: FakeServer;
	readonly #mode: NewApiMode;

	constructor(engine: FakeEngine, server: FakeServer, mode: NewApiMode) {
		this.#engine = engine;
		this.#server = server;
		this.#mode = mode;
	}

	status(task: FakeTask): string {
		if (this.#mode !== 'hybrid') return A_STATUS[task.stage];
		if (task.stage === 'done' && task.outcome === 'callback_exception') return 'CALLBACK_EXCEPTION';
		if (task.stage === 'failed' && task.failure?.policy) return 'SENSITIVE_WORD_ERROR';
		return B_STATUS[task.stage];
	}

	/** The TaskDto (new-api, one-hub, resellers, hybrid) or a Suno-API batch row. */
	task(task: FakeTask): Record<string, unknown> {
		const hybrid = this.#mode === 'hybrid';
		// Hybrid mixes units: createTime-derived values and finish_time in ms (§5); everyone else seconds.
		const time = (ms: number | undefined) => (ms === undefined ? 0 : hybrid ? ms : Math.floor(ms / 1000));
		const terminal = task.stage === 'done' || task.stage === 'failed';
		const dto: Record<string, unknown> = {
			task_id: task.id,
			action: ACTION[task.kind],
			status: this.status(task),
			fail_reason: task.failure?.reason ?? '',
			submit_time: time(task.createdAt),
			start_time: hybrid ? time(task.createdAt) : time(task.startedAt),
			finish_time: time(task.finishedAt),
			progress: terminal ? '100%' : '0%',
			data: this.data(task),
		};
		if (this.#mode === 'sunoapi-go') {
			delete dto.progress;
			Object.assign(dto, {
				id: [...this.#engine.tasks.keys()].indexOf(task.id) + 1,
				search_item: task.clips.map((c) => c.id).join(','),
				created_at: new Date(task.createdAt).toISOString(),
				updated_at: new Date().toISOString(),
			});
		} else {
			Object.assign(dto, { platform: 'suno', user_id: 1, quota: 0, properties: { origin_model_name: task.model } });
		}
		if (this.#mode === 'reseller' && task.callbackUrl) dto.notify_hook = task.callbackUrl;
		return dto;
	}

	/** The task's `data`: clips, a lyrics object (array at resellers), or null before the first poll. */
	data(task: FakeTask): unknown {
		if (task.kind === 'lyrics') {
			if (task.stage !== 'done' || !task.lyrics) return null;
			const [first] = task.lyrics;
			if (this.#mode === 'reseller') {
				return task.lyrics.map((l, i) => ({ id: `${task.id}-${i}`, status: 'complete', title: l.title, text: l.text }));
			}
			return { id: `${task.id}-lyrics`, status: 'complete', title: first?.title ?? '', text: first?.text ?? '' };
		}
		// new-api stores nothing before its first upstream poll; Suno-API keeps the clips from submit.
		if (task.stage === 'submitted' && this.#mode !== 'sunoapi-go') return null;
		if (this.#mode === 'hybrid') {
			if (task.stage === 'queued' || task.stage === 'submitted') return [];
			return task.clips.map((clip) => this.#camelClip(task, clip));
		}
		return task.clips.map((clip) => this.#rawClip(task, clip));
	}

	#rawClip(task: FakeTask, clip: FakeClip): Record<string, unknown> {
		const phase = this.#engine.phase(task, clip);
		const origin = this.#server.origin;
		const status = {
			pending: task.stage === 'submitted' ? 'submitted' : 'queued',
			text: 'queued',
			streaming: 'streaming',
			complete: 'complete',
			error: 'error',
		}[phase];
		const audio =
			phase === 'streaming'
				? `${origin}/audiopipe/?item_id=${clip.id}`
				: phase === 'complete'
					? this.#server.fileUrl(clip, 'mp3')
					: phase === 'error'
						? `${origin}/files/None.mp3`
						: '';
		const image = phase === 'streaming' || phase === 'complete' ? this.#server.fileUrl(clip, 'png') : '';
		const policy = task.failure?.policy === true;
		const raw: Record<string, unknown> = {
			id: clip.id,
			title: phase === 'pending' ? '' : clip.title,
			status,
			audio_url: audio,
			video_url: '',
			image_url: image,
			image_large_url: image,
			is_video_pending: false,
			major_model_version: MAJOR[task.model] ?? 'v3',
			model_name: 'chirp-v3',
			created_at: new Date(clip.createdAt).toISOString(),
			metadata: {
				tags: clip.tags,
				prompt: phase === 'pending' ? '' : clip.lyrics,
				type: clip.type,
				duration: phase === 'complete' ? clip.durationSec : null,
				error_type: phase === 'error' ? (policy ? 'moderation' : 'generation') : null,
				error_message: phase === 'error' ? (task.failure?.reason ?? 'error') : null,
				...(clip.type === 'concat' && task.sourceClipId
					? { concat_history: [{ id: task.sourceClipId, continue_at: 0, type: 'gen', source: 'web', infill: false }] }
					: {}),
			},
		};
		if (this.#mode === 'reseller') {
			const state: Record<ClipPhase, string> = {
				pending: 'pending',
				text: 'pending',
				streaming: 'running',
				complete: 'succeeded',
				error: 'failed',
			};
			Object.assign(raw, {
				state: state[phase],
				clip_id: clip.id,
				task_id: `${task.id}_${clip.index + 1}`,
				mv: task.model,
				tags: clip.tags,
				prompt: phase === 'pending' ? '' : clip.lyrics,
				// Some resellers send the duration as a string (§3.7).
				duration: phase === 'complete' ? clip.durationSec.toFixed(2) : null,
				create_time: clip.createdAt,
			});
		}
		return raw;
	}

	#camelClip(task: FakeTask, clip: FakeClip): Record<string, unknown> {
		const phase = this.#engine.phase(task, clip);
		const complete = phase === 'complete';
		return {
			id: clip.id,
			audioUrl: complete ? this.#server.fileUrl(clip, 'mp3') : '',
			streamAudioUrl: phase === 'streaming' || complete ? this.#server.fileUrl(clip, 'stream') : '',
			imageUrl: phase === 'streaming' || complete ? this.#server.fileUrl(clip, 'png') : '',
			prompt: clip.lyrics,
			modelName: 'chirp-v3-5',
			title: clip.title,
			tags: clip.tags,
			createTime: clip.createdAt,
			...(complete ? { duration: clip.durationSec } : {}),
		};
	}
}
