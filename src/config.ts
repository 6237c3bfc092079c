import { z } from 'zod';
import { parseFeatures } from './providers/features.ts';
import { parseDeclaredModels } from './providers/models.ts';
import { VARIANTS } from './providers/variants.ts';

/**
 * The bot's whole configuration, parsed once from the environment.
 * Every key has a hint that is printed when it is missing or invalid, so an operator never sees a stack trace.
 */

const bool = z
	.enum(['true', 'false', '1', '0', 'yes', 'no', ''])
	.transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalString = z.string().trim().optional();
const httpUrl = z.url({ protocol: /^https?$/ });
const snowflake = z.string().regex(/^\d{17,20}$/, 'a Discord id (17 to 20 digits)');

/** Adds a zod issue with the parser's own words when `parse` throws. */
function parsedOrIssue(parse: () => unknown, ctx: z.RefinementCtx): void {
	try {
		parse();
	} catch (error) {
		ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
	}
}

export const PROVIDER_FAMILIES = ['newapi', 'sunoapi', 'v1music'] as const;
export type ProviderFamily = (typeof PROVIDER_FAMILIES)[number];

const schema = z.object({
	DISCORD_TOKEN: z.string().trim().min(1),
	DISCORD_API_URL: httpUrl.default('https://discord.com/api'),
	DISCORD_GUILD_ID: snowflake.optional(),
	SUNO_PROVIDER: z.enum(PROVIDER_FAMILIES),
	SUNO_BASE_URL: httpUrl,
	SUNO_API_KEY: z.string().trim().min(1),
	SUNO_MODEL: optionalString,
	SUNO_MODELS: optionalString.superRefine((v, issue) => parsedOrIssue(() => parseDeclaredModels(v), issue)),
	SUNO_VARIANT: z.enum(VARIANTS).optional(),
	SUNO_FEATURES: optionalString.superRefine((v, issue) => parsedOrIssue(() => parseFeatures(v), issue)),
	SUNO_WEBHOOK_KEY: z.string().trim().min(8).optional(),
	STORE_URL: z
		.string()
		.refine((v) => /^(sqlite|redis|rediss):\/\//.test(v), 'must start with sqlite:// or redis://')
		.optional(),
	PUBLIC_BASE_URL: httpUrl.optional(),
	HTTP_PORT: int(1, 65535).optional(),
	CALLBACK_SECRET: z.string().min(16).optional(),
	METRICS_PORT: int(1, 65535).optional(),
	METRICS_TOKEN: z.string().trim().min(16).optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	DATA_DIR: z.string().default('./data'),
	// Tracker tuning.
	POLL_FAST_MS: int(200, 600_000).default(5_000),
	POLL_SLOW_MS: int(1_000, 3_600_000).default(30_000),
	SAFETY_POLL_MS: int(5_000, 3_600_000).default(60_000),
	STALL_TIMEOUT_SEC: int(1, 86_400).default(600),
	TASK_TIMEOUT_SEC: int(60, 7 * 86_400).default(3_600),
	RETENTION_DAYS: int(0, 36_500).default(365),
	// Audio cache.
	AUDIO_MAX_MB: int(1, 2_048).default(50),
	AUDIO_ALLOW_HTTP: bool.default(false),
	AUDIO_ALLOW_PRIVATE: bool.default(false),
	AUDIO_CACHE_MB: int(16, 1_000_000).default(2_048),
	VOICE_CACHE_MB: int(16, 1_000_000).default(1_024),
	// Fairness (guild admins override these with /songbot).
	COOLDOWN_SEC: int(0, 86_400).default(30),
	USER_DAILY_LIMIT: int(0, 10_000).default(10),
	GUILD_DAILY_LIMIT: int(0, 100_000).default(100),
	USER_RUNNING_LIMIT: int(0, 1_000).default(2),
	GUILD_RUNNING_LIMIT: int(0, 100_000).default(10),
	// Voice.
	VOICE_LEAVE_AFTER_END_SEC: int(0, 86_400).default(60),
	VOICE_LEAVE_WHEN_EMPTY_SEC: int(0, 86_400).default(30),
	VOICE_PAUSE_TIMEOUT_SEC: int(1, 86_400).default(600),
	VOICE_QUEUE_MAX: int(1, 1_000).default(50),
	JAM_IDLE_SEC: int(1, 90 * 86_400).default(172_800),
	// Scaling.
	SHARDS: z.union([z.literal('auto'), int(1, 10_000)]).optional(),
	SHARD_IDS: optionalString,
	LEASE_MS: int(500, 600_000).default(30_000),
});

type Parsed = z.output<typeof schema>;
/** STORE_URL defaults to a SQLite file inside DATA_DIR, so it is always set after parsing. */
export type Config = Readonly<Omit<Parsed, 'STORE_URL'> & { STORE_URL: string }>;

/** One line per key: what it is and where to get it. Printed next to every problem. */
export const HINTS: Record<keyof Parsed, string> = {
	DISCORD_TOKEN: 'the bot token: Discord Developer Portal → your application → Bot → Reset Token',
	DISCORD_API_URL: 'Discord REST base URL; leave unset unless you use a REST proxy (e.g. http://proxy:8080/api)',
	DISCORD_GUILD_ID: 'optional: a server id to register commands in at start-up (right-click the server → Copy ID)',
	SUNO_PROVIDER: `which API family your music provider speaks: ${PROVIDER_FAMILIES.join(' | ')} (see README)`,
	SUNO_BASE_URL: "your music provider's API base URL, e.g. https://api.sunoapi.org",
	SUNO_API_KEY: "the API key from your music provider's dashboard",
	SUNO_MODEL:
		"optional default model: v3.5, v4, v4.5, v4.5+, v4.5-all, v5, v5.5, the provider's own name (chirp-crow, V4_5PLUS) or one from SUNO_MODELS",
	SUNO_MODELS:
		'optional: models your provider offers that the bot does not know yet, name=provider-model, comma-separated (e.g. v6=chirp-xyz)',
	SUNO_VARIANT: `optional, family sunoapi: ${VARIANTS.join(' | ')} (which service's error codes apply; detected from SUNO_BASE_URL when unset)`,
	SUNO_FEATURES:
		'optional: features the provider has or lacks, comma-separated: upload, concat, cover, callbacks and the studio tools split, stems, wav, video, boost, replace, persona, timestamps, addVocals, addInstrumental (prefix - for lacks, e.g. -concat,-stems)',
	SUNO_WEBHOOK_KEY:
		"optional: kie.ai's webhook HMAC key; callbacks must then be signed and recent (unsigned or stale ones are refused)",
	STORE_URL: 'where state lives: sqlite://<DATA_DIR>/songbot.sqlite (default) or redis://host:6379',
	PUBLIC_BASE_URL: 'optional: the public https URL that reaches HTTP_PORT, enables provider callbacks',
	HTTP_PORT: 'optional: port for callbacks and /healthz (e.g. 8080); /metrics too with METRICS_TOKEN',
	CALLBACK_SECRET: 'optional: at least 16 characters in callback URLs; generated and stored when unset',
	METRICS_PORT: 'optional: port for /metrics alone, on 127.0.0.1 only (e.g. 9464); /metrics is never open on HTTP_PORT',
	METRICS_TOKEN: 'optional: a bearer token (16+ characters) Prometheus must send to read /metrics, also on HTTP_PORT',
	LOG_LEVEL: 'fatal | error | warn | info | debug | trace | silent',
	DATA_DIR: 'folder for the SQLite store and the audio cache',
	POLL_FAST_MS: 'first polling interval for a new task, in ms',
	POLL_SLOW_MS: 'polling interval for long-running tasks, in ms',
	SAFETY_POLL_MS: 'polling interval while callbacks are enabled, in ms',
	STALL_TIMEOUT_SEC: 'seconds without progress before a task is reported as stalled',
	TASK_TIMEOUT_SEC: 'seconds after which an unfinished task is given up',
	RETENTION_DAYS: 'days to keep finished songs in the library (0 keeps them forever)',
	AUDIO_MAX_MB: 'largest audio file downloaded from the provider, in MB',
	AUDIO_ALLOW_HTTP: 'true to allow plain-http audio URLs from the provider',
	AUDIO_ALLOW_PRIVATE:
		'true to fetch audio from loopback and private addresses (local test setups only; never with a real provider)',
	AUDIO_CACHE_MB: 'disk budget of the downloaded-audio cache, in MB (least recently used files are deleted first)',
	VOICE_CACHE_MB: 'disk budget of the Ogg/Opus voice cache, in MB',
	COOLDOWN_SEC: 'seconds a user waits between generations',
	USER_DAILY_LIMIT: 'generations per user per day (0 = unlimited)',
	GUILD_DAILY_LIMIT: 'generations per server per day (0 = unlimited)',
	USER_RUNNING_LIMIT: 'unfinished songs one user may have at a time in a server (0 = no cap)',
	GUILD_RUNNING_LIMIT: 'unfinished songs a server may have at a time (0 = no cap)',
	VOICE_LEAVE_AFTER_END_SEC: 'seconds in voice after the queue ends',
	VOICE_LEAVE_WHEN_EMPTY_SEC: 'seconds in voice after the channel empties',
	VOICE_PAUSE_TIMEOUT_SEC: 'seconds a paused player waits for Resume before it leaves the channel',
	VOICE_QUEUE_MAX: "most takes waiting in a server's voice queue",
	JAM_IDLE_SEC: 'seconds without a change after which a /jam closes itself (final card, thread archived and locked)',
	SHARDS: 'optional: auto or a number of shards (starts the ShardingManager)',
	SHARD_IDS: 'optional: comma-separated shard ids this machine runs (with SHARDS)',
	LEASE_MS:
		"with Redis: how long a process's claim on a song task lasts unless renewed, in ms (a crashed process's tasks move after about twice this)",
};

export interface ConfigProblem {
	key: string;
	problem: string;
	hint: string;
}

export class ConfigError extends Error {
	readonly problems: readonly ConfigProblem[];
	constructor(problems: ConfigProblem[]) {
		super(`invalid configuration: ${problems.map((p) => p.key).join(', ')}`);
		this.name = 'ConfigError';
		this.problems = problems;
	}
}

/** Pure: parses an environment object into a frozen Config, or throws ConfigError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): Config {
	// Empty strings count as unset, so `KEY=` in a .env file falls back to the default.
	const cleaned: Record<string, string> = {};
	for (const key of Object.keys(schema.shape)) {
		const value = env[key];
		if (value !== undefined && value.trim() !== '') cleaned[key] = value;
	}
	const result = schema.safeParse(cleaned);
	if (!result.success) {
		const seen = new Set<string>();
		const problems: ConfigProblem[] = [];
		for (const issue of result.error.issues) {
			const key = String(issue.path[0] ?? '?');
			if (seen.has(key)) continue;
			seen.add(key);
			const missing = cleaned[key] === undefined;
			problems.push({
				key,
				problem: missing ? 'missing' : `invalid (${issue.message})`,
				hint: HINTS[key as keyof Parsed] ?? '',
			});
		}
		throw new ConfigError(problems);
	}
	const data = result.data;
	return Object.freeze({
		...data,
		STORE_URL: data.STORE_URL ?? `sqlite://${data.DATA_DIR.replace(/\/+$/, '')}/songbot.sqlite`,
	});
}

/** Human-readable report of configuration problems, one line per key. Never includes values. */
export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
	const width = Math.max(...problems.map((p) => p.key.length));
	const lines = problems.map((p) => `  ${p.key.padEnd(width)}  ${p.problem}: ${p.hint}`);
	return `songbot cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}\n${lines.join('\n')}\nSet them in the environment or in a .env file (see .env.example).\n`;
}

/** Values that must never appear in logs or messages. */
export function secretsOf(config: Partial<Config>): string[] {
	return [
		config.DISCORD_TOKEN,
		config.SUNO_API_KEY,
		config.CALLBACK_SECRET,
		config.METRICS_TOKEN,
		config.SUNO_WEBHOOK_KEY,
	].filter((s): s is string => typeof s === 'string' && s.length >= 4);
}
