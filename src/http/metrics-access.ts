import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import { type ListeningServer, listening } from './listening.ts';
import type { Metrics } from './metrics.ts';
import { secretMatches } from './secret.ts';

/**
 * Who may read /metrics. The figures are not secret in themselves, but they tell anyone who can reach the
 * public HTTP_PORT how busy the bot is and how its provider fares, so they are never open there: operators
 * scrape them on METRICS_PORT (loopback only) or send METRICS_TOKEN as a bearer token.
 */
export interface MetricsAccess {
	metrics: Metrics;
	/** When set, a request must carry `Authorization: Bearer <token>`. */
	token?: string | undefined;
}

/** Answers GET /metrics: 401 without the right bearer token when one is configured. */
export async function answerMetrics(req: IncomingMessage, res: ServerResponse, access: MetricsAccess): Promise<void> {
	if (access.token !== undefined) {
		const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
		if (match === null || !secretMatches(match[1]?.trim() ?? '', access.token)) {
			const body = 'unauthorized\n';
			res.writeHead(401, {
				'content-type': 'text/plain; charset=utf-8',
				'content-length': Buffer.byteLength(body),
				'www-authenticate': 'Bearer realm="songbot metrics"',
			});
			res.end(body);
			return;
		}
	}
	const body = await access.metrics.registry.metrics();
	res.writeHead(200, {
		'content-type': access.metrics.registry.contentType,
		'content-length': Buffer.byteLength(body),
	});
	res.end(body);
}

/** Listens on 127.0.0.1 unless told otherwise. */
export type MetricsServer = ListeningServer;

/** The METRICS_PORT server: GET /metrics and nothing else, for a scraper on the same machine. */
export function createMetricsServer(access: MetricsAccess & { log: Logger }): MetricsServer {
	const server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://localhost').pathname;
		if (req.method !== 'GET' || path !== '/metrics') {
			res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
			res.end('not found\n');
			return;
		}
		answerMetrics(req, res, access).catch((error: unknown) => {
			access.log.error({ err: error }, 'metrics request failed');
			if (!res.headersSent) res.writeHead(500).end();
			else res.destroy();
		});
	});
	return listening(server, '127.0.0.1');
}
