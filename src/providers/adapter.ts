import type { Capabilities, ModelId } from '../core/provider.ts';
import type { ErrorContext } from './errors.ts';
import type { HttpClient } from './http.ts';
import type { ModelMap } from './models.ts';

/** What `createProvider` hands each family adapter. */
export interface AdapterDeps {
	http: HttpClient;
	models: ModelMap;
	defaultModel: ModelId;
	/** Parallel requests when a family polls one task per request. */
	concurrency: number;
	/** Operator overrides of what the gateway offers (e.g. a stock new-api has no upload or concat). */
	features: Partial<Pick<Capabilities, 'upload' | 'concat' | 'cover' | 'callbacks' | 'negativeStyle' | 'batchSize'>>;
	/** Family A: how to extend an uploaded clip (§3.4 AMBIGUITY): `task:"upload_extend"` or a `*-upload` model. */
	uploadExtendForm: 'task' | 'upload-model';
	/** Family A: Suno-API answers a lyrics submit only after generating them (up to 2 minutes). */
	lyricsSubmitTimeoutMs: number;
	/** Family B requires a callBackUrl even when the bot only polls (§4.2). */
	placeholderCallbackUrl: string;
}

/** What the CLI's doctor learns from a cheap authenticated request. */
export interface ProbeResult {
	/** Credits left, where the family reports them. */
	credits?: number;
}

/** Adapters also answer a probe: reachable, key accepted, credits if known. */
export interface Probe {
	probe(options?: { signal?: AbortSignal }): Promise<ProbeResult>;
}

export function errorContext(
	deps: AdapterDeps,
	family: string,
	op: string,
	submit: boolean,
	optional = false,
): ErrorContext {
	return { family, op, submit, optional, scrub: (text) => deps.http.scrub(text) };
}

/** Copies the defined values of `values` onto `target` (exactOptionalPropertyTypes-friendly). */
export function assignDefined(
	target: Record<string, unknown>,
	values: Record<string, unknown>,
): Record<string, unknown> {
	for (const [key, value] of Object.entries(values)) if (value !== undefined) target[key] = value;
	return target;
}

export function is2xx(status: number): boolean {
	return status >= 200 && status < 300;
}
