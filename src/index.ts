import process from 'node:process';
import { secretsOf } from './config.ts';
import { loadConfigOrExit } from './env.ts';
import { createLogger, Secrets } from './log.ts';

const config = loadConfigOrExit();
const secrets = new Secrets(secretsOf(config));
const log = createLogger({ level: config.LOG_LEVEL, secrets });

const { startApp } = await import('./app.ts');
const app = await startApp(config, log, { secrets }).catch((error: unknown) => {
	log.fatal({ err: error }, 'songbot failed to start');
	process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		log.info({ signal }, 'shutting down');
		void app.stop().finally(() => process.exit(0));
	});
}
