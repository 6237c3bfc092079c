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

export function makeScrubber(secrets: readonly string[]): (line: string) => string {
	const forms = secrets.flatMap(secretForms);
	if (forms.length === 0) return (line) => line;
	return (line) => {
		let out = line;
		for (const form of forms) if (out.includes(form)) out = out.replaceAll(form, '[REDACTED]');
		return out;
	};
}

export interface LogOptions {
	level: string;
	secrets: readonly string[];
	/** Where lines go; defaults to stdout, pretty-printed when stdout is a terminal. */
	destination?: DestinationStream;
	pretty?: boolean;
}

export function createLogger(options: LogOptions): Logger {
	const scrub = makeScrubber(options.secrets);
	const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
	const base = {
		level: options.level,
		base: { app: 'songbot' },
		hooks: { streamWrite: scrub },
		redact: { paths: ['*.token', '*.apiKey', '*.authorization', '*.headers.authorization'], censor: '[REDACTED]' },
	};
	if (options.destination) return pino(base, options.destination);
	if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
	return pino(base);
}
