import type { Dispatcher } from 'undici';
import { ProviderError } from '../core/errors.ts';
import type { Family, ModelId, SongProvider } from '../core/provider.ts';
import type { AdapterDeps, Probe } from './adapter.ts';
import { DEFAULT_RETRY, HttpClient, type RetryPolicy, realSleep, type Sleep } from './http.ts';
import { DEFAULT_MODEL, DEFAULT_MODEL_MAPS, isModelId, type ModelMap } from './models.ts';
import { NewApiProvider } from './newapi.ts';
import { SunoApiProvider } from './sunoapi.ts';
import { V1MusicProvider } from './v1music.ts';

export type { ProbeResult } from './adapter.ts';
export type { RetryPolicy, Sleep } from './http.ts';
export { DEFAULT_MODEL_MAPS, limitsFor } from './models.ts';

export interface ProviderOptions {
	family: Family;
	/** The API base; family A may include a mount prefix (`https://gw.example/v1` → `/v1/suno/...`). */
	baseUrl: string;
	apiKey: string;
	/** Default friendly model (SUNO_MODEL); an unknown or unoffered one throws invalid_input. */
	model?: string | undefined;
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
	const models: ModelMap = { ...DEFAULT_MODEL_MAPS[options.family], ...options.modelMap };
	const requested = options.model?.trim() || DEFAULT_MODEL[options.family];
	if (!isModelId(requested) || models[requested] === undefined) {
		throw new ProviderError({
			kind: 'invalid_input',
			userMessage: `Unknown model "${requested}". This provider offers: ${Object.keys(models).join(', ')}.`,
			detail: `${options.family}: default model ${requested} is not offered`,
		});
	}
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
		defaultModel: requested as ModelId,
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
