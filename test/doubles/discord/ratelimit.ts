/**
 * Per-route rate-limit buckets with Discord's real `X-RateLimit-*` headers and 429 bodies, plus scriptable faults
 * (forced 429s, N × 5xx, latency). Routes are named by their template, e.g. `PATCH /channels/:channel/messages/:message`;
 * a bucket is one template + its major parameter (channel, guild, or webhook/interaction token), as on Discord.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** `limit` requests per `windowMs` in one bucket. */
export interface BucketConfig {
	limit: number;
	windowMs: number;
}

/** What the router must do with a request: its headers, and optionally an error answer instead of the handler. */
export interface Verdict {
	headers: Record<string, string>;
	reject?: { status: number; body: unknown };
}

interface Fault {
	route: string;
	remaining: number;
	kind: 'status' | 'ratelimit';
	status: number;
	retryAfterMs: number;
	global: boolean;
}

/** Generous by default so that discord.js never waits unless a test asks for it. */
const DEFAULT_BUCKET: BucketConfig = { limit: 50, windowMs: 1_000 };

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** Buckets and fault injection; exposed to tests as `double.rateLimits` and `double.faults`. */
export class RateLimits {
	#configs = new Map<string, BucketConfig>();
	#buckets = new Map<string, { used: number; resetAt: number }>();
	#faults: Fault[] = [];
	#latency = new Map<string, number>();

	constructor(configs: Record<string, BucketConfig> = {}) {
		for (const [route, config] of Object.entries(configs)) this.#configs.set(route, config);
	}

	/** Sets the bucket size of a route template (`'*'` changes the default for all routes). */
	set(route: string, config: BucketConfig): void {
		this.#configs.set(route, config);
	}

	/** The next `times` requests on `route` (or `'*'`) fail with `status` (default 502) before any handler runs. */
	serverError(route: string, options: { times?: number; status?: number } = {}): void {
		const { times = 1, status = 502 } = options;
		this.#faults.push({ route, remaining: times, kind: 'status', status, retryAfterMs: 0, global: false });
	}

	/** The next `times` requests on `route` get a 429 with `retry_after` (default 250 ms); `global` adds X-RateLimit-Global. */
	rateLimit(route: string, options: { times?: number; retryAfterMs?: number; global?: boolean } = {}): void {
		const { times = 1, retryAfterMs = 250, global = false } = options;
		this.#faults.push({ route, remaining: times, kind: 'ratelimit', status: 429, retryAfterMs, global });
	}

	/** Every request on `route` waits `ms` before it is handled (0 removes the delay). */
	latency(route: string, ms: number): void {
		this.#latency.set(route, ms);
	}

	/** Removes faults and latencies (bucket sizes stay). */
	clearFaults(): void {
		this.#faults = [];
		this.#latency.clear();
	}

	/** Counts the request against its bucket and applies faults. */
	async check(route: string, major: string): Promise<Verdict> {
		const delay = this.#latency.get(route) ?? this.#latency.get('*') ?? 0;
		if (delay > 0) await sleep(delay);

		const config = this.#configs.get(route) ?? this.#configs.get('*') ?? DEFAULT_BUCKET;
		const key = `${route} ${major}`;
		const now = Date.now();
		let bucket = this.#buckets.get(key);
		if (!bucket || bucket.resetAt <= now) {
			bucket = { used: 0, resetAt: now + config.windowMs };
			this.#buckets.set(key, bucket);
		}
		const hash = createHash('sha1').update(route).digest('hex').slice(0, 32);
		const headers = (remaining: number): Record<string, string> => ({
			'x-ratelimit-limit': String(config.limit),
			'x-ratelimit-remaining': String(remaining),
			'x-ratelimit-reset': seconds(bucket.resetAt),
			'x-ratelimit-reset-after': seconds(bucket.resetAt - now),
			'x-ratelimit-bucket': hash,
		});

		const fault = this.#faults.find((f) => f.remaining > 0 && (f.route === route || f.route === '*'));
		if (fault) {
			fault.remaining -= 1;
			if (fault.kind === 'status') {
				return { headers: {}, reject: { status: fault.status, body: { message: 'Internal Server Error', code: 0 } } };
			}
			return tooManyRequests(headers(0), fault.retryAfterMs, fault.global);
		}
		if (bucket.used >= config.limit) return tooManyRequests(headers(0), bucket.resetAt - now, false);
		bucket.used += 1;
		return { headers: headers(config.limit - bucket.used) };
	}
}

function tooManyRequests(headers: Record<string, string>, retryAfterMs: number, global: boolean): Verdict {
	return {
		headers: {
			...headers,
			'x-ratelimit-reset': seconds(Date.now() + retryAfterMs),
			'x-ratelimit-reset-after': seconds(retryAfterMs),
			// Fractional like the body, so tests wait milliseconds instead of whole seconds.
			'retry-after': seconds(retryAfterMs),
			'x-ratelimit-scope': global ? 'global' : 'user',
			...(global ? { 'x-ratelimit-global': 'true' } : {}),
		},
		reject: {
			status: 429,
			body: { message: 'You are being rate limited.', retry_after: retryAfterMs / 1000, global },
		},
	};
}
