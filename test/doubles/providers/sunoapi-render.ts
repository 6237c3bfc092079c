import type { FakeEngine } from './engine.ts';
import type { FakeServer } from './server.ts';
import type { FakeClip, FakeTask, Stage, SunoApiMode } from './types.ts';

/** Family B record-info and callback bodies (suno-wire-formats.md §4.4–4.6). */

const MUSIC_STATUS: Record<Stage, string> = {
	submitted: 'PENDING',
	queued: 'PENDING',
	text: 'TEXT_SUCCESS',
	streaming: 'TEXT_SUCCESS',
	first: 'FIRST_SUCCESS',
	done: 'SUCCESS',
	failed: 'GENERATE_AUDIO_FAILED',
};
const OPERATION: Record<string, string> = {
	generate: 'generate',
	extend: 'extend',
	cover: 'upload_cover',
	'upload-extend': 'upload_extend',
};

export class SunoApiRenderer {
	readonly #engine: FakeEngine;
	readonly #server: FakeServer;
	readonly #mode: SunoApiMode;

	constructor(engine: FakeEngine, server: FakeServer, mode: SunoApiMode) {
		this.#engine = engine;
		this.#server = server;
		this.#mode = mode;
	}

	status(task: FakeTask): string {
		if (task.stage === 'failed') {
			if (task.failure?.status) return task.failure.status;
			if (task.failure?.policy) return 'SENSITIVE_WORD_ERROR';
			return task.kind === 'lyrics' ? 'GENERATE_LYRICS_FAILED' : 'GENERATE_AUDIO_FAILED';
		}
		if (task.stage === 'done' && task.outcome === 'callback_exception') return 'CALLBACK_EXCEPTION';
		if (task.kind === 'lyrics') return task.stage === 'done' ? 'SUCCESS' : 'PENDING';
		return MUSIC_STATUS[task.stage];
	}

	/** record-info `data`: camelCase items, ms createTime, `param` as a JSON string. */
	record(task: FakeTask): Record<string, unknown> {
		const failed = task.stage === 'failed';
		const base = {
			taskId: task.id,
			param: JSON.stringify(task.request),
			status: this.status(task),
			errorCode: failed ? (task.failure?.code ?? (task.failure?.policy ? 400 : 500)) : null,
			errorMessage: failed ? (task.failure?.reason ?? null) : null,
			createTime: task.createdAt,
		};
		if (task.kind === 'lyrics') {
			const key = this.#mode === 'kie' ? 'lyricsData' : 'data';
			const items = task.stage === 'done' ? this.#lyricsItems(task, 'camel') : null;
			return { ...base, type: 'LYRICS', response: items ? { taskId: task.id, [key]: items } : null };
		}
		const early = task.stage === 'submitted' || task.stage === 'queued';
		const hasItems = !early && !(failed && !task.failure?.partial);
		return {
			...base,
			parentMusicId: task.sourceClipId ?? '',
			type: 'GENERATE',
			operationType: OPERATION[task.op] ?? 'generate',
			response: hasItems ? { taskId: task.id, sunoData: task.clips.map((c) => this.item(task, c, 'camel')) } : null,
		};
	}

	item(task: FakeTask, clip: FakeClip, style: 'camel' | 'snake'): Record<string, unknown> {
		const phase = this.#engine.phase(task, clip);
		const complete = phase === 'complete';
		const audible = complete || phase === 'streaming';
		const mp3 = complete ? this.#server.fileUrl(clip, 'mp3') : '';
		const stream = audible ? this.#server.fileUrl(clip, 'stream') : '';
		const image = audible ? this.#server.fileUrl(clip, 'png') : '';
		const values: [string, string, unknown][] = [
			['id', 'id', clip.id],
			['audioUrl', 'audio_url', mp3],
			['sourceAudioUrl', 'source_audio_url', mp3],
			['streamAudioUrl', 'stream_audio_url', stream],
			['sourceStreamAudioUrl', 'source_stream_audio_url', stream],
			['imageUrl', 'image_url', image],
			['sourceImageUrl', 'source_image_url', image],
			['prompt', 'prompt', clip.lyrics],
			// Docs examples answer chirp-v3-5 whatever was requested (§7.1 QUIRK).
			['modelName', 'model_name', 'chirp-v3-5'],
			['title', 'title', clip.title],
			['tags', 'tags', clip.tags],
			['createTime', 'createTime', clip.createdAt],
		];
		const item = Object.fromEntries(values.map(([camel, snake, value]) => [style === 'camel' ? camel : snake, value]));
		if (complete) item.duration = clip.durationSec;
		return item;
	}

	/** The callbacks a stage change sends (none for stages without one). */
	callbacks(task: FakeTask): unknown[] {
		if (task.kind === 'lyrics') return this.#lyricsCallback(task);
		const failed = task.stage === 'failed';
		if (failed) {
			const code = task.failure?.code ?? (task.failure?.policy ? 400 : 501);
			// api.box names the failure stage `failed` (§4.6).
			const callbackType = this.#mode === 'apibox' ? 'failed' : 'error';
			return [
				{
					code,
					msg: task.failure?.reason,
					data: { callbackType, task_id: task.id, error: task.failure?.reason },
				},
			];
		}
		const stage = ({ text: 'text', first: 'first', done: 'complete' } as Record<string, string>)[task.stage];
		if (!stage) return [];
		const msg = {
			text: 'Text generated successfully.',
			first: 'First audio generated successfully.',
			complete: 'All generated successfully.',
		}[stage];
		const items = task.clips.map((c) => this.item(task, c, 'snake'));
		return [{ code: 200, msg, data: { callbackType: stage, task_id: task.id, data: items } }];
	}

	#lyricsItems(task: FakeTask, style: 'camel' | 'snake'): Record<string, unknown>[] {
		const errorKey = style === 'camel' ? 'errorMessage' : 'error_message';
		return (task.lyrics ?? []).map((l) => ({ text: l.text, title: l.title, status: 'complete', [errorKey]: '' }));
	}

	#lyricsCallback(task: FakeTask): unknown[] {
		if (task.stage !== 'done' && task.stage !== 'failed') return [];
		const kie = this.#mode === 'kie';
		const idKey = kie ? 'task_id' : 'taskId';
		if (task.stage === 'failed') {
			const errorKey = kie ? 'error_message' : 'errorMessage';
			const item = { text: '', title: '', status: 'failed', [errorKey]: task.failure?.reason };
			return [
				{ code: 400, msg: task.failure?.reason, data: { callbackType: 'complete', [idKey]: task.id, data: [item] } },
			];
		}
		const items = this.#lyricsItems(task, kie ? 'snake' : 'camel');
		return [
			{
				code: 200,
				msg: 'All generated successfully.',
				data: { callbackType: 'complete', [idKey]: task.id, data: items },
			},
		];
	}
}
