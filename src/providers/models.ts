import { ProviderError } from '../core/errors.ts';
import { type Family, type InputLimits, MODEL_IDS, type ModelId } from '../core/provider.ts';

/**
 * Friendly model names → each family's spelling (suno-wire-formats.md §7.1), and the input limits
 * per family and model (§4.2). The maps drift, so `createProvider` accepts overrides.
 */

export type ModelMap = Partial<Record<ModelId, string>>;

export const DEFAULT_MODEL_MAPS: Record<Family, ModelMap> = {
	// chirp-crow / chirp-fenix are the names resellers publish; chirp-v5 is an alias some accept.
	newapi: {
		'v3.5': 'chirp-v3-5',
		v4: 'chirp-v4',
		'v4.5': 'chirp-auk',
		'v4.5+': 'chirp-bluejay',
		'v4.5-all': 'chirp-auk-turbo',
		v5: 'chirp-crow',
		'v5.5': 'chirp-fenix',
	},
	// V3_5 only appears in older docs, so it is not offered by default.
	sunoapi: { v4: 'V4', 'v4.5': 'V4_5', 'v4.5+': 'V4_5PLUS', 'v4.5-all': 'V4_5ALL', v5: 'V5', 'v5.5': 'V5_5' },
	// Only these two are documented ("etc."); more can be added through overrides.
	v1music: { 'v4.5+': 'suno-v4.5-plus', v5: 'suno-v5' },
};

export const DEFAULT_MODEL: Record<Family, ModelId> = { newapi: 'v4.5+', sunoapi: 'v4.5+', v1music: 'v4.5+' };

/** The friendly names a family offers, in MODEL_IDS order. */
export function modelsOf(map: ModelMap): ModelId[] {
	return MODEL_IDS.filter((id) => map[id] !== undefined);
}

export function isModelId(value: string): value is ModelId {
	return (MODEL_IDS as readonly string[]).includes(value);
}

/** The wire spelling of a friendly model name; an unknown or unoffered model is an input error. */
export function wireModel(family: Family, map: ModelMap, model: string): string {
	const wire = isModelId(model) ? map[model] : undefined;
	if (wire === undefined) {
		throw new ProviderError({
			kind: 'invalid_input',
			userMessage: `Unknown model "${model}". This provider offers: ${modelsOf(map).join(', ')}.`,
			detail: `${family}: model ${model} is not in the model map`,
		});
	}
	return wire;
}

/**
 * Limits in characters. Families A and C have no published limits; they front the same Suno models,
 * so they use family B's per-model figures (§4.2, §6.1). Lyrics prompts: B allows 200 words, which
 * `lyricsPrompt` approximates in characters (B also counts words before sending).
 */
export function limitsFor(model: ModelId): InputLimits {
	const old = model === 'v3.5' || model === 'v4';
	return {
		description: 500,
		lyrics: old ? 3000 : 5000,
		style: old ? 200 : 1000,
		title: old || model === 'v4.5-all' ? 80 : 100,
		negativeStyle: old ? 200 : 1000,
		lyricsPrompt: 1000,
	};
}
