import process from 'node:process';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Every form in which a secret may be written: raw, JSON-escaped (inside a log line) and URL-encoded
 * (inside a logged URL). Scrubbing the final line catches secrets in error messages, stacks, URLs and
 * nested objects alike, which field-path redaction cannot.
 */
function secretForms(secret: string): string[] {
	const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
	return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

/**
 * Interaction and webhook tokens in Discord URLs: discord.js puts the request URL in its errors (`url` of a
 * DiscordAPIError, HTTPError or RateLimitError), e.g. `/interactions/<id>/<token>/callback` and
 * `/webhooks/<application id>/<token>/messages/@original`. A token lets anyone answer or edit as the bot for 15
 * minutes, so the path segment after the id is replaced wherever such a URL appears in a line.
 */
const DISCORD_TOKEN_IN_PATH = /(\/(?:interactions|webhooks)\/\d{1,20}\/)[^/?#\s"'\\]+/g;

/**
 * The secret segment of our own callback URLs (`/callbacks/<secret>/<family>`, src/http/secret.ts). Besides the
 * exact secret, this also catches a provider's error text that echoes the URL cut off in the middle of it.
 */
const CALLBACK_SECRET_IN_PATH = /(\/callbacks\/)(?!\[REDACTED\])[^/?#\s"'\\]+/g;

/** A token field at any depth (an interaction object logged whole), which `redact.paths` reaches only at one. */
const TOKEN_FIELD = /("(?:token|webhookToken|interactionToken)":)"(?:[^"\\]|\\.)*"/g;

/**
 * The values to keep out of every log line. Secrets known only later (e.g. a callback secret generated and
 * stored on first start) are added with `add`, and apply to loggers created before.
 */
export class Secrets {
	#forms: string[] = [];

	constructor(initial: readonly string[] = []) {
		for (const secret of initial) this.add(secret);
	}

	add(secret: string): void {
		// Very short values would redact ordinary words; config requires real secrets to be long anyway.
		if (secret.length < 4) return;
		const forms = new Set([...this.#forms, ...secretForms(secret)]);
		this.#forms = [...forms].sort((a, b) => b.length - a.length);
	}

	scrub(line: string): string {
		let out = line;
		for (const form of this.#forms) if (out.includes(form)) out = out.replaceAll(form, '[REDACTED]');
		return out
			.replace(DISCORD_TOKEN_IN_PATH, '$1[REDACTED]')
			.replace(CALLBACK_SECRET_IN_PATH, '$1[REDACTED]')
			.replace(TOKEN_FIELD, '$1"[REDACTED]"');
	}
}

export interface LogOptions {
	level: string;
	secrets: Secrets | readonly string[];
	/** Where lines go; defaults to stdout, pretty-printed when stdout is a terminal. */
	destination?: DestinationStream;
	pretty?: boolean;
}

export function createLogger(options: LogOptions): Logger {
	const secrets = options.secrets instanceof Secrets ? options.secrets : new Secrets(options.secrets);
	const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
	const base = {
		level: options.level,
		base: { app: 'songbot' },
		hooks: { streamWrite: (line: string) => secrets.scrub(line) },
		redact: { paths: ['*.token', '*.apiKey', '*.authorization', '*.headers.authorization'], censor: '[REDACTED]' },
	};
	if (options.destination) return pino(base, options.destination);
	if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
	return pino(base);
}

/**
 * Node prints an uncaught error to stderr with every property, such as the `url` of a DiscordAPIError that
 * holds an interaction token, past the logger and its scrubbing. These handlers send it through the logger
 * instead and then end the process as Node would have (exit 1), so a supervisor still restarts the bot.
 */
export function logProcessFailures(log: Logger): void {
	const fail = (what: string) => (error: unknown) => {
		log.fatal({ err: error }, what);
		process.exit(1);
	};
	process.on('uncaughtException', fail('uncaught exception'));
	process.on('unhandledRejection', fail('unhandled promise rejection'));
}
