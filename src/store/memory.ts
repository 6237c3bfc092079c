import Keyv from 'keyv';
import type { Backend } from './backend.ts';

/** Everything in process memory: for tests and throwaway runs (state is lost on exit). */
export function createMemoryBackend(): Backend {
	const keyv = new Keyv({ namespace: 'songbot', throwOnErrors: true });
	const sets = new Map<string, Map<string, number>>();
	const counters = new Map<string, { value: number; expiresAt: number }>();
	const once = new Map<string, string>();
	const claims = new Map<string, { value: string; expiresAt: number }>();
	const members = (set: string) => [...(sets.get(set) ?? new Map<string, number>()).entries()];

	return {
		keyv,
		async zAdd(set, member, score) {
			const entries = sets.get(set) ?? new Map<string, number>();
			entries.set(member, score);
			sets.set(set, entries);
		},
		async zRem(set, member) {
			sets.get(set)?.delete(member);
		},
		async zDescending(set, limit, below) {
			return members(set)
				.filter(([, score]) => below === undefined || score < below)
				.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))
				.slice(0, limit)
				.map(([member]) => member);
		},
		async zUpTo(set, max, limit) {
			return members(set)
				.filter(([, score]) => score <= max)
				.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
				.slice(0, limit)
				.map(([member]) => member);
		},
		async increment(key, by, ttlMs, now) {
			const current = counters.get(key);
			const next =
				current && current.expiresAt > now
					? { value: current.value + by, expiresAt: current.expiresAt }
					: { value: by, expiresAt: now + ttlMs };
			counters.set(key, next);
			return { ...next };
		},
		async readCounter(key, now) {
			const current = counters.get(key);
			return current && current.expiresAt > now ? { ...current } : undefined;
		},
		async setIfAbsent(key, value) {
			if (!once.has(key)) once.set(key, value);
			return once.get(key) ?? value;
		},
		async claim(key, value, ttlMs, now) {
			const current = claims.get(key);
			if (current && current.expiresAt > now) return { held: false, value: current.value };
			claims.set(key, { value, expiresAt: now + ttlMs });
			return { held: true, value };
		},
		async peekClaim(key, now) {
			const current = claims.get(key);
			return current && current.expiresAt > now ? current.value : undefined;
		},
		async updateClaim(key, from, to, now) {
			const current = claims.get(key);
			if (!current || current.expiresAt <= now || current.value !== from) return false;
			current.value = to;
			return true;
		},
		async dropClaim(key, value) {
			if (claims.get(key)?.value === value) claims.delete(key);
		},
		async sweep(now) {
			for (const [key, value] of counters) if (value.expiresAt <= now) counters.delete(key);
			for (const [key, value] of claims) if (value.expiresAt <= now) claims.delete(key);
		},
		async ping() {},
		async close() {
			await keyv.disconnect();
		},
	};
}
