import type { Dispatcher } from 'undici';
import type { Config } from '../config.ts';
import { ProviderError } from '../core/errors.ts';
import type { Family, SongProvider } from '../core/provider.ts';
import type { AdapterDeps, Probe } from './adapter.ts';
import { DEFAULT_RETRY, HttpClient, type RetryPolicy, realSleep, type Sleep } from './http.ts';
import {
	aliasesOf,
	DEFAULT_MODEL,
	DEFAULT_MODEL_MAPS,
	type ModelMap,
	modelNamed,
	modelsOf,
	parseDeclaredModels,
} from './models.ts';
import { parseFeatures } from './features.ts';
import { NewApiProvider } from './newapi.ts';
import { SunoApiProvider } from './sunoapi.ts';
import { V1MusicProvider } from './v1music.ts';
import { detectVariant, type Variant } from './variants.ts';

export type { ProbeResult } from './adapter.ts';
export type { RetryPolicy, Sleep } from './http.ts';
export { DEFAULT_MODEL_MAPS, limitsFor, parseDeclaredModels } from './models.ts';
export { parseFeatures, type DeclaredFeatures } from './features.ts';
export { detectVariant, VARIANTS, type Variant } from './variants.ts';

export interface ProviderOptions {
	family: Family;
	/** The API base; family A may include a mount prefix (`https://gw.example/v1` → `/v1/suno/...`). */
	baseUrl: string;
	apiKey: string;
	/** Default model (SUNO_MODEL): friendly, native or declared name; an unknown one throws invalid_input. */
	model?: string | undefined;
	/** SUNO_MODELS: models the operator declares (`v6=chirp-xyz, v5=chirp-v5`); a malformed entry throws invalid_input. */
	declaredModels?: string | undefined;
	/** SUNO_VARIANT: which service of the family (B: sunoapi | kie | apibox); detected from the base URL when unset. */
	variant?: Variant | undefined;
	/** Per-request timeout of reads (fetch, credits). Default 20 s. */
	fetchTimeoutMs?: number | undefined;
	/** Per-request timeout of submits. Default 60 s; family A lyrics get at least 150 s (Suno-API answers slowly). */
	submitTimeoutMs?: number | undefined;
	retry?: Partial<RetryPolicy> | undefined;
	/** Injected in tests so backoff costs no wall time. */
	sleep?: Sleep | undefined;
	random?: (() => number) | undefined;
	/** Parallel polls for families that fetch one task per request. Default 4. */
	concurrency?: number | undefined;
	/** Overrides of the friendly → wire model names (the maps drift; §7.1). */
	modelMap?: ModelMap | undefined;
	features?: AdapterDeps['features'] | undefined;
	uploadExtendForm?: AdapterDeps['uploadExtendForm'] | undefined;
	/** Family B: the callBackUrl sent when the bot only polls. */
	placeholderCallbackUrl?: string | undefined;
	dispatcher?: Dispatcher | undefined;
	userAgent?: string | undefined;
}

/** A provider adapter; also answers `probe` (used by `songbot doctor`). */
export type Provider = SongProvider & Probe;

/** Builds the adapter for `options.family`. Throws ProviderError('invalid_input') for a bad base URL or model. */
/** The provider settings of a parsed configuration: the bot and its start-up check build the provider alike. */
export function providerOptionsOf(config: Config): ProviderOptions {
	return {
		family: config.SUNO_PROVIDER,
		baseUrl: config.SUNO_BASE_URL,
		apiKey: config.SUNO_API_KEY,
		model: config.SUNO_MODEL,
		declaredModels: config.SUNO_MODELS,
		variant: config.SUNO_VARIANT,
		features: parseFeatures(config.SUNO_FEATURES),
	};
}

export function createProvider(options: ProviderOptions): Provider {
	let base: URL;
	try {
		base = new URL(options.baseUrl);
	} catch {
		throw new ProviderError({
			kind: 'invalid_input',
			userMessage: 'SUNO_BASE_URL is not a valid URL.',
			detail: 'bad base URL',
		});
	}
	if (base.protocol !== 'http:' && base.protocol !== 'https:') {
		throw new ProviderError({
			kind: 'invalid_input',
			userMessage: 'SUNO_BASE_URL must start with http:// or https://.',
		});
	}
	let declared: Record<string, string>;
	try {
		declared = parseDeclaredModels(options.declaredModels);
	} catch (error) {
		throw new ProviderError({
			kind: 'invalid_input',
			userMessage: `SUNO_MODELS: ${(error as Error).message}. Write it as v6=chirp-xyz, v5=chirp-v5.`,
		});
	}
	const models: ModelMap = { ...DEFAULT_MODEL_MAPS[options.family], ...options.modelMap, ...declared };
	const modelAliases = aliasesOf(options.family, models);
	const requested = modelNamed(
		{ models: modelsOf(models), modelAliases },
		options.model?.trim() || DEFAULT_MODEL[options.family],
	);
	const fetchTimeoutMs = options.fetchTimeoutMs ?? 20_000;
	const submitTimeoutMs = options.submitTimeoutMs ?? 60_000;
	const http = new HttpClient({
		family: options.family,
		baseUrl: options.baseUrl,
		apiKey: options.apiKey,
		timeoutMs: fetchTimeoutMs,
		submitTimeoutMs,
		retry: { ...DEFAULT_RETRY, ...options.retry },
		sleep: options.sleep ?? realSleep,
		random: options.random ?? Math.random,
		dispatcher: options.dispatcher,
		userAgent: options.userAgent,
	});
	const deps: AdapterDeps = {
		http,
		models,
		modelAliases,
		defaultModel: requested,
		variant: options.variant ?? detectVariant(options.family, base),
		concurrency: options.concurrency ?? 4,
		features: options.features ?? {},
		uploadExtendForm: options.uploadExtendForm ?? 'task',
		lyricsSubmitTimeoutMs: Math.max(submitTimeoutMs, options.submitTimeoutMs === undefined ? 150_000 : 0),
		placeholderCallbackUrl: options.placeholderCallbackUrl ?? 'https://songbot.invalid/no-callback',
	};
	switch (options.family) {
		case 'newapi':
			return new NewApiProvider(deps);
		case 'sunoapi':
			return new SunoApiProvider(deps);
		case 'v1music':
			return new V1MusicProvider(deps);
	}
}
