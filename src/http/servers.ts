import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { MetricsServer } from './metrics-access.ts';
import type { HttpServer, HttpServerDeps } from './server.ts';

/**
 * The bot's own listeners, each only when its port is set: the public HTTP server (provider callbacks, /healthz, and
 * /metrics behind METRICS_TOKEN) on HTTP_PORT, and /metrics on loopback on METRICS_PORT. Their modules are loaded
 * only then, so a bot without ports never pays for them.
 */
export async function startServers(
	config: Pick<Config, 'HTTP_PORT' | 'METRICS_PORT' | 'METRICS_TOKEN' | 'SUNO_WEBHOOK_KEY'>,
	deps: Omit<HttpServerDeps, 'metricsToken' | 'webhookKey'> & { log: Logger; callbacks: boolean },
): Promise<{ httpUrl?: string; metricsUrl?: string; close?: () => Promise<void> }> {
	const { log, metrics } = deps;
	let http: HttpServer | undefined;
	let httpUrl: string | undefined;
	if (config.HTTP_PORT) {
		const { createHttpServer } = await import('./server.ts');
		const { callbacks, ...serverDeps } = deps;
		http = createHttpServer({ ...serverDeps, metricsToken: config.METRICS_TOKEN, webhookKey: config.SUNO_WEBHOOK_KEY });
		httpUrl = await http.listen(config.HTTP_PORT);
		log.info({ url: httpUrl, callbacks }, 'HTTP server listening');
	}
	let metricsServer: MetricsServer | undefined;
	let metricsUrl: string | undefined;
	if (config.METRICS_PORT) {
		const { createMetricsServer } = await import('./metrics-access.ts');
		metricsServer = createMetricsServer({ metrics, token: config.METRICS_TOKEN, log });
		metricsUrl = await metricsServer.listen(config.METRICS_PORT);
		log.info({ url: `${metricsUrl}/metrics` }, 'metrics listening on loopback');
	}
	return {
		...(httpUrl ? { httpUrl } : {}),
		...(metricsUrl ? { metricsUrl } : {}),
		close: async () => {
			await http?.close();
			await metricsServer?.close();
		},
	};
}
