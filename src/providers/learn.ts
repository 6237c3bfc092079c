import type { Store } from '../core/store.ts';
import type { Provider } from './index.ts';
import type { DeclaredFeatures } from './features.ts';

/**
 * Learnt features live in the store, so a refusal learnt once (or found by `songbot doctor`) survives
 * restarts and is shared by every process. The key names the provider, so switching providers starts afresh.
 */

export function featuresKey(family: string, baseUrl: string): string {
	const url = new URL(baseUrl);
	return `provider:features:${family}:${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** Applies what was learnt before and saves whatever is learnt from now on. */
export async function rememberFeatures(
	provider: Provider,
	store: Pick<Store, 'getValue' | 'setValue'>,
	baseUrl: string,
	onError: (error: unknown) => void,
): Promise<void> {
	const key = featuresKey(provider.family, baseUrl);
	provider.learnt.apply(await store.getValue<DeclaredFeatures>(key));
	provider.learnt.onLearn((learnt) => {
		store.setValue(key, learnt).catch(onError);
	});
}

/** Saves a probe's findings (doctor), merged over what was learnt before. */
export async function saveFeatures(
	store: Pick<Store, 'getValue' | 'setValue'>,
	family: string,
	baseUrl: string,
	found: DeclaredFeatures,
): Promise<void> {
	const key = featuresKey(family, baseUrl);
	await store.setValue(key, { ...(await store.getValue<DeclaredFeatures>(key)), ...found });
}
