import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeEngine } from './engine.ts';
import type { Driver, DriverRequest, FakeServer, Reply } from './server.ts';
import type { FakeClip, FakeTask, FaultKind, RouteClass, Stage, V1MusicMode } from './types.ts';

/** Family C fake: `/v1/music/generations` with both documented query routes (suno-wire-formats.md §6, §9). */

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const MODELS = ['suno-v4.5-plus', 'suno-v5'];
const STATUS: Record<Stage, string> = {
	submitted: 'PENDING',
	queued: 'PENDING',
	text: 'PROCESSING',
	streaming: 'PROCESSING',
	first: 'PROCESSING',
	done: 'SUCCESS',
	failed: 'FAILED',
};
const PROGRESS: Record<Stage, string> = {
	submitted: '0%',
	queued: '5%',
	text: '20%',
	streaming: '45%',
	first: '72%',
	done: '100%',
	failed: '100%',
};
const relay = (status: number, code: string, message: string): Reply => ({
	status,
	body: { code, message, data: null },
});
const openai = (status: number, message: string, type: string): Reply => ({
	status,
	body: { error: { message, type } },
});

export class V1MusicDriver implements Driver {
	readonly #engine: FakeEngine;
	readonly #server: FakeServer;
	readonly #mode: V1MusicMode;
	readonly #apiKey: string;
	readonly #routes: { tasks: boolean; query: boolean };

	constructor(
		engine: FakeEngine,
		server: FakeServer,
		options: { mode: V1MusicMode; apiKey: string; routes: { tasks?: boolean; query?: boolean } },
	) {
		this.#engine = engine;
		this.#server = server;
		this.#mode = options.mode;
		this.#apiKey = options.apiKey;
		this.#routes = { tasks: options.routes.tasks ?? true, query: options.routes.query ?? true };
	}

	classify(method: string, path: string): { route: RouteClass; op: string } | undefined {
		if (method === 'POST' && path === '/v1/music/generations') return { route: 'submit', op: 'generate' };
		if (method === 'GET' && this.#routes.tasks && /^\/v1\/music\/tasks\/[^/]+$/.test(path))
			return { route: 'fetch', op: 'fetch' };
		if (method === 'GET' && this.#routes.query && path === '/v1/music/query')
			return { route: 'fetch', op: 'fetch-query' };
		return undefined;
	}

	authorized(headers: IncomingHttpHeaders): boolean {
		return str(headers.authorization) === `Bearer ${this.#apiKey}`;
	}

	notFound(): Reply {
		return { status: 404, raw: '404 page not found' };
	}

	fault(kind: FaultKind, _route: RouteClass): Reply {
		switch (kind) {
			case 'auth':
				return openai(401, 'Invalid token (request id: fake)', 'invalid_request_error');
			case 'credits':
				return openai(403, 'insufficient user quota', 'insufficient_quota');
			case 'rate_limited':
				return openai(429, 'Rate limit reached, please slow down', 'rate_limit_error');
			case 'unavailable':
				return openai(503, 'No available channel for model suno-v5', 'new_api_error');
			case 'gateway':
				return { status: 502, raw: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
			case 'maintenance':
			case 'server_error':
				return relay(500, 'do_request_failed', 'upstream request failed');
			case 'not_found':
				return relay(404, 'task_not_exist', 'task_not_exist');
			case 'invalid':
				return relay(400, 'invalid_request', 'invalid request');
			case 'content_policy':
				return relay(400, 'invalid_request', 'prompt contains sensitive words');
			case 'malformed':
				return { status: 200, raw: '<html><body>Welcome to nginx!</body></html>' };
			case 'disconnect':
			case 'slow':
				return { status: 0, destroy: true };
		}
	}

	handle(request: DriverRequest): Reply {
		const op = this.classify(request.method, request.path)?.op;
		if (op === 'generate') return this.#generate(request);
		const id =
			op === 'fetch'
				? decodeURIComponent(request.path.split('/').pop() ?? '')
				: (request.query.task_id ?? request.query.id ?? '');
		const task = this.#engine.tasks.get(id);
		if (!task) return relay(404, 'task_not_exist', 'task_not_exist');
		this.#engine.poll(task);
		return this.#answer(task);
	}

	#generate(request: DriverRequest): Reply {
		if (!request.isJson) return relay(400, 'invalid_request', 'invalid request body');
		const body = (request.body ?? {}) as Record<string, unknown>;
		const prompt = str(body.prompt);
		if (!prompt.trim()) return relay(400, 'invalid_request', 'prompt is required');
		const model = str(body.model) || 'suno-v4.5-plus';
		if (!MODELS.includes(model)) return relay(400, 'invalid_request', `model ${model} is not supported`);
		if (body.vocal_gender !== undefined && body.vocal_gender !== 'm' && body.vocal_gender !== 'f') {
			return relay(400, 'invalid_request', 'vocal_gender must be m or f');
		}
		if (this.#engine.throttled()) return this.fault('rate_limited', 'submit');
		if (!this.#engine.charge(10)) return this.fault('credits', 'submit');
		const custom = body.custom_mode === true;
		const task = this.#engine.create({
			id: this.#mode === 'legacy' ? `task_${randomBytes(12).toString('hex')}` : randomBytes(16).toString('hex'),
			kind: 'music',
			op: 'generate',
			request: body,
			model,
			texts: [prompt, body.style, body.title],
			title: custom ? str(body.title) : '',
			tags: str(body.style),
			lyrics: custom ? prompt : '',
		});
		// The legacy API answered synchronously with the finished songs.
		if (this.#mode === 'legacy') this.#engine.advance(task, 10);
		return this.#answer(task);
	}

	#answer(task: FakeTask): Reply {
		if (this.#mode === 'legacy') return { status: 200, body: this.#legacy(task) };
		const failed = task.stage === 'failed';
		const terminal = failed || task.stage === 'done';
		const early = task.stage === 'submitted' || task.stage === 'queued';
		const prefix = task.failure?.policy ? 'SENSITIVE_WORD_ERROR' : 'GENERATE_AUDIO_FAILED';
		const data = {
			task_id: task.id,
			action: 'GENERATIONS',
			status: STATUS[task.stage],
			fail_reason: failed ? `${prefix}: ${task.failure?.reason ?? ''}` : '',
			submit_time: Math.floor(task.createdAt / 1000),
			// Documented quirk: start_time stays 0 even after success (§6.2).
			start_time: 0,
			finish_time: terminal && task.finishedAt ? Math.floor(task.finishedAt / 1000) : 0,
			progress: PROGRESS[task.stage],
			data: early || (failed && !task.failure?.partial) ? [] : task.clips.map((c) => this.#item(task, c)),
		};
		return { status: 200, body: { code: 'success', message: '', data } };
	}

	#item(task: FakeTask, clip: FakeClip): Record<string, unknown> {
		const phase = this.#engine.phase(task, clip);
		const complete = phase === 'complete';
		const audible = complete || phase === 'streaming';
		const mp3 = complete ? this.#server.fileUrl(clip, 'mp3') : '';
		const stream = audible ? this.#server.fileUrl(clip, 'stream') : '';
		const image = audible ? this.#server.fileUrl(clip, 'png') : '';
		return {
			id: clip.id,
			tags: clip.tags,
			title: clip.title,
			prompt: clip.lyrics,
			audioUrl: mp3,
			...(complete ? { duration: clip.durationSec } : {}),
			imageUrl: image,
			modelName: task.model,
			createTime: clip.createdAt,
			sourceAudioUrl: mp3,
			sourceImageUrl: image,
			streamAudioUrl: stream,
			sourceStreamAudioUrl: stream,
		};
	}

	#legacy(task: FakeTask): Record<string, unknown> {
		return {
			created: Math.floor(task.createdAt / 1000),
			data: task.clips.map((clip) => {
				const complete = this.#engine.phase(task, clip) === 'complete';
				const mp3 = complete ? this.#server.fileUrl(clip, 'mp3') : '';
				return {
					id: task.id,
					url: mp3,
					audio_url: mp3,
					lyrics: `[00:00.00] ${clip.lyrics.split('\n')[0] ?? ''}`,
					title: clip.title,
					cover_url: this.#server.fileUrl(clip, 'png'),
					duration: clip.durationSec,
					tags: clip.tags,
					model: task.model,
				};
			}),
		};
	}
}
