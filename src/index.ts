import process from 'node:process';
import { startupProblem } from './config-check.ts';
import { formatConfigProblems, secretsOf } from './config.ts';
import { loadConfigOrExit } from './env.ts';
import { createLogger, logProcessFailures, Secrets } from './log.ts';

const config = loadConfigOrExit();
const secrets = new Secrets(secretsOf(config));
const log = createLogger({ level: config.LOG_LEVEL, secrets });
logProcessFailures(log);

if (config.SHARDS === undefined) {
	// One process, every shard Discord gives it (one unless told otherwise).
	const { runBot } = await import('./run-bot.ts');
	await runBot(config, log, { secrets });
} else {
	// SHARDS=auto|N: this process only supervises; src/shard.ts runs the bot in one child per shard.
	const { startShardingManager } = await import('./sharding.ts');
	const sharding = await startShardingManager(config, log).catch((error: unknown) => {
		const problem = startupProblem(error, config);
		if (problem) process.stderr.write(formatConfigProblems([problem]));
		else log.fatal({ err: error }, 'songbot shards failed to start');
		process.exit(1);
	});
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			log.info({ signal }, 'stopping every shard');
			void sharding.stop().finally(() => process.exit(0));
		});
	}
}
