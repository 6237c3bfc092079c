import { ProviderError } from '../core/errors.ts';
import {
	acceptedModels,
	type Family,
	type InputLimits,
	type KnownModelId,
	MODEL_IDS,
	type ModelChoices,
	type ModelId,
	resolveModel,
} from '../core/provider.ts';

/**
 * Friendly model names → each family's spelling (suno-wire-formats.md §7.1), and the input limits
 * per model (§4.2). The maps drift, so `createProvider` accepts overrides and operator-declared models.
 */

/** Friendly name → wire name. */
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

/** Spellings operators read in provider docs besides the default wire names (§3.12, §7.1). */
const EXTRA_ALIASES: Partial<Record<Family, Record<string, KnownModelId>>> = {
	newapi: { 'chirp-v5': 'v5', 'chirp-v5-5': 'v5.5' },
	sunoapi: { V3_5: 'v3.5' },
};

export const DEFAULT_MODEL: Record<Family, ModelId> = { newapi: 'v4.5+', sunoapi: 'v4.5+', v1music: 'v4.5+' };

/** A declared model name: short, and safe inside a Discord custom id and a choice value. */
const DECLARED_NAME = /^[\w.+-]{1,32}$/;

/**
 * `SUNO_MODELS`: `v6=chirp-xyz, v5=chirp-v5, chirp-new` (friendly=wire, or a wire name used as it is).
 * A known friendly name on the left re-maps it; a new one adds a model. Throws on a malformed entry.
 */
export function parseDeclaredModels(text: string | undefined): Record<string, string> {
	const declared: Record<string, string> = {};
	for (const entry of (text ?? '').split(',')) {
		const item = entry.trim();
		if (item === '') continue;
		const [name, wire, extra] = item.split('=').map((p) => p.trim());
		const friendly = name ?? '';
		const wireName = wire ?? friendly;
		if (extra !== undefined || !DECLARED_NAME.test(friendly) || !/^\S{1,64}$/.test(wireName))
			throw new Error(`"${item}" is not name=provider-model`);
		declared[friendly] = wireName;
	}
	return declared;
}

/** The friendly names a family offers: the released ones in MODEL_IDS order, then declared ones. */
export function modelsOf(map: ModelMap): ModelId[] {
	const known: string[] = [...MODEL_IDS];
	return [
		...MODEL_IDS.filter((id) => map[id] !== undefined),
		...Object.keys(map).filter((id) => !known.includes(id) && map[id] !== undefined),
	];
}

/** Every other accepted spelling → friendly name: the family's wire names and its documented aliases. */
export function aliasesOf(family: Family, map: ModelMap): Record<string, ModelId> {
	const aliases: Record<string, ModelId> = {};
	for (const [friendly, wire] of Object.entries(map)) if (wire !== undefined) aliases[wire] = friendly;
	for (const [alias, friendly] of Object.entries(EXTRA_ALIASES[family] ?? {}))
		if (map[friendly] !== undefined && aliases[alias] === undefined) aliases[alias] = friendly;
	return aliases;
}

export function isModelId(value: string): value is KnownModelId {
	return (MODEL_IDS as readonly string[]).includes(value);
}

/** The friendly model `name` means for these capabilities; an unknown one is an input error listing the choices. */
export function modelNamed(capabilities: ModelChoices, name: string): ModelId {
	const model = resolveModel(capabilities, name);
	if (model === undefined) {
		throw new ProviderError({
			kind: 'invalid_input',
			userMessage: `Unknown model "${name}". This provider accepts: ${acceptedModels(capabilities)}.`,
			detail: `model ${name} is not offered`,
		});
	}
	return model;
}

/** The wire spelling of a friendly model name; an unknown or unoffered model is an input error. */
export function wireModel(family: Family, map: ModelMap, model: string): string {
	const wire = map[model];
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
 * Limits in characters, as family B documents them (§4.2): V4 prompt 3000 / style 200 / title 80; V4_5 and
 * later 5000 / 1000 / 100, V4_5ALL's title 80. Families A and C front the same models. A model the bot
 * does not know yet (declared by the operator) gets the newest models' limits. Lyrics prompts: B allows
 * 200 words, which `lyricsPrompt` approximates in characters (B also counts words before sending).
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
