import { existsSync } from 'node:fs';
import process from 'node:process';
import { type Config, ConfigError, formatConfigProblems, parseConfig } from './config.ts';

/**
 * Reads `.env` when present (real environment variables win), parses the configuration, and on
 * failure prints every problem with its hint and exits 1: operators never see a stack trace.
 */
export function loadConfigOrExit(envFile = '.env'): Config {
	if (existsSync(envFile)) process.loadEnvFile(envFile);
	try {
		return parseConfig(process.env);
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(formatConfigProblems(error.problems));
			process.exit(1);
		}
		throw error;
	}
}
