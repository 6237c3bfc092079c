import { existsSync } from 'node:fs';
import process from 'node:process';
import { valueProblems } from './config-check.ts';
import { type Config, ConfigError, formatConfigProblems, parseConfig } from './config.ts';

/**
 * Reads `.env` when present (real environment variables win), parses the configuration, checks the values the
 * schema cannot judge alone (src/config-check.ts), and on failure prints every problem with its hint and exits 1:
 * operators never see a stack trace.
 */
export function loadConfigOrExit(envFile = '.env'): Config {
	if (existsSync(envFile)) process.loadEnvFile(envFile);
	try {
		return checkedConfig(process.env);
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(formatConfigProblems(error.problems));
			process.exit(1);
		}
		throw error;
	}
}

/** `parseConfig`, then the checks of src/config-check.ts: a Config, or a ConfigError listing every problem. */
export function checkedConfig(env: Record<string, string | undefined>): Config {
	const config = parseConfig(env);
	const problems = valueProblems(config);
	if (problems.length > 0) throw new ConfigError(problems);
	return config;
}
