import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PROVIDER_FAMILIES, type ProviderFamily } from '../config.ts';
import { UsageError } from './exit.ts';

/**
 * Command-line options per subcommand. Provider settings fall back to the bot's environment keys
 * (SUNO_PROVIDER, SUNO_BASE_URL, SUNO_API_KEY, SUNO_MODEL), so an operator tests exactly what the bot uses.
 */

type Env = Record<string, string | undefined>;

const CONNECTION = {
	provider: { type: 'string' },
	'base-url': { type: 'string' },
	'api-key': { type: 'string' },
	model: { type: 'string' },
	json: { type: 'boolean' },
	timeout: { type: 'string' },
	'poll-interval': { type: 'string' },
	out: { type: 'string' },
	help: { type: 'boolean', short: 'h' },
} as const;

const CUSTOM = {
	'lyrics-file': { type: 'string' },
	style: { type: 'string' },
	title: { type: 'string' },
	'negative-tags': { type: 'string' },
	instrumental: { type: 'boolean' },
	vocal: { type: 'string' },
} as const;

const TAKE = { task: { type: 'string' }, clip: { type: 'string' } } as const;

export const SPECS = {
	generate: { ...CONNECTION, ...CUSTOM, description: { type: 'string' } },
	extend: {
		...CONNECTION,
		...CUSTOM,
		task: { type: 'string' },
		clip: { type: 'string' },
		at: { type: 'string' },
		uploaded: { type: 'boolean' },
	},
	lyrics: { ...CONNECTION, prompt: { type: 'string' } },
	concat: { ...CONNECTION, task: { type: 'string' }, clip: { type: 'string' } },
	doctor: { ...CONNECTION },
	// Studio tools (family B): each works on a finished take, named by its task and clip.
	split: { ...CONNECTION, ...TAKE, stems: { type: 'boolean' } },
	wav: { ...CONNECTION, ...TAKE },
	video: { ...CONNECTION, ...TAKE, author: { type: 'string' } },
	boost: { ...CONNECTION, style: { type: 'string' } },
	replace: {
		...CONNECTION,
		...TAKE,
		'lyrics-file': { type: 'string' },
		style: { type: 'string' },
		title: { type: 'string' },
		from: { type: 'string' },
		to: { type: 'string' },
		duration: { type: 'string' },
	},
	persona: {
		...CONNECTION,
		...TAKE,
		name: { type: 'string' },
		description: { type: 'string' },
		'vocal-start': { type: 'string' },
		'vocal-end': { type: 'string' },
	},
} as const;
export type Subcommand = keyof typeof SPECS;

export type Values = Record<string, string | boolean | undefined>;

export function parseSubcommand(command: Subcommand, args: readonly string[]): Values {
	try {
		const { values } = parseArgs({ args: [...args], options: SPECS[command], strict: true, allowPositionals: false });
		return values as Values;
	} catch (error) {
		throw new UsageError(error instanceof Error ? (error.message.split('\n')[0] ?? 'bad arguments') : 'bad arguments');
	}
}

export interface Connection {
	family: ProviderFamily;
	baseUrl: string;
	apiKey: string;
	model: string | undefined;
}

/** The provider settings from flags, else the environment; a missing one is a usage error naming both. */
export function connectionOf(values: Values, env: Env): Connection {
	const pick = (flag: string, key: string): string | undefined => {
		const fromFlag = values[flag];
		const value = typeof fromFlag === 'string' ? fromFlag : env[key];
		return value?.trim() ? value.trim() : undefined;
	};
	const family = pick('provider', 'SUNO_PROVIDER');
	const baseUrl = pick('base-url', 'SUNO_BASE_URL');
	const apiKey = pick('api-key', 'SUNO_API_KEY');
	if (family === undefined)
		throw new UsageError(`no provider: pass --provider (${PROVIDER_FAMILIES.join(' | ')}) or set SUNO_PROVIDER`);
	if (!(PROVIDER_FAMILIES as readonly string[]).includes(family)) {
		throw new UsageError(`unknown provider "${family}": use one of ${PROVIDER_FAMILIES.join(', ')}`);
	}
	if (baseUrl === undefined) throw new UsageError('no base URL: pass --base-url or set SUNO_BASE_URL');
	if (apiKey === undefined) throw new UsageError('no API key: pass --api-key or set SUNO_API_KEY');
	return { family: family as ProviderFamily, baseUrl, apiKey, model: pick('model', 'SUNO_MODEL') };
}

/** A positive number of seconds, or the default. */
export function seconds(values: Values, flag: string, fallback: number): number {
	const raw = values[flag];
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (typeof raw !== 'string' || !Number.isFinite(value) || value <= 0) {
		throw new UsageError(`--${flag} must be a positive number of seconds`);
	}
	return value;
}

export function text(values: Values, flag: string): string | undefined {
	const value = values[flag];
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function required(values: Values, flag: string, what: string): string {
	const value = text(values, flag);
	if (value === undefined) throw new UsageError(`missing --${flag} (${what})`);
	return value;
}

export function readLyrics(values: Values): string | undefined {
	const path = text(values, 'lyrics-file');
	if (path === undefined) return undefined;
	try {
		return readFileSync(path, 'utf8');
	} catch {
		throw new UsageError(`cannot read the lyrics file ${path}`);
	}
}

export function vocal(values: Values): 'f' | 'm' | undefined {
	const value = text(values, 'vocal');
	if (value === undefined) return undefined;
	if (value !== 'f' && value !== 'm') throw new UsageError('--vocal must be f or m');
	return value;
}

export const USAGE = `usage: songbot <command> [options]

commands:
  generate  (--description D | --lyrics-file F --style S --title T) [--instrumental] [--model M]
            [--vocal f|m] [--negative-tags X] [--out DIR] [--json] [--timeout SEC]
  extend    --task T --clip C --at SEC [--lyrics-file F --style S --title T] [--uploaded] [...]
  lyrics    --prompt P [--json]
  concat    --clip C [--task T] [--out DIR] [--json]
  doctor    checks the configuration the bot would use [--json]

studio tools (family B; each on a finished take: --task T --clip C):
  split     --task T --clip C [--stems] [--out DIR] [--json]   vocals + instrumental (or up to 12 stems)
  wav       --task T --clip C [--out DIR] [--json]             the take as a WAV file
  video     --task T --clip C [--author A] [--json]            a music video (prints its link)
  boost     --style S [--json]                                 expands a short style into a detailed one
  replace   --task T --clip C --from SEC --to SEC --lyrics-file F --style S --title T [--duration SEC]
            a new take with only that section sung anew with the file's words (6 to 60 s, at most half the take)
  persona   --task T --clip C --name N --description D [--vocal-start SEC --vocal-end SEC] [--json]
            a house singer from 10 to 30 s of the take's vocals (prints its persona id)

connection (default to the bot's environment keys):
  --provider newapi|sunoapi|v1music (SUNO_PROVIDER)  --base-url URL (SUNO_BASE_URL)
  --api-key KEY (SUNO_API_KEY)  --model v3.5|v4|v4.5|v4.5+|v4.5-all|v5|v5.5 (SUNO_MODEL)

exit codes: 0 done, 2 invalid input (nothing sent), 3 rejected by the provider,
            4 generation failed or timed out, 1 anything else
`;
