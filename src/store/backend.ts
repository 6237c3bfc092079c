import type Keyv from 'keyv';
import type { CounterValue } from '../core/store.ts';
import type { TextIndex } from './text.ts';

/**
 * What Keyv alone cannot do atomically: sorted indexes and counters with expiry. Each storage engine provides
 * them natively (SQLite tables in the same file, Redis sorted sets and INCR), next to the Keyv it wraps.
 */
export interface Backend {
	/** Records and small values (JSON through Keyv). */
	keyv: Keyv;
	/** The library's search index (src/store/text.ts). */
	text: TextIndex;
	zAdd(set: string, member: string, score: number): Promise<void>;
	zRem(set: string, member: string): Promise<void>;
	/** `zAdd` of one member to several sets in one statement, where the engine can (else one `zAdd` each). */
	zAddToSets?(sets: readonly string[], member: string, score: number): Promise<void>;
	/** `zRem` of one member from several sets in one statement, where the engine can. */
	zRemFromSets?(sets: readonly string[], member: string): Promise<void>;
	/** Members by descending score, strictly below `below` when given. */
	zDescending(set: string, limit: number, below?: number): Promise<string[]>;
	/** Members with a score ≤ `max`, ascending. */
	zUpTo(set: string, max: number, limit: number): Promise<string[]>;
	/** Atomic add with a fixed expiry window that starts when the counter is created. */
	increment(key: string, by: number, ttlMs: number, now: number): Promise<CounterValue>;
	readCounter(key: string, now: number): Promise<CounterValue | undefined>;
	/** Stores `value` unless `key` has one (atomically, also across processes); returns the stored value. */
	setIfAbsent(key: string, value: string): Promise<string>;
	/**
	 * Stores `value` under `key` for `ttlMs` unless a live value is there (atomically, also across processes);
	 * returns the value stored now and whether it is this call's.
	 */
	claim(key: string, value: string, ttlMs: number, now: number): Promise<{ held: boolean; value: string }>;
	/** The live claim's value, or undefined; never takes or extends it. */
	peekClaim(key: string, now: number): Promise<string | undefined>;
	/** Replaces a live claim's value if it is still `from`, keeping its expiry; true when replaced. */
	updateClaim(key: string, from: string, to: string, now: number): Promise<boolean>;
	/** Deletes a claim if its value is still `value` (a later claimer's is never deleted). */
	dropClaim(key: string, value: string): Promise<void>;
	/** Removes expired counters (engines without native expiry). */
	sweep(now: number): Promise<void>;
	ping(): Promise<void>;
	close(): Promise<void>;
}
