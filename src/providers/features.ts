import type { Capabilities } from '../core/provider.ts';
import { TOOL_NAMES } from '../core/studio.ts';

/**
 * `SUNO_FEATURES`: what the operator declares the provider can or cannot do, over what the bot assumes and
 * learns (`concat, -upload` or `no-upload`). Declared features win over learnt ones.
 */

/** The studio tools (split, stems, wav, video, ...) are features too, so an operator can turn one off. */
export const FEATURE_NAMES = ['upload', 'concat', 'cover', 'callbacks', ...TOOL_NAMES] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type DeclaredFeatures = Partial<Pick<Capabilities, FeatureName>>;

/** Throws an Error naming the first entry it does not understand. */
export function parseFeatures(text: string | undefined): DeclaredFeatures {
	const features: DeclaredFeatures = {};
	for (const entry of (text ?? '').split(',')) {
		const item = entry.trim().toLowerCase();
		if (item === '') continue;
		const off = /^(-|no-|!)/.exec(item);
		const name = off ? item.slice(off[0].length) : item;
		if (!(FEATURE_NAMES as readonly string[]).includes(name))
			throw new Error(`"${entry.trim()}" is not one of ${FEATURE_NAMES.join(', ')} (prefix - to turn one off)`);
		features[name as FeatureName] = !off;
	}
	return features;
}

/**
 * What the bot learnt about optional features (from doctor's probe or the first refusal), applied onto the
 * provider's live capabilities object, which the views read when they decide which buttons to show.
 * Operator-declared features are never overridden. The composition root persists `learnt` in the store.
 */
export class FeatureMemory {
	readonly #capabilities: Capabilities;
	readonly #declared: DeclaredFeatures;
	readonly #listeners: ((learnt: DeclaredFeatures) => void)[] = [];
	readonly learnt: DeclaredFeatures = {};

	constructor(capabilities: Capabilities, declared: DeclaredFeatures) {
		this.#capabilities = capabilities;
		this.#declared = declared;
	}

	/** Features learnt in an earlier run. */
	apply(learnt: DeclaredFeatures | undefined): void {
		for (const name of FEATURE_NAMES) {
			const value = learnt?.[name];
			if (typeof value !== 'boolean' || this.#declared[name] !== undefined) continue;
			this.learnt[name] = value;
			this.#capabilities[name] = value;
		}
	}

	/** Records a feature; true when that changed what the bot offers (so the refusal is news). */
	learn(name: FeatureName, value: boolean): boolean {
		if (this.#declared[name] !== undefined || this.learnt[name] === value) return false;
		const changed = this.#capabilities[name] !== value;
		this.learnt[name] = value;
		this.#capabilities[name] = value;
		for (const listener of this.#listeners) listener({ ...this.learnt });
		return changed;
	}

	onLearn(listener: (learnt: DeclaredFeatures) => void): void {
		this.#listeners.push(listener);
	}
}
