import process from 'node:process';
import type { AppOptions } from './app.ts';
import { startupProblem } from './config-check.ts';
import { type Config, formatConfigProblems } from './config.ts';
import type { Logger } from './log.ts';

/**
 * Runs one bot process until SIGINT / SIGTERM (or `stopWhen`), then stops it in order: work in progress
 * finishes and the task leases are given back, so other processes take the tasks over at once.
 */
export async function runBot(
	config: Config,
	log: Logger,
	options: AppOptions & { stopWhen?: (stop: (reason: string) => void) => void } = {},
): Promise<void> {
	const { startApp } = await import('./app.ts');
	const app = await startApp(config, log, options).catch((error: unknown) => {
		const problem = startupProblem(error, config);
		if (problem) process.stderr.write(formatConfigProblems([problem]));
		else log.fatal({ err: error }, 'songbot failed to start');
		process.exit(1);
	});
	// Memory start-up needed and no longer does goes back now, not after hours of idling (src/memory.ts).
	const { releaseStartupMemory } = await import('./memory.ts');
	setTimeout(releaseStartupMemory, 1_000).unref();
	let stopping = false;
	const stop = (reason: string) => {
		if (stopping) return;
		stopping = true;
		log.info({ reason }, 'shutting down');
		void app
			.stop()
			.catch((error: unknown) => log.error({ err: error }, 'shutdown was not clean'))
			.finally(() => process.exit(0));
	};
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop(signal));
	options.stopWhen?.(stop);
}
