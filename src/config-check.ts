import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import process from 'node:process';
import { type Config, type ConfigProblem, HINTS } from './config.ts';
import { ProviderError } from './core/errors.ts';
import { createProvider, providerOptionsOf } from './providers/index.ts';
import { parseShardIds } from './sharding.ts';

/**
 * Checks of values the schema alone cannot judge, because their owners know the rules: the provider layer
 * knows which models a family offers, the sharding layer how shard ids are written. Run before anything
 * starts, so an operator gets the same one-line-per-key report as for a missing key instead of a fatal log
 * with a stack once the bot is half up.
 */
export function valueProblems(config: Config): ConfigProblem[] {
	const problems: ConfigProblem[] = [];
	const invalid = (key: keyof typeof HINTS, why: string) =>
		problems.push({ key, problem: `invalid (${why})`, hint: HINTS[key] });

	try {
		createProvider(providerOptionsOf(config));
	} catch (error) {
		if (!(error instanceof ProviderError)) throw error;
		// The schema already vouched for the URL, so a refusal is about the model when one is set.
		invalid(config.SUNO_MODEL === undefined ? 'SUNO_BASE_URL' : 'SUNO_MODEL', error.userMessage);
	}

	if (config.PUBLIC_BASE_URL !== undefined && config.HTTP_PORT === undefined) {
		// Otherwise callbacks would be off without a word, and every song would wait for the slow safety poll.
		invalid('PUBLIC_BASE_URL', 'callbacks arrive on HTTP_PORT, which is not set');
	}
	if (config.METRICS_PORT !== undefined && config.METRICS_PORT === config.HTTP_PORT) {
		invalid('METRICS_PORT', 'it is HTTP_PORT too: /metrics needs a port of its own, or METRICS_TOKEN on HTTP_PORT');
	}

	const dataProblem = folderProblem(config.DATA_DIR);
	if (dataProblem !== undefined) invalid('DATA_DIR', dataProblem);
	const storeDir = config.STORE_URL.startsWith('sqlite://') ? dirname(config.STORE_URL.slice('sqlite://'.length)) : '';
	// The default STORE_URL lies inside DATA_DIR: one problem, reported once.
	if (storeDir !== '' && !config.STORE_URL.endsWith(':memory:') && resolve(storeDir) !== resolve(config.DATA_DIR)) {
		const storeProblem = folderProblem(storeDir);
		if (storeProblem !== undefined) invalid('STORE_URL', storeProblem);
	}

	if (config.SHARDS === undefined) {
		if (config.SHARD_IDS !== undefined) invalid('SHARD_IDS', 'it only applies with SHARDS set');
	} else {
		// With SHARDS=auto the count is known only from Discord; the largest allowed count checks the syntax.
		const count = config.SHARDS === 'auto' ? 10_000 : config.SHARDS;
		try {
			parseShardIds(config.SHARD_IDS, count);
		} catch (error) {
			invalid('SHARD_IDS', (error as Error).message.replace(/^SHARD_IDS:\s*/, ''));
		}
		if (typeof config.SHARDS === 'number' && config.SHARDS > 1 && !/^rediss?:\/\//.test(config.STORE_URL)) {
			invalid('STORE_URL', `${config.SHARDS} shards share their tasks and quotas through Redis: use redis://host:6379`);
		}
	}
	return problems;
}

/**
 * Why the bot could not keep files in `dir` (created at start-up when missing): the nearest part of the path that
 * exists must be a folder this process may write to. A Docker volume owned by root is the usual case.
 */
function folderProblem(dir: string): string | undefined {
	let existing = resolve(dir);
	while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
	try {
		if (!statSync(existing).isDirectory()) return `${existing} is a file, not a folder`;
		accessSync(existing, constants.W_OK);
	} catch {
		return `this process (user ${process.getuid?.() ?? '?'}) cannot write to ${existing}`;
	}
	return undefined;
}

/**
 * A start-up failure that is really a wrong value, as a configuration problem: a token Discord refuses, a port
 * another program holds. Undefined for everything else, which is logged in full as before.
 */
export function startupProblem(error: unknown, config: Config): ConfigProblem | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const { code, status, port, name } = error as { code?: unknown; status?: unknown; port?: unknown; name?: unknown };
	// discord.js turns a 401 at login into TokenInvalid; the REST call of SHARDS=auto fails with the bare 401.
	if (code === 'TokenInvalid' || (typeof name === 'string' && name.startsWith('DiscordAPIError') && status === 401)) {
		return {
			key: 'DISCORD_TOKEN',
			problem: 'invalid (Discord refused it: reset the token and paste the new one)',
			hint: HINTS.DISCORD_TOKEN,
		};
	}
	if ((code === 'EADDRINUSE' || code === 'EACCES') && typeof port === 'number') {
		const key = port === config.METRICS_PORT ? 'METRICS_PORT' : port === config.HTTP_PORT ? 'HTTP_PORT' : undefined;
		const why = code === 'EADDRINUSE' ? `port ${port} is already in use` : `port ${port} needs privileges`;
		if (key !== undefined) return { key, problem: `invalid (${why})`, hint: HINTS[key] };
	}
	return undefined;
}
