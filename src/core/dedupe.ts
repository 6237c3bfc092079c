import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lineage, SongRequest } from './records.ts';

/** The store primitive idempotency needs: a short-lived claim taken atomically (SQLite upsert, Redis SET NX PX). */
export interface ClaimStore {
	/** Stores `value` for `ttlMs` unless a live value is there; returns the value stored now and whether it is ours. */
	claimFor(key: string, value: string, ttlMs: number): Promise<{ held: boolean; value: string }>;
	/** The live value, or undefined; a true read (takes and extends nothing). */
	peekClaim(key: string): Promise<string | undefined>;
	/** Replaces the value if it is still `from`, keeping the expiry. */
	updateClaim(key: string, from: string, to: string): Promise<boolean>;
	/** Deletes the claim if its value is still `value`. */
	dropClaim(key: string, value: string): Promise<void>;
}

/** How long the same request from the same person is answered with the first one (a double press, a retry). */
export const DEDUPE_WINDOW_MS = 60_000;

/** What makes two requests "the same": who, where, which action on which take, and the inputs as typed. */
export interface RequestIdentity {
	guildId: string;
	userId: string;
	request: SongRequest;
	lineage?: Lineage;
	/** Distinguishes starts that send the same request for another reason (Regenerate on a sheet). */
	origin?: string;
}

/** Where the first request's tracker message is, once it is posted. */
export interface Original {
	channelId: string;
	messageId?: string;
}

export type Admission = { kind: 'first'; claim: RequestClaim } | { kind: 'duplicate'; original?: Original };

export interface RequestClaim {
	/** Records where the first request's tracker message is, for the duplicates that follow. */
	posted(original: Original): Promise<void>;
	/** Frees the key at once: nothing was spent, so trying again must start a song. */
	release(): Promise<void>;
}

/** Text typed alike is the same request: case, Unicode form and runs of spaces do not matter. */
function normalise(value: unknown): unknown {
	if (typeof value === 'string') return value.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
	if (Array.isArray(value)) return value.map(normalise);
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined && v !== '')
			.sort(([a], [b]) => (a < b ? -1 : 1));
		return Object.fromEntries(entries.map(([k, v]) => [k, normalise(v)]));
	}
	return value;
}

/** The store key of a request (a hash: inputs can be long and must not sit in key names). */
export function requestKey(identity: RequestIdentity): string {
	const { guildId, userId, request, lineage, origin } = identity;
	const material = JSON.stringify(normalise({ request, lineage, origin: origin ?? '' }));
	const digest = createHash('sha256').update(material).digest('base64url').slice(0, 32);
	return `dedupe:${guildId}:${userId}:${request.action}:${digest}`;
}

interface Held {
	token: string;
	original?: Original;
}

function parse(value: string): Held | undefined {
	try {
		const held = JSON.parse(value) as Held;
		return typeof held.token === 'string' ? held : undefined;
	} catch {
		return undefined;
	}
}

/**
 * One request, one charge: the first of several identical requests within the window takes a claim in the
 * store (atomically, so two processes or two presses at once cannot both win); the others are told where the
 * first one's tracker message is.
 */
export class RequestDedupe {
	readonly #store: ClaimStore;
	readonly #windowMs: number;
	readonly #waitMs: number;

	/** @param waitMs - How long a duplicate waits for the first request's message to be posted (≤ 3 s total). */
	constructor(store: ClaimStore, options: { windowMs?: number; waitMs?: number } = {}) {
		this.#store = store;
		this.#windowMs = options.windowMs ?? DEDUPE_WINDOW_MS;
		this.#waitMs = options.waitMs ?? 1_500;
	}

	/**
	 * Claims the request, or reports the earlier identical one. While the first one is still answering its
	 * interaction its message id is not known yet: a duplicate waits a moment for it (and wins the claim if the
	 * first one gave up meanwhile, having spent nothing).
	 * @param token - Unique per attempt (the interaction id).
	 */
	async begin(identity: RequestIdentity, token: string): Promise<Admission> {
		const key = requestKey(identity);
		let mine = JSON.stringify({ token } satisfies Held);
		const deadline = Date.now() + this.#waitMs;
		for (;;) {
			const { held, value } = await this.#store.claimFor(key, mine, this.#windowMs);
			if (held) break;
			const original = parse(value)?.original;
			if (original?.messageId || Date.now() >= deadline)
				return { kind: 'duplicate', ...(original ? { original } : {}) };
			await sleep(100);
		}
		const store = this.#store;
		return {
			kind: 'first',
			claim: {
				async posted(original) {
					const next = JSON.stringify({ token, original } satisfies Held);
					if (await store.updateClaim(key, mine, next)) mine = next;
				},
				async release() {
					await store.dropClaim(key, mine);
				},
			},
		};
	}
}
