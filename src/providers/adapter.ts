import type { Capabilities, ModelId } from '../core/provider.ts';
import type { ToolFlags } from '../core/studio.ts';
import type { ErrorContext } from './errors.ts';
import type { DeclaredFeatures, FeatureMemory } from './features.ts';
import type { HttpClient } from './http.ts';
import type { ModelMap } from './models.ts';
import type { Variant } from './variants.ts';

/** What `createProvider` hands each family adapter. */
export interface AdapterDeps {
	http: HttpClient;
	models: ModelMap;
	/** Native and alias spellings → friendly names (Capabilities.modelAliases). */
	modelAliases: Record<string, ModelId>;
	defaultModel: ModelId;
	/** Family B: which service's code table applies. */
	variant: Variant | undefined;
	/** Parallel requests when a family polls one task per request. */
	concurrency: number;
	/** Operator overrides of what the gateway offers (e.g. a stock new-api has no upload or concat). */
	features: Partial<Pick<Capabilities, 'upload' | 'concat' | 'cover' | 'callbacks' | 'negativeStyle' | 'batchSize'>> &
		ToolFlags;
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

/** What a feature probe found: true offered, false refused; absent when the answer said nothing either way. */
export type FeatureProbe = DeclaredFeatures;

/**
 * Adapters also answer a probe (reachable, key accepted, credits if known), probe optional features with
 * requests the provider refuses without charging, and learn a feature is missing from its first refusal.
 */
export interface Probe {
	probe(options?: { signal?: AbortSignal }): Promise<ProbeResult>;
	probeFeatures(options?: { signal?: AbortSignal }): Promise<FeatureProbe>;
	/** The service of the family (family B: sunoapi, kie, apibox), for doctor and logs. */
	readonly variant: string;
	/** Applies features learnt earlier (from the store) and tells `listener` whenever one is learnt anew. */
	readonly learnt: FeatureMemory;
}

export function errorContext(
	deps: AdapterDeps,
	family: string,
	op: string,
	submit: boolean,
	optional = false,
): ErrorContext {
	return { family, op, submit, optional, scrub: (text) => deps.http.scrub(text), variant: deps.variant };
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
