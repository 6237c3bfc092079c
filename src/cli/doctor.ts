import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { ConfigError, HINTS, parseConfig } from '../config.ts';
import { ProviderError } from '../core/errors.ts';
import type { FeatureProbe } from '../providers/adapter.ts';
import { createProvider, parseFeatures, VARIANTS, type Variant } from '../providers/index.ts';
import { saveFeatures } from '../providers/learn.ts';
import { hasTool, TOOL_NAMES, type ToolFlags, type ToolName } from '../core/studio.ts';
import { createLogger } from '../log.ts';
import { openStore } from '../store/index.ts';
import { EXIT, type ExitCode } from './exit.ts';
import type { Values } from './options.ts';
import type { Io } from './run.ts';

/**
 * `songbot doctor`: the checks an operator runs before starting the bot. One line per check; every
 * failure comes with a fix. Never prints a key or token.
 */

type Env = Record<string, string | undefined>;

export interface Check {
	name: string;
	ok: boolean;
	detail: string;
	fix?: string;
}

const FLAG_KEYS: [string, string][] = [
	['provider', 'SUNO_PROVIDER'],
	['base-url', 'SUNO_BASE_URL'],
	['api-key', 'SUNO_API_KEY'],
	['model', 'SUNO_MODEL'],
];

function configChecks(env: Env): Check[] {
	try {
		parseConfig(env);
		return [{ name: 'configuration', ok: true, detail: 'every required key is set and valid' }];
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		return error.problems.map((p) => ({ name: p.key, ok: false, detail: p.problem, fix: `set ${p.key}: ${p.hint}` }));
	}
}

const PROVIDER_FIX: Partial<Record<ProviderError['kind'], string>> = {
	auth: 'check SUNO_API_KEY (copy it again from the provider dashboard)',
	credits: 'top up the provider account',
	unavailable: 'check SUNO_BASE_URL and that the provider is up (try again later if it is down)',
	timeout: 'check SUNO_BASE_URL and your network; the provider did not answer in time',
	protocol: 'check SUNO_PROVIDER: the answers do not look like this API family',
	not_found: 'check SUNO_BASE_URL (including any path such as /v1) and SUNO_PROVIDER',
	unsupported: 'check SUNO_BASE_URL (including any path such as /v1) and SUNO_PROVIDER',
	rate_limited: 'wait a minute and run doctor again',
};

/** One line naming what the probe found: offered and refused optional features. */
function featureLine(caps: {
	lyrics: boolean;
	extend: boolean;
	upload: boolean;
	concat: boolean;
	cover: boolean;
}): string {
	const names: [boolean, string][] = [
		[true, 'music'],
		[caps.lyrics, 'lyrics'],
		[caps.extend, 'extend'],
		[caps.upload, 'uploads'],
		[caps.cover, 'covers'],
		[caps.concat, 'full songs (concat)'],
	];
	const has = names.filter(([on]) => on).map(([, name]) => name);
	const lacks = names.filter(([on]) => !on).map(([, name]) => name);
	return `${has.join(', ')}${lacks.length ? `; not offered: ${lacks.join(', ')} (their buttons are hidden)` : ''}`;
}

/** The studio tools the provider offers (issue 17): their buttons and CLI commands exist only for these. */
function toolLine(caps: ToolFlags): string {
	const offered = TOOL_NAMES.filter((name) => hasTool(caps, name)).map((name) => TOOL_LABELS[name]);
	return offered.length ? offered.join(', ') : 'none (only family B, sunoapi, has them; their buttons are hidden)';
}

const TOOL_LABELS: Record<ToolName, string> = {
	split: 'split',
	stems: 'stems',
	wav: 'WAV',
	video: 'video',
	boost: 'style boost',
	replace: 'fix a section',
	persona: 'house singer',
	timestamps: 'timed lyrics',
	addVocals: 'add vocals',
	addInstrumental: 'add instrumental',
};

interface ProviderFindings {
	checks: Check[];
	/** Optional features the probe found, saved for the bot when the store is reachable. */
	found?: FeatureProbe;
}

async function providerChecks(env: Env): Promise<ProviderFindings> {
	const family = env.SUNO_PROVIDER?.trim();
	const baseUrl = env.SUNO_BASE_URL?.trim();
	const apiKey = env.SUNO_API_KEY?.trim();
	if (!family || !baseUrl || !apiKey || !['newapi', 'sunoapi', 'v1music'].includes(family)) {
		return {
			checks: [
				{
					name: 'provider',
					ok: false,
					detail: 'not checked: provider settings incomplete',
					fix: 'fix SUNO_PROVIDER, SUNO_BASE_URL and SUNO_API_KEY first',
				},
			],
		};
	}
	try {
		const provider = createProvider({
			family: family as 'newapi' | 'sunoapi' | 'v1music',
			baseUrl,
			apiKey,
			model: env.SUNO_MODEL,
			declaredModels: env.SUNO_MODELS,
			...((VARIANTS as readonly string[]).includes(env.SUNO_VARIANT ?? '')
				? { variant: env.SUNO_VARIANT as Variant }
				: {}),
			features: featuresOf(env),
			fetchTimeoutMs: 15_000,
			retry: { reads: 0 },
		});
		const probe = await provider.probe();
		const found = await provider.probeFeatures();
		const checks: Check[] = [
			{
				name: 'provider',
				ok: true,
				detail: `${family} API reachable at ${new URL(baseUrl).host} and the API key was accepted`,
			},
			{ name: 'variant', ok: true, detail: provider.variant },
			{ name: 'features', ok: true, detail: featureLine(provider.capabilities) },
			{ name: 'studio tools', ok: true, detail: toolLine(provider.capabilities) },
			{
				name: 'models',
				ok: true,
				detail: `${provider.capabilities.models.join(', ')} (default ${provider.capabilities.defaultModel})`,
			},
		];
		if (probe.credits === undefined)
			checks.push({ name: 'credits', ok: true, detail: `not reported by the ${family} family` });
		else if (probe.credits <= 0)
			checks.push({ name: 'credits', ok: false, detail: 'no credits left', fix: 'top up the provider account' });
		else checks.push({ name: 'credits', ok: true, detail: `${probe.credits} left` });
		return { checks, found };
	} catch (error) {
		if (!(error instanceof ProviderError)) throw error;
		const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
		const fix =
			error.kind === 'invalid_input'
				? 'check SUNO_BASE_URL and SUNO_MODEL'
				: (PROVIDER_FIX[error.kind] ?? 'check the provider settings');
		return { checks: [{ name: 'provider', ok: false, detail: `${error.userMessage}${status}`, fix }] };
	}
}

function featuresOf(env: Env): ReturnType<typeof parseFeatures> {
	try {
		return parseFeatures(env.SUNO_FEATURES);
	} catch {
		return {}; // the configuration check already reports it
	}
}

/** Saves what the probe found where the bot reads it, so the bot hides what the provider lacks from its start. */
async function rememberProbe(env: Env, found: FeatureProbe | undefined): Promise<Check | undefined> {
	if (found === undefined || Object.keys(found).length === 0) return undefined;
	let storeUrl: string;
	try {
		storeUrl = parseConfig(env).STORE_URL;
	} catch {
		return undefined;
	}
	try {
		const store = await openStore(storeUrl, { log: createLogger({ level: 'silent', secrets: [] }) });
		try {
			await saveFeatures(store, env.SUNO_PROVIDER ?? '', env.SUNO_BASE_URL ?? '', found);
		} finally {
			await store.close();
		}
		return { name: 'features saved', ok: true, detail: 'the bot uses what was found from its next start' };
	} catch (error) {
		return {
			name: 'features saved',
			ok: false,
			detail: `could not save what was found (${(error as { code?: string }).code ?? 'store error'})`,
			fix: 'check STORE_URL, or declare the features with SUNO_FEATURES',
		};
	}
}

function ffmpegCheck(env: Env): Check {
	const result = spawnSync('ffmpeg', ['-hide_banner', '-version'], {
		encoding: 'utf8',
		env: { PATH: env.PATH ?? '' },
		timeout: 10_000,
	});
	if (result.error || result.status !== 0) {
		return {
			name: 'ffmpeg',
			ok: false,
			detail: 'not found on PATH',
			fix: 'install ffmpeg (e.g. apt install ffmpeg) and make sure it is on PATH',
		};
	}
	const version = /ffmpeg version (\S+)/.exec(result.stdout)?.[1] ?? 'present';
	return { name: 'ffmpeg', ok: true, detail: `version ${version}` };
}

function storeCheck(env: Env): Check {
	const dir = resolve(env.DATA_DIR?.trim() || './data');
	const probe = join(dir, `.songbot-doctor-${process.pid}`);
	try {
		mkdirSync(dir, { recursive: true });
		writeFileSync(probe, 'ok');
		rmSync(probe, { force: true });
		return { name: 'store', ok: true, detail: `${dir} is writable` };
	} catch (error) {
		const code = (error as { code?: string }).code ?? 'error';
		return {
			name: 'store',
			ok: false,
			detail: `${dir} is not writable (${code})`,
			fix: `create the folder or fix its permissions, or set DATA_DIR (${HINTS.DATA_DIR})`,
		};
	}
}

export async function doctor(values: Values, env: Env, io: Io): Promise<ExitCode> {
	// Flags override the environment, exactly as for the other commands.
	const merged: Env = { ...env };
	for (const [flag, key] of FLAG_KEYS) if (typeof values[flag] === 'string') merged[key] = values[flag] as string;
	const provider = await providerChecks(merged);
	const checks = [...configChecks(merged), ...provider.checks, ffmpegCheck(merged), storeCheck(merged)];
	const saved = await rememberProbe(merged, provider.found);
	if (saved) checks.push(saved);
	const ok = checks.every((c) => c.ok);
	if (values.json === true) {
		io.stdout.write(`${JSON.stringify({ ok, checks })}\n`);
	} else {
		for (const c of checks) {
			io.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}${c.fix ? ` → fix: ${c.fix}` : ''}\n`);
		}
		io.stdout.write(ok ? 'all checks passed\n' : `${checks.filter((c) => !c.ok).length} check(s) failed\n`);
	}
	return ok ? EXIT.ok : EXIT.other;
}
