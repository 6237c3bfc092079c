import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ProviderError } from '../core/errors.ts';
import type { ReportResult } from '../core/ports.ts';
import type { Family, SongProvider, TaskSnapshot } from '../core/provider.ts';
import type { Logger } from '../log.ts';
import { type ListeningServer, listening } from './listening.ts';
import { answerMetrics } from './metrics-access.ts';
import type { Metrics } from './metrics.ts';
import { secretMatches } from './secret.ts';
import { checkSignature } from './signature.ts';

export interface HttpServerDeps {
	/** The secret path segment of callback URLs (see resolveCallbackSecret). */
	secret: string;
	/** Validates and normalises callback bodies of the configured family. */
	provider: Pick<SongProvider, 'family' | 'parseCallback'>;
	/** `tracker.report`: the one path for status updates. */
	report(snapshot: TaskSnapshot, source: 'callback', family: Family, intentId?: string): Promise<ReportResult>;
	/** True while the gateway is connected and the store answers; /healthz says 200 only then. */
	isHealthy(): boolean | Promise<boolean>;
	metrics: Metrics;
	/**
	 * /metrics is served here only with a bearer token (METRICS_TOKEN); without one it is 404 on this public
	 * port, and operators read it on METRICS_PORT (src/http/metrics-access.ts).
	 */
	metricsToken?: string | undefined;
	log: Logger;
	/** Largest callback body accepted; default 1 MiB. */
	bodyLimitBytes?: number;
	/** SUNO_WEBHOOK_KEY: callbacks must carry kie.ai's signature, made with this key, and be recent. */
	webhookKey?: string | undefined;
	now?: () => number;
}

/** Listens on every interface unless told otherwise (providers must reach the callbacks). */
export type HttpServer = ListeningServer;

const HEALTH_TIMEOUT_MS = 3_000;
const INTENT_ID = /^[\w-]{1,64}$/;

class TooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > limit) throw new TooLarge();
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > limit) throw new TooLarge();
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
	res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
	res.end(body);
}

/**
 * The bot's small HTTP surface on HTTP_PORT: `POST /callbacks/<secret>/<family>[/<intent id>]` (provider status
 * updates; the tracker puts the intent id there so a callback finds a task whose submit answer was lost),
 * `GET /healthz` and, with a bearer token only, `GET /metrics`. Callbacks are saved through the tracker before
 * the 2xx answer (applied, or stored in Redis for the process that holds the task), so a provider that gets an
 * error retries; duplicates and stale ones are harmless there.
 */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
	const limit = deps.bodyLimitBytes ?? 1_048_576;
	const { log, metrics } = deps;

	async function healthz(res: ServerResponse): Promise<void> {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const timeout = new Promise<boolean>((resolve) => {
			timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS);
		});
		const healthy = await Promise.race([Promise.resolve().then(deps.isHealthy), timeout]).catch(() => false);
		clearTimeout(timer);
		send(res, healthy ? 200 : 503, healthy ? 'ok\n' : 'unhealthy\n');
	}

	async function callback(
		req: IncomingMessage,
		res: ServerResponse,
		secret: string,
		family: string,
		intentId: string | undefined,
	): Promise<void> {
		if (!secretMatches(secret, deps.secret)) {
			metrics.callbackRejected('unauthorized');
			log.warn('callback with a wrong secret refused');
			return send(res, 404, 'not found\n');
		}
		if (family !== deps.provider.family) {
			metrics.callbackRejected('wrong_family');
			log.warn({ family }, 'callback for another provider family refused');
			return send(res, 404, 'not found\n');
		}
		let body: unknown;
		try {
			body = JSON.parse((await readBody(req, limit)).toString('utf8'));
		} catch (error) {
			const tooLarge = error instanceof TooLarge;
			metrics.callbackRejected(tooLarge ? 'too_large' : 'invalid');
			log.warn({ family }, tooLarge ? 'callback body too large' : 'callback body is not JSON');
			res.setHeader('connection', 'close');
			return send(res, tooLarge ? 413 : 400, tooLarge ? 'payload too large\n' : 'invalid JSON\n');
		}
		let updates: ReturnType<SongProvider['parseCallback']>;
		try {
			updates = deps.provider.parseCallback(body);
		} catch (error) {
			metrics.callbackRejected('invalid');
			log.warn({ family, detail: error instanceof ProviderError ? error.detail : String(error) }, 'callback rejected');
			return send(res, 400, 'not a callback this bot understands\n');
		}
		if (deps.webhookKey) {
			const headers = {
				timestamp: headerOf(req, 'x-webhook-timestamp'),
				signature: headerOf(req, 'x-webhook-signature'),
			};
			const now = (deps.now ?? Date.now)();
			for (const { snapshot } of updates) {
				const verdict = checkSignature(deps.webhookKey, snapshot.taskId, headers, now);
				if (verdict === 'ok') continue;
				metrics.callbackRejected('unauthorized');
				log.warn({ family, verdict }, 'callback without a valid, recent signature refused');
				return send(res, 401, 'signature required\n');
			}
		}
		for (const { snapshot } of updates) await deps.report(snapshot, 'callback', deps.provider.family, intentId);
		send(res, 200, '{"ok":true}\n', 'application/json');
	}

	async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const path = new URL(req.url ?? '/', 'http://localhost').pathname;
		const parts = path.split('/');
		// `/callbacks/<secret>/<family>[/<intent id>]`: the intent id finds a task whose submit answer was lost.
		const intentId = parts.length === 5 && INTENT_ID.test(parts[4] ?? '') ? parts[4] : undefined;
		if (parts[1] === 'callbacks' && (parts.length === 4 || intentId !== undefined)) {
			if (req.method !== 'POST') return send(res, 405, 'method not allowed\n');
			let secret: string;
			try {
				secret = decodeURIComponent(parts[2] ?? '');
			} catch {
				secret = '';
			}
			return callback(req, res, secret, parts[3] ?? '', intentId);
		}
		if (req.method === 'GET' && path === '/healthz') return healthz(res);
		if (req.method === 'GET' && path === '/metrics' && deps.metricsToken !== undefined) {
			return answerMetrics(req, res, { metrics, token: deps.metricsToken });
		}
		send(res, 404, 'not found\n');
	}

	const server = createServer((req, res) => {
		route(req, res).catch((error: unknown) => {
			// The URL may hold the callback secret: log the error, never the URL.
			log.error({ err: error }, 'HTTP request failed');
			if (!res.headersSent) send(res, 500, 'internal error\n');
			else res.destroy();
		});
	});
	return listening(server, '0.0.0.0');
}
