import type { Family } from '../core/provider.ts';

/**
 * Family B is one schema spoken by several services whose body codes mean different things
 * (suno-wire-formats.md §4.1): sunoapi.org and api.box answer 429 for "no credits" and 430 for "too often";
 * kie.ai answers 402 for "no credits" and 429 for "too often", and 422 for a missing field.
 */

export const VARIANTS = ['sunoapi', 'kie', 'apibox'] as const;
export type Variant = (typeof VARIANTS)[number];

export const VARIANT_NAMES: Record<Variant, string> = { sunoapi: 'sunoapi.org', kie: 'kie.ai', apibox: 'api.box' };

export interface CodeTable {
	credits: readonly number[];
	rateLimited: readonly number[];
	maintenance: readonly number[];
}

export const CODE_TABLES: Record<Variant, CodeTable> = {
	sunoapi: { credits: [429, 402], rateLimited: [430, 405], maintenance: [455] },
	apibox: { credits: [429, 402], rateLimited: [430, 405], maintenance: [455] },
	kie: { credits: [402], rateLimited: [429, 430, 405], maintenance: [455] },
};

/** The variant a base URL names (kie.ai, api.box); family B's default is sunoapi.org. Other families have none. */
export function detectVariant(family: Family, base: URL): Variant | undefined {
	if (family !== 'sunoapi') return undefined;
	const host = base.hostname.toLowerCase();
	if (host === 'kie.ai' || host.endsWith('.kie.ai')) return 'kie';
	if (host === 'api.box' || host.endsWith('.api.box') || host.includes('apibox')) return 'apibox';
	return 'sunoapi';
}
