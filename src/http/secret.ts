import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Family } from '../core/provider.ts';
import type { Store } from '../core/store.ts';

const SECRET_KEY = 'callback-secret';

/**
 * CALLBACK_SECRET when configured; otherwise one generated on first start and kept in the store, so callback
 * URLs handed to the provider for tasks in flight stay valid across restarts. Processes sharing a store that
 * start together agree on one secret (the first one stored wins), so any of them accepts every callback.
 */
export async function resolveCallbackSecret(
	store: Pick<Store, 'getValue' | 'claimValue'>,
	configured: string | undefined,
): Promise<string> {
	if (configured) return configured;
	// Secrets generated before claimValue existed were kept as plain values.
	const existing = await store.getValue<unknown>(SECRET_KEY);
	if (typeof existing === 'string' && existing.length >= 16) return existing;
	return store.claimValue(SECRET_KEY, randomBytes(32).toString('base64url'));
}

/** The URL a provider POSTs status updates to (give it as `callbackUrl` when submitting). */
export function callbackUrl(publicBaseUrl: string, secret: string, family: Family): string {
	return `${publicBaseUrl.replace(/\/+$/, '')}/callbacks/${encodeURIComponent(secret)}/${family}`;
}

/** Constant time whatever the lengths: both sides are hashed to the same size first. */
export function secretMatches(candidate: string, secret: string): boolean {
	const a = createHash('sha256').update(candidate).digest();
	const b = createHash('sha256').update(secret).digest();
	return timingSafeEqual(a, b);
}
