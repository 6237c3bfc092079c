import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeEngine } from './engine.ts';
import { NewApiRenderer } from './newapi-render.ts';
import type { Driver, DriverRequest, FakeServer, Reply } from './server.ts';
import type { FakeTask, FaultKind, NewApiMode, RouteClass } from './types.ts';

/** Family A fake: new-api, one-hub, Suno-API, reseller and hybrid flavours (suno-wire-formats.md §3, §5, §9). */

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const ok = (data: unknown): Reply => ({ status: 200, body: { code: 'success', message: '', data } });
const taskError = (status: number, code: string, message: string): Reply => ({
	status,
	body: { code, message, data: null },
});

export interface NewApiDriverOptions {
	mode: NewApiMode;
	apiKey: string;
	notifyWrapped: boolean;
	lyricsSubmitDelayMs: number;
	concatRefusal: 'invalid_action' | 'no_channel';
}

/** What new-api's web app answers for a path it has no API route for: its single-page app, status 200. */
const WEB_APP =
	'<!doctype html><html lang="zh"><head><title>New API</title></head><body><div id="root"></div></body></html>';

export class NewApiDriver implements Driver {
	readonly #engine: FakeEngine;
	readonly #options: NewApiDriverOptions;
	readonly #render: NewApiRenderer;

	constructor(engine: FakeEngine, server: FakeServer, options: NewApiDriverOptions) {
		this.#engine = engine;
		this.#options = options;
		this.#render = new NewApiRenderer(engine, server, options.mode);
		engine.onStage = (task) => this.#notify(task);
	}

	get #reseller(): boolean {
		return this.#options.mode === 'reseller';
	}

	classify(method: string, path: string): { route: RouteClass; op: string } | undefined {
		const submit = /^\/suno\/submit\/([\w-]+)$/.exec(path);
		if (method === 'POST' && submit) return { route: 'submit', op: submit[1] ?? 'submit' };
		if (method === 'POST' && path === '/suno/fetch') return { route: 'fetch', op: 'fetch' };
		if (method === 'GET' && /^\/suno\/fetch\/[^/]+$/.test(path)) return { route: 'fetch', op: 'fetch-one' };
		if (method === 'POST' && path === '/suno/uploads/audio-url') return { route: 'submit', op: 'upload' };
		return undefined;
	}

	authorized(headers: IncomingHttpHeaders): boolean {
		const header = str(headers.authorization);
		const key = this.#options.apiKey;
		if (this.#options.mode === 'sunoapi-go') {
			// Suno-API's strings.TrimLeft(token, "Bearer ") strips a character set, not a prefix (§3.2 QUIRK).
			return key === '' || header.replace(/^[Bear ]+/, '') === key;
		}
		const bare = (value: string) => value.replace(/^sk-/, '');
		const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
		const token = bearer ?? str(headers['mj-api-secret']);
		return token !== '' && bare(token) === bare(key);
	}

	notFound(): Reply {
		return { status: 404, raw: '404 page not found' };
	}

	fault(kind: FaultKind, _route: RouteClass): Reply {
		// In front of sunoapi.org, the upstream's refusals come back as HTTP 500 carrying its code and words (§3.9).
		if (this.#options.mode === 'hybrid') {
			if (kind === 'credits') return taskError(500, '429', 'The current credits are insufficient. Please top up.');
			if (kind === 'rate_limited')
				return taskError(500, '430', 'Your call frequency is too high. Please try again later.');
			if (kind === 'auth') return taskError(500, '401', 'You do not have access permissions');
			if (kind === 'maintenance') return taskError(500, '455', 'System maintenance, please try again later');
		}
		switch (kind) {
			case 'auth':
				return this.#options.mode === 'sunoapi-go'
					? { status: 401, body: { code: 'invalid_request', message: 'unauthorized secret token', data: null } }
					: {
							status: 401,
							body: { error: { message: '无效的令牌 (request id: 20250101fake)', type: 'new_api_error' } },
						};
			case 'credits':
				return taskError(403, 'quota_not_enough', 'user quota is not enough');
			case 'rate_limited':
				return { status: 429, raw: '' };
			case 'unavailable':
				return {
					status: 503,
					body: { error: { message: '当前分组 default 下对于模型 suno_music 无可用渠道', type: 'new_api_error' } },
				};
			case 'gateway':
				return { status: 502, raw: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
			case 'maintenance':
			case 'server_error':
				return taskError(500, 'do_request_failed', '请求上游地址失败');
			case 'not_found':
				return this.#taskNotFound();
			case 'invalid':
				return taskError(400, 'invalid_request', 'Invalid request, prompt is invalid');
			case 'content_policy':
				return taskError(500, '400', 'Song description contains artist name or sensitive words');
			case 'malformed':
				return { status: 200, raw: '<html><body>Welcome to nginx!</body></html>' };
			case 'disconnect':
			case 'slow':
				return { status: 0, destroy: true };
		}
	}

	async handle(request: DriverRequest): Promise<Reply> {
		const route = this.classify(request.method, request.path);
		if (!request.isJson && request.method === 'POST') return taskError(400, 'invalid_request', 'invalid request body');
		const body = (request.body ?? {}) as Record<string, unknown>;
		switch (route?.op) {
			case 'music':
				return this.#music(body);
			case 'lyrics':
				return this.#lyrics(body);
			case 'concat':
				if (this.#reseller) return this.#concat(body);
				return this.#options.concatRefusal === 'no_channel'
					? {
							status: 503,
							body: { error: { message: '当前分组 default 下对于模型 suno_concat 无可用渠道', type: 'new_api_error' } },
						}
					: taskError(400, 'invalid_request', 'invalid_action');
			case 'upload':
				if (!this.#reseller)
					return { status: 200, raw: WEB_APP, headers: { 'content-type': 'text/html; charset=utf-8' } };
				return this.#upload(body);
			case 'fetch':
				return this.#fetchBatch(body);
			case 'fetch-one':
				return this.#fetchOne(decodeURIComponent(request.path.split('/').pop() ?? ''));
			default:
				return taskError(400, 'invalid_request', 'invalid_action');
		}
	}

	#newId(): string {
		switch (this.#options.mode) {
			case 'sunoapi-go':
				return randomUUID();
			case 'reseller':
			case 'hybrid':
				return randomBytes(16).toString('hex');
			default:
				return `task_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32)}`;
		}
	}

	#taskNotFound(): Reply {
		if (this.#options.mode === 'onehub') return { status: 404, body: { code: 'task_not_exist', message: '' } };
		if (this.#options.mode === 'sunoapi-go') return taskError(400, 'invalid_request', 'task not exist');
		return taskError(400, 'task_not_exist', 'task_not_exist');
	}

	#findClip(id: string): { task: FakeTask } | undefined {
		for (const task of this.#engine.tasks.values()) if (task.clips.some((c) => c.id === id)) return { task };
		return undefined;
	}

	#music(body: Record<string, unknown>): Reply {
		if (this.#engine.throttled()) return this.fault('rate_limited', 'submit');
		// Stock gateways re-marshal a typed struct: reseller-only fields never reach upstream (§3.1).
		const task = this.#reseller ? str(body.task) : '';
		const mv = str(body.mv) || 'chirp-v3-0';
		const continueClip = str(body.continue_clip_id);
		const taskId = str(body.task_id);
		if (continueClip) {
			const uploadForm = this.#reseller && (task === 'upload_extend' || mv.endsWith('-upload'));
			if (!uploadForm && !taskId) return taskError(400, 'invalid_request', 'task id is empty');
			if (taskId && !this.#engine.tasks.has(taskId)) return taskError(400, 'task_not_exist', 'task_origin_not_exist');
			if (!this.#findClip(continueClip)) return taskError(400, 'invalid_request', `clip ${continueClip} not found`);
		}
		const description = str(body.gpt_description_prompt);
		const prompt = str(body.prompt);
		if (!description && !prompt && !continueClip && body.make_instrumental !== true)
			return taskError(400, 'invalid_request', 'prompt is empty');
		if (!this.#engine.charge(10)) return this.fault('credits', 'submit');
		const created = this.#engine.create({
			id: this.#newId(),
			kind: 'music',
			op: continueClip ? 'extend' : 'generate',
			request: body,
			model: mv,
			texts: [prompt, description, body.tags, body.title],
			title: str(body.title),
			tags: str(body.tags),
			lyrics: prompt,
			callbackUrl: this.#reseller ? str(body.notify_hook) : undefined,
			sourceTaskId: taskId,
			sourceClipId: continueClip,
		});
		return ok(created.id);
	}

	#lyrics(body: Record<string, unknown>): Reply {
		const prompt = str(body.prompt);
		if (!prompt.trim()) {
			return taskError(
				400,
				'invalid_request',
				this.#options.mode === 'sunoapi-go' ? 'prompt is empty' : 'prompt_empty',
			);
		}
		if (!this.#engine.charge(2)) return this.fault('credits', 'submit');
		const task = this.#engine.create({
			id: this.#newId(),
			kind: 'lyrics',
			op: 'lyrics',
			request: body,
			model: 'chirp-v3-0',
			texts: [prompt],
			callbackUrl: this.#reseller ? str(body.notify_hook) : undefined,
		});
		if (this.#options.mode !== 'sunoapi-go') return ok(task.id);
		// Suno-API generates the lyrics before answering and stores the task already finished (§3.5).
		if (task.outcome === 'content_policy') this.#engine.fail(task, { policy: true });
		else this.#engine.complete(task);
		return { ...ok(task.id), delayMs: this.#options.lyricsSubmitDelayMs };
	}

	#concat(body: Record<string, unknown>): Reply {
		const clipId = str(body.clip_id);
		if (!clipId) return taskError(400, 'invalid_request', 'clip_id is required');
		const source = this.#findClip(clipId);
		if (!source) return taskError(400, 'invalid_request', `clip ${clipId} not found`);
		const task = this.#engine.create({
			id: this.#newId(),
			kind: 'concat',
			op: 'concat',
			request: body,
			model: source.task.model,
			texts: [],
			title: source.task.clips[0]?.title ?? 'Full song',
			clipCount: 1,
			clipType: 'concat',
			callbackUrl: str(body.notify_hook),
			sourceTaskId: source.task.id,
			sourceClipId: clipId,
		});
		return ok(task.id);
	}

	#upload(body: Record<string, unknown>): Reply {
		const url = str(body.url);
		if (!/^https?:\/\//.test(url)) return taskError(400, 'invalid_request', 'url is required');
		const task = this.#engine.create({
			id: this.#newId(),
			kind: 'upload',
			op: 'upload',
			request: body,
			model: 'chirp-v3-5-upload',
			texts: [],
			title: decodeURIComponent(url.split('/').pop() ?? 'upload').replace(/\.\w+$/, ''),
			clipCount: 1,
			clipType: 'upload',
			callbackUrl: str(body.notify_hook),
		});
		return ok(task.id);
	}

	#fetchBatch(body: Record<string, unknown>): Reply {
		if (!Array.isArray(body.ids)) return taskError(400, 'invalid_request', 'ids is required');
		const rows = body.ids.flatMap((id) => {
			const task = typeof id === 'string' ? this.#engine.tasks.get(id) : undefined;
			if (!task) return [];
			this.#engine.poll(task);
			return [this.#render.task(task)];
		});
		return ok(rows);
	}

	#fetchOne(id: string): Reply {
		const task = this.#engine.tasks.get(id);
		if (!task) return this.#taskNotFound();
		this.#engine.poll(task);
		// Suno-API answers with the task's bare data, not the task (§3.5 QUIRK).
		return ok(this.#options.mode === 'sunoapi-go' ? this.#render.data(task) : this.#render.task(task));
	}

	#notify(task: FakeTask): void {
		if (!this.#reseller || !task.callbackUrl) return;
		const dto = this.#render.task(task);
		this.#engine.sendCallback(
			task,
			task.callbackUrl,
			this.#options.notifyWrapped ? { code: 'success', message: '', data: dto } : dto,
		);
	}
}
