/**
 * The REST router under `/api/v10`: per-segment `decodeURIComponent` (discord.js sends `%40original`), the Bot-token
 * check (none for interaction callbacks and webhook routes), rate limits and faults, body parsing and its check
 * against Discord's OpenAPI spec (spec.ts), Discord-shaped errors, and a request log for tests. Attachment bytes are served from `/attachments/…`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { linkValid } from './cdn.ts';
import type { RateLimits } from './ratelimit.ts';
import { throwIfInvalid } from './rules.ts';
import { bodyProblems, loadSpec } from './spec.ts';
import type { DiscordState } from './state.ts';
import { DiscordError, fail, parseBody, type RequestBody, readRaw, sendJson } from './wire.ts';

export interface RouteRequest {
	params: Record<string, string>;
	query: URLSearchParams;
	body: RequestBody;
}

export interface RouteReply {
	status?: number;
	body?: unknown;
}

export interface Route {
	method: string;
	/** e.g. `/channels/:channel/messages/:message`; `METHOD template` names the route in rate limits and faults. */
	template: string;
	auth: boolean;
	handler: (request: RouteRequest) => RouteReply | Promise<RouteReply>;
}

/** `route('PATCH /channels/:channel/messages/:message', handler)`; pass `auth: false` for token-in-URL routes. */
export function route(name: string, handler: Route['handler'], options: { auth?: boolean } = {}): Route {
	const [method = 'GET', template = '/'] = name.split(' ');
	return { method, template, auth: options.auth ?? true, handler };
}

/** One request as the double saw it; `route` is `METHOD template` or null when nothing matched. */
export interface LoggedRequest {
	method: string;
	path: string;
	route: string | null;
	/** 0 while the request is still being handled. */
	status: number;
	code: number | null;
	at: number;
	/** Set when the double itself threw (a bug in the double, answered with 500). */
	error?: string;
	/** The body was multipart: the request uploads files. */
	upload?: boolean;
}

function match(route: Route, method: string, segments: string[]): Record<string, string> | null {
	const parts = route.template.split('/').slice(1);
	if (route.method !== method || parts.length !== segments.length) return null;
	const params: Record<string, string> = {};
	for (const [i, part] of parts.entries()) {
		const segment = segments[i] ?? '';
		if (part.startsWith(':')) params[part.slice(1)] = segment;
		else if (part !== segment) return null;
	}
	return params;
}

export interface RestOptions {
	state: DiscordState;
	routes: readonly Route[];
	rateLimits: RateLimits;
	token: string;
	log: LoggedRequest[];
}

/** A node:http request listener for the REST API and attachment downloads. */
export function createRestHandler(options: RestOptions): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		// handle() answers every error itself; this only catches a failure to write the answer.
		handle(options, req, res).catch(() => res.destroy());
	};
}

async function handle(options: RestOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	const method = req.method ?? 'GET';
	if (url.pathname.startsWith('/attachments/')) return serveFile(options.state, url, res);
	const entry: LoggedRequest = { method, path: url.pathname, route: null, status: 0, code: null, at: Date.now() };
	options.log.push(entry);
	let headers: Record<string, string> = {};
	try {
		if (!url.pathname.startsWith('/api/v10/')) throw fail.notFound();
		const segments = url.pathname.slice('/api/v10/'.length).split('/').map(decodeURIComponent);
		const found = options.routes.flatMap((route) => {
			const params = match(route, method, segments);
			return params ? [{ route, params }] : [];
		})[0];
		if (!found) throw fail.notFound();
		const { route, params } = found;
		entry.route = `${route.method} ${route.template}`;
		const raw = await readRaw(req);
		if (/^multipart\//.test(req.headers['content-type'] ?? '')) entry.upload = true;
		if (route.auth && req.headers.authorization !== `Bot ${options.token}`) throw fail.unauthorized();
		const verdict = await options.rateLimits.check(entry.route, params.channel ?? params.guild ?? params.token ?? '');
		headers = verdict.headers;
		if (verdict.reject) {
			entry.status = verdict.reject.status;
			return sendJson(res, verdict.reject.status, verdict.reject.body, headers);
		}
		const body = await parseBody(req.headers['content-type'], raw);
		if (raw.length > 0) await loadSpec();
		throwIfInvalid(bodyProblems(entry.route, body.json));
		const reply = await route.handler({ params, query: url.searchParams, body });
		entry.status = reply.status ?? 200;
		sendJson(res, entry.status, reply.body ?? null, headers);
	} catch (error) {
		const known = error instanceof DiscordError ? error : null;
		entry.status = known?.status ?? 500;
		entry.code = known?.code ?? null;
		if (!known) entry.error = String(error);
		sendJson(res, entry.status, known?.toJSON() ?? { message: '500: Internal Server Error', code: 0 }, headers);
	}
}

function serveFile(state: DiscordState, url: URL, res: ServerResponse): void {
	const id = url.pathname.split('/')[3] ?? '';
	const file = state.files.get(id);
	if (!file) {
		sendJson(res, 404, fail.notFound().toJSON());
		return;
	}
	if (!linkValid(state, url)) {
		res.writeHead(404, { 'content-type': 'text/plain' }).end('This content is no longer available.');
		return;
	}
	const send = () =>
		res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes);
	if (state.cdnDelayMs > 0) setTimeout(send, state.cdnDelayMs);
	else send();
}
