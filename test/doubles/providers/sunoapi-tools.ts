import { createHash, randomBytes } from 'node:crypto';
import type { FakeEngine } from './engine.ts';
import type { FakeServer, Reply } from './server.ts';
import {
	ALL_STEMS,
	alignedWords,
	boostAnswer,
	DONE_MSG,
	FAILED_FLAG,
	STEM_KEYS,
	STEMS,
	TOOL_CREDITS,
} from './sunoapi-tools-data.ts';
import type { FakeClip, FakeTask, SunoApiMode } from './types.ts';

export { TOOL_ROUTES } from './sunoapi-tools-data.ts';

/**
 * Family B's studio tools on the fake (suno-wire-formats.md §4.3, §4.6): vocal removal (separate_vocal, split_stem),
 * WAV, MP4, replace-section, add-vocals, add-instrumental (music tasks), and the synchronous style boost,
 * timestamped lyrics and persona. Split, WAV and video tasks walk `submitted → queued → done` like lyrics and
 * answer their own record-info and callbacks; their files are served from the fake's `/files/`.
 */

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

export type ToolReply = (code: number, msg: string, data?: unknown) => Reply;

export class SunoApiTools {
	readonly #engine: FakeEngine;
	readonly #server: FakeServer;
	readonly #mode: SunoApiMode;
	/** WAV tasks by source clip: sunoapi.org answers 409 for a second WAV of one take. */
	readonly #wavs = new Map<string, string>();
	/** Personas by source clip: asking again returns the same id (observed on kie.ai). */
	readonly #personas = new Map<string, string>();

	constructor(engine: FakeEngine, server: FakeServer, mode: SunoApiMode) {
		this.#engine = engine;
		this.#server = server;
		this.#mode = mode;
	}

	isTool(task: FakeTask): boolean {
		return task.kind === 'split' || task.kind === 'wav' || task.kind === 'video';
	}

	/** A tool request, after auth; undefined when `op` is not one. Errors use the family's envelope. */
	handle(op: string, body: Record<string, unknown>, reply: ToolReply): Reply | undefined {
		if (!(op in TOOL_CREDITS) && op !== 'split') return undefined;
		const invalid = (msg: string) => reply(this.#mode === 'kie' ? 422 : 400, msg);
		if (op === 'boost') {
			const content = str(body.content).trim();
			if (!content) return invalid('content cannot be empty');
			if (!this.#engine.charge(TOOL_CREDITS.boost ?? 1)) return this.#noCredits(reply);
			return reply(200, 'success', boostAnswer(content, this.#engine.settings.credits));
		}
		if (this.isOwnAudio(op)) return this.#ownAudio(op, body, reply, invalid);
		const found = this.#source(body);
		if (typeof found === 'string') return invalid(found);
		const { task: source, clip } = found;
		if (op === 'timestamps') return reply(200, 'success', alignedWords(clip));
		if (op === 'persona') return this.#persona(body, clip, reply, invalid);
		if (op === 'replace') {
			const from = num(body.infillStartS);
			const to = num(body.infillEndS);
			if (!(to - from >= 6 && to - from <= 60)) return invalid('The replacement interval must be 6 to 60 seconds');
			if (to > clip.durationSec || to - from > clip.durationSec / 2)
				return invalid('The replacement interval must be at most half of the audio');
			if (!str(body.prompt) || !str(body.tags) || !str(body.title))
				return invalid('prompt, tags and title are required');
		}
		if (op === 'wav' && this.#wavs.has(clip.id)) return reply(409, 'WAV record already exists');
		if (!str(body.callBackUrl)) return invalid('Please enter callBackUrl.');
		const cost = TOOL_CREDITS[op === 'split' && body.type === 'split_stem' ? 'stems' : op] ?? 10;
		if (!this.#engine.charge(cost)) return this.#noCredits(reply);
		const task = this.#create(op, body, source, clip);
		if (op === 'wav') this.#wavs.set(clip.id, task.id);
		return reply(200, 'success', { taskId: task.id });
	}

	/** add-vocals and add-instrumental take an uploaded file, not a take. */
	isOwnAudio(op: string): boolean {
		return op === 'add-vocals' || op === 'add-instrumental';
	}

	#ownAudio(op: string, body: Record<string, unknown>, reply: ToolReply, invalid: (msg: string) => Reply): Reply {
		if (!/^https?:\/\//.test(str(body.uploadUrl))) return invalid('uploadUrl cannot be empty');
		if (!str(body.callBackUrl)) return invalid('Please enter callBackUrl.');
		if (!str(body.title)) return invalid('title cannot be empty');
		if (typeof body.negativeTags !== 'string') return invalid('negativeTags cannot be empty');
		const style = op === 'add-vocals' ? str(body.style) : str(body.tags);
		if (!style) return invalid(op === 'add-vocals' ? 'style cannot be empty' : 'tags cannot be empty');
		if (op === 'add-vocals' && !str(body.prompt)) return invalid('prompt cannot be empty');
		const model = str(body.model) || 'V4_5PLUS';
		if (model !== 'V4_5PLUS' && model !== 'V5') return reply(400, `model is invalid: ${model}`);
		if (!this.#engine.charge(TOOL_CREDITS[op] ?? 10)) return this.#noCredits(reply);
		const task = this.#engine.create({
			id: randomBytes(16).toString('hex'),
			kind: 'music',
			op,
			request: body,
			model,
			texts: [body.prompt, style, body.title],
			title: str(body.title),
			tags: style,
			lyrics: str(body.prompt),
			callbackUrl: str(body.callBackUrl),
		});
		return reply(200, 'success', { taskId: task.id });
	}

	/** record-info `data` of a split, WAV or video task. */
	record(task: FakeTask): Record<string, unknown> {
		const done = task.stage === 'done';
		const failed = task.stage === 'failed';
		return {
			taskId: task.id,
			musicId: task.sourceClipId ?? '',
			callbackUrl: task.callbackUrl ?? '',
			completeTime: task.finishedAt ?? null,
			response: done ? this.#result(task, 'camel') : null,
			successFlag: failed ? (task.failure?.status ?? FAILED_FLAG[task.kind]) : done ? 'SUCCESS' : 'PENDING',
			createTime: task.createdAt,
			errorCode: failed ? (task.failure?.code ?? 500) : null,
			errorMessage: failed ? (task.failure?.reason ?? null) : null,
		};
	}

	/** The one callback a tool task sends when it ends (none before). */
	callbacks(task: FakeTask): unknown[] {
		if (task.stage === 'done') {
			const result = this.#result(task, 'snake');
			const data =
				task.kind === 'split' ? { task_id: task.id, vocal_removal_info: result } : { task_id: task.id, ...result };
			return [{ code: 200, msg: DONE_MSG[task.kind], data }];
		}
		if (task.stage !== 'failed') return [];
		const empty =
			task.kind === 'split'
				? { vocal_removal_info: null }
				: task.kind === 'wav'
					? { [this.#mode === 'kie' ? 'audio_wav_url' : 'audioWavUrl']: null }
					: { video_url: null };
		return [{ code: task.failure?.code ?? 500, msg: task.failure?.reason, data: { task_id: task.id, ...empty } }];
	}

	#noCredits(reply: ToolReply): Reply {
		return this.#mode === 'kie'
			? reply(402, 'Credits insufficient')
			: reply(429, 'The current credits are insufficient. Please top up.');
	}

	#source(body: Record<string, unknown>): { task: FakeTask; clip: FakeClip } | string {
		const task = this.#engine.tasks.get(str(body.taskId));
		if (!task || task.kind !== 'music') return 'taskId does not exist';
		const clip = task.clips.find((c) => c.id === str(body.audioId));
		if (!clip) return 'audioId does not exist';
		if (this.#engine.phase(task, clip) !== 'complete') return 'The music is not generated yet';
		return { task, clip };
	}

	#create(op: string, body: Record<string, unknown>, source: FakeTask, clip: FakeClip): FakeTask {
		const music = op === 'replace';
		const stems = op === 'split' ? (body.type === 'split_stem' ? ALL_STEMS : STEMS) : [];
		const task = this.#engine.create({
			id: randomBytes(16).toString('hex'),
			kind: music ? 'music' : (op as 'split' | 'wav' | 'video'),
			op,
			request: body,
			model: source.model,
			texts: [body.prompt, body.tags, body.title],
			title: music ? str(body.title) : clip.title,
			tags: music ? str(body.tags) : clip.tags,
			lyrics: music ? str(body.prompt) : clip.lyrics,
			clipCount: music ? 2 : Math.max(1, stems.length),
			clipType: music ? 'gen' : op === 'split' ? 'stem' : op === 'wav' ? 'wav' : 'video',
			callbackUrl: str(body.callBackUrl),
			sourceTaskId: source.id,
			sourceClipId: clip.id,
		});
		if (!music) {
			for (const [index, part] of task.clips.entries()) {
				part.audio = clip.audio;
				part.durationSec = clip.durationSec;
				if (stems[index]) part.stem = stems[index];
			}
		}
		return task;
	}

	#result(task: FakeTask, style: 'camel' | 'snake'): Record<string, unknown> {
		const pick = (camel: string, snake: string) => (style === 'camel' ? camel : snake);
		const clip = task.clips[0] as FakeClip;
		if (task.kind === 'wav') {
			const key = this.#mode === 'kie' ? 'audio_wav_url' : 'audioWavUrl';
			return { [style === 'camel' ? 'audioWavUrl' : key]: this.#server.fileUrl(clip, 'wav') };
		}
		if (task.kind === 'video') return { [pick('videoUrl', 'video_url')]: this.#server.fileUrl(clip, 'mp4') };
		const result: Record<string, unknown> = { [pick('originUrl', 'origin_url')]: null };
		for (const [camel, snake] of Object.values(STEM_KEYS)) result[pick(camel, snake)] = null;
		for (const part of task.clips) {
			const keys = STEM_KEYS[part.stem ?? ''];
			if (keys) result[pick(...keys)] = this.#server.fileUrl(part, 'mp3');
		}
		return result;
	}

	#persona(body: Record<string, unknown>, clip: FakeClip, reply: ToolReply, invalid: (msg: string) => Reply): Reply {
		const name = str(body.name);
		const description = str(body.description);
		if (!name || !description) return invalid('name and description are required');
		const start = typeof body.vocalStart === 'number' ? body.vocalStart : 0;
		const end = typeof body.vocalEnd === 'number' ? body.vocalEnd : 30;
		if (!(end - start >= 10 && end - start <= 30))
			return invalid('vocalEnd - vocalStart must be between 10 and 30 seconds');
		let id = this.#personas.get(clip.id);
		if (id === undefined) {
			if (!this.#engine.charge(TOOL_CREDITS.persona ?? 2)) return this.#noCredits(reply);
			id = createHash('sha256').update(clip.id).digest('hex').slice(0, 32);
			this.#personas.set(clip.id, id);
		}
		return reply(200, 'success', { personaId: id, name, description });
	}
}
