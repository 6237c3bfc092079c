import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeEngine } from './engine.ts';
import type { Driver, DriverRequest, FakeServer, Reply } from './server.ts';
import { SunoApiRenderer } from './sunoapi-render.ts';
import { SunoApiTools, TOOL_ROUTES } from './sunoapi-tools.ts';
import type { FakeTask, FaultKind, RouteClass, SunoApiMode } from './types.ts';

/** Family B fake: sunoapi.org, kie.ai, api.box and a real-HTTP-status proxy (suno-wire-formats.md §4, §9). */

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const MODELS = ['V4', 'V4_5', 'V4_5PLUS', 'V4_5ALL', 'V5', 'V5_5'];
const ROUTES: Record<string, { method: string; route: RouteClass; op: string }> = {
	'/api/v1/generate': { method: 'POST', route: 'submit', op: 'generate' },
	'/api/v1/generate/extend': { method: 'POST', route: 'submit', op: 'extend' },
	'/api/v1/generate/upload-cover': { method: 'POST', route: 'submit', op: 'cover' },
	'/api/v1/generate/upload-extend': { method: 'POST', route: 'submit', op: 'upload-extend' },
	'/api/v1/lyrics': { method: 'POST', route: 'submit', op: 'lyrics' },
	'/api/v1/generate/record-info': { method: 'GET', route: 'fetch', op: 'fetch' },
	'/api/v1/lyrics/record-info': { method: 'GET', route: 'fetch', op: 'fetch-lyrics' },
	'/api/v1/generate/credit': { method: 'GET', route: 'credits', op: 'credits' },
};

const TOOL_ROUTES_BY_OP = Object.fromEntries(Object.values(TOOL_ROUTES).map((r) => [r.op, r]));

/** Per-model limits the real service enforces (§4.2). */
function limits(model: string) {
	const v4 = model === 'V4' || model === 'V3_5';
	return {
		lyrics: v4 ? 3000 : 5000,
		style: v4 ? 200 : 1000,
		title: v4 || model === 'V4_5ALL' ? 80 : 100,
		description: 500,
	};
}

export class SunoApiDriver implements Driver {
	readonly #engine: FakeEngine;
	readonly #mode: SunoApiMode;
	readonly #apiKey: string;
	readonly #render: SunoApiRenderer;
	readonly #tools: SunoApiTools;

	constructor(
		engine: FakeEngine,
		server: FakeServer,
		options: { mode: SunoApiMode; apiKey: string; webhookKey?: string },
	) {
		this.#engine = engine;
		const key = options.webhookKey;
		// kie.ai: base64 HMAC-SHA256 of `taskId.timestamp` (seconds) with the account's webhook key.
		if (key && options.mode === 'kie') {
			engine.signCallback = (taskId) => {
				const timestamp = String(Math.floor(Date.now() / 1000));
				const signature = createHmac('sha256', key).update(`${taskId}.${timestamp}`).digest('base64');
				return { 'x-webhook-timestamp': timestamp, 'x-webhook-signature': signature };
			};
		}
		this.#mode = options.mode;
		this.#apiKey = options.apiKey;
		this.#render = new SunoApiRenderer(engine, server, options.mode);
		this.#tools = new SunoApiTools(engine, server, options.mode);
		engine.onStage = (task) => {
			if (!task.callbackUrl) return;
			const bodies = this.#tools.isTool(task) ? this.#tools.callbacks(task) : this.#render.callbacks(task);
			for (const body of bodies) engine.sendCallback(task, task.callbackUrl, body);
		};
	}

	/** Errors travel in the body over HTTP 200, except in http-status mode. */
	#reply(code: number, msg: string, data: unknown = null): Reply {
		return { status: this.#mode === 'http-status' && code !== 200 ? code : 200, body: { code, msg, data } };
	}

	classify(method: string, path: string): { route: RouteClass; op: string } | undefined {
		const known = ROUTES[path] ?? TOOL_ROUTES[path];
		return known && known.method === method ? { route: known.route, op: known.op } : undefined;
	}

	authorized(headers: IncomingHttpHeaders): boolean {
		return str(headers.authorization) === `Bearer ${this.#apiKey}`;
	}

	notFound(): Reply {
		return { status: 404, body: { code: 404, msg: 'Invalid method or path', data: null } };
	}

	fault(kind: FaultKind, _route: RouteClass): Reply {
		const frequency = 'Your call frequency is too high. Please try again later.';
		switch (kind) {
			case 'auth':
				return this.#reply(401, 'You do not have access permissions');
			case 'credits':
				return this.#mode === 'kie'
					? this.#reply(402, 'Credits insufficient')
					: this.#reply(429, 'The current credits are insufficient. Please top up.');
			case 'rate_limited':
				return this.#mode === 'kie' ? this.#reply(429, frequency) : this.#reply(430, frequency);
			case 'unavailable':
				return { status: 503, raw: 'Service Temporarily Unavailable' };
			case 'gateway':
				return { status: 502, raw: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
			case 'maintenance':
				return this.#reply(455, 'System maintenance, please try again later');
			case 'server_error':
				return this.#reply(500, 'Server error, please try again later');
			case 'not_found':
				return this.#unknownTask();
			case 'invalid':
				return this.#reply(400, 'Invalid parameters');
			case 'content_policy':
				return this.#reply(400, 'Your prompt contains sensitive words, please modify it');
			case 'malformed':
				return { status: 200, raw: '<html><body>Welcome to nginx!</body></html>' };
			case 'disconnect':
			case 'slow':
				return { status: 0, destroy: true };
		}
	}

	handle(request: DriverRequest): Reply {
		const op = this.classify(request.method, request.path)?.op;
		if (op === 'credits') return this.#reply(200, 'success', this.#engine.settings.credits);
		if (op === 'fetch' || op === 'fetch-lyrics' || op?.startsWith('fetch-'))
			return this.#fetch(str(request.query.taskId));
		if (!request.isJson) return this.#reply(400, 'Invalid parameters');
		const body = (request.body ?? {}) as Record<string, unknown>;
		if (op !== undefined && op in TOOL_ROUTES_BY_OP) {
			if (op !== 'timestamps' && this.#engine.throttled()) return this.fault('rate_limited', 'submit');
			const tool = this.#tools.handle(op, body, (code, msg, data) => this.#reply(code, msg, data));
			if (tool) return tool;
		}
		const invalid = this.#validate(op ?? '', body);
		if (invalid) return invalid;
		if (this.#engine.throttled()) return this.fault('rate_limited', 'submit');
		if (!this.#engine.charge(op === 'lyrics' ? 2 : 10)) return this.fault('credits', 'submit');
		const source = op === 'extend' ? this.#clipOwner(str(body.audioId)) : undefined;
		const task = this.#engine.create({
			id: randomBytes(16).toString('hex'),
			kind: op === 'lyrics' ? 'lyrics' : 'music',
			op: op ?? 'generate',
			request: body,
			model: str(body.model),
			texts: [body.prompt, body.style, body.title],
			title: str(body.title),
			tags: str(body.style),
			lyrics: body.customMode === true || body.defaultParamFlag === true ? str(body.prompt) : '',
			callbackUrl: str(body.callBackUrl),
			sourceTaskId: source?.id,
			sourceClipId: op === 'extend' ? str(body.audioId) : undefined,
		});
		return this.#reply(200, 'success', { taskId: task.id });
	}

	#unknownTask(): Reply {
		// Undocumented: sunoapi.org style answers no data; the kie flavour answers an error code.
		return this.#mode === 'kie'
			? this.#reply(400, 'The task does not exist or was not found')
			: this.#reply(200, 'success', null);
	}

	#fetch(taskId: string): Reply {
		if (!taskId) return this.#reply(400, 'taskId is required');
		const task = this.#engine.tasks.get(taskId);
		if (!task) return this.#unknownTask();
		this.#engine.poll(task);
		return this.#reply(200, 'success', this.#tools.isTool(task) ? this.#tools.record(task) : this.#render.record(task));
	}

	#clipOwner(clipId: string): FakeTask | undefined {
		for (const task of this.#engine.tasks.values()) if (task.clips.some((c) => c.id === clipId)) return task;
		return undefined;
	}

	/** The documented required fields and limits; 413 for lengths, 400 (kie: 422) for the rest. */
	#validate(op: string, body: Record<string, unknown>): Reply | undefined {
		const missing = (field: string) => this.#reply(this.#mode === 'kie' ? 422 : 400, `${field} cannot be empty`);
		if (!str(body.callBackUrl)) {
			return this.#mode === 'kie'
				? this.#reply(422, 'Please enter callBackUrl')
				: this.#reply(400, 'Please enter callBackUrl.');
		}
		if (op === 'lyrics') {
			const prompt = str(body.prompt).trim();
			if (!prompt) return missing('prompt');
			return prompt.split(/\s+/).length > 200 ? this.#reply(413, 'The prompt is too long') : undefined;
		}
		const model = str(body.model);
		const models = this.#mode === 'kie' ? [...MODELS, 'V3_5'] : MODELS;
		if (!models.includes(model)) return this.#reply(400, `model is invalid: ${model || 'empty'}`);
		if (op === 'cover' || op === 'upload-extend') {
			if (!/^https?:\/\//.test(str(body.uploadUrl))) return missing('uploadUrl');
		}
		const custom =
			op === 'extend' || op === 'upload-extend' ? body.defaultParamFlag === true : body.customMode === true;
		if (op === 'extend' || op === 'upload-extend') {
			if (typeof body.defaultParamFlag !== 'boolean') return missing('defaultParamFlag');
		} else {
			if (typeof body.customMode !== 'boolean') return missing('customMode');
			if (typeof body.instrumental !== 'boolean') return this.#reply(400, 'instrumental cannot be null');
		}
		if (op === 'extend') {
			const source = this.#clipOwner(str(body.audioId));
			if (!source) return this.#reply(400, 'audioId does not exist');
			if (source.model !== model) return this.#reply(400, 'The model must be consistent with the source music');
			const clip = source.clips.find((c) => c.id === body.audioId);
			const at = typeof body.continueAt === 'number' ? body.continueAt : Number.NaN;
			if (custom && !(at > 0 && at < (clip?.durationSec ?? 0)))
				return this.#reply(400, 'continueAt must be between 0 and the duration');
		}
		const max = limits(model);
		const prompt = str(body.prompt);
		if (custom) {
			if (!str(body.style)) return missing('style');
			if (!str(body.title)) return missing('title');
			if (body.instrumental !== true && !prompt) return missing('prompt');
		} else if (op === 'generate' || op === 'cover') {
			if (!prompt) return missing('prompt');
			if (prompt.length > max.description) return this.#reply(413, 'The prompt is too long');
		}
		if (prompt.length > max.lyrics) return this.#reply(413, 'The prompt is too long');
		if (str(body.style).length > max.style) return this.#reply(413, 'The style is too long');
		if (str(body.title).length > max.title) return this.#reply(413, 'The title is too long');
		return undefined;
	}
}
