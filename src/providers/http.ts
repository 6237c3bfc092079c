import { setTimeout as delay } from 'node:timers/promises';
import { type Dispatcher, request } from 'undici';
import { ProviderError } from '../core/errors.ts';

/**
 * The one place that talks HTTP to a music provider: every request has a timeout and honours the
 * caller's AbortSignal; reads are retried with exponential backoff and jitter; a submit is re-sent only
 * when the provider provably did not accept it (suno-wire-formats.md §7.3), so a user is never charged
 * twice for one action. What a response *means* is the family's business (`interpret`).
 */

export interface RetryPolicy {
	/** Extra attempts for reads (fetch, credits) on network errors, 429 and 5xx. */
	reads: number;
	/** Extra attempts for submits, only after errors with `maybeAccepted === false`. */
	submits: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { reads: 3, submits: 2, baseDelayMs: 1_000, maxDelayMs: 60_000 };

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : {});

export interface HttpClientOptions {
	family: string;
	baseUrl: string;
	apiKey: string;
	/** Per-request timeout for reads. */
	timeoutMs: number;
	/** Per-request timeout for submits (some gateways answer slowly, e.g. Suno-API lyrics). */
	submitTimeoutMs: number;
	retry: RetryPolicy;
	sleep: Sleep;
	random: () => number;
	dispatcher?: Dispatcher | undefined;
	userAgent?: string | undefined;
}

export interface HttpCall {
	/** Short operation name for error details, e.g. `generate`, `fetch`. */
	op: string;
	method: 'GET' | 'POST';
	path: string;
	query?: Record<string, string>;
	body?: unknown;
	/** A submit: never re-sent after the provider may have accepted it. */
	submit?: boolean;
	timeoutMs?: number;
	signal?: AbortSignal | undefined;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	/** The parsed body, or undefined when it is not JSON. */
	json: unknown;
	isJson: boolean;
	method: string;
	url: string;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Errors raised before a byte reached the provider: safe to re-send even a submit. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export class HttpClient {
	readonly #options: HttpClientOptions;

	constructor(options: HttpClientOptions) {
		this.#options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') };
	}

	/** Sends `call`, hands the response to `interpret` (which throws ProviderError), retries per policy. */
	async send<T>(call: HttpCall, interpret: (response: HttpResponse) => T): Promise<T> {
		const { retry, sleep } = this.#options;
		const budget = call.submit ? retry.submits : retry.reads;
		for (let attempt = 0; ; attempt++) {
			let retryAfterMs: number | undefined;
			try {
				const response = await this.#once(call);
				retryAfterMs = parseRetryAfter(response.headers['retry-after']);
				return interpret(response);
			} catch (error) {
				if (!(error instanceof ProviderError)) throw error;
				const allowed = error.retryable && (!call.submit || !error.maybeAccepted);
				if (!allowed || attempt >= budget || call.signal?.aborted) throw error;
				await sleep(this.backoff(attempt, retryAfterMs), call.signal);
			}
		}
	}

	/** Exponential backoff with jitter (between half and all of base·2ⁿ), capped; Retry-After wins if sent. */
	backoff(attempt: number, retryAfterMs?: number): number {
		const { baseDelayMs, maxDelayMs } = this.#options.retry;
		if (retryAfterMs !== undefined) return Math.min(maxDelayMs, retryAfterMs);
		const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
		return Math.round(ceiling * (0.5 + 0.5 * this.#options.random()));
	}

	async #once(call: HttpCall): Promise<HttpResponse> {
		const { baseUrl, apiKey, dispatcher, userAgent } = this.#options;
		const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
		const url = `${baseUrl}${call.path}${query}`;
		const timeoutMs = call.timeoutMs ?? (call.submit ? this.#options.submitTimeoutMs : this.#options.timeoutMs);
		const timeout = AbortSignal.timeout(timeoutMs);
		const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
		const headers: Record<string, string> = {
			authorization: `Bearer ${apiKey}`,
			accept: 'application/json',
			'user-agent': userAgent ?? 'songbot',
		};
		if (call.body !== undefined) headers['content-type'] = 'application/json';
		try {
			const response = await request(url, {
				method: call.method,
				headers,
				body: call.body === undefined ? null : JSON.stringify(call.body),
				signal,
				...(dispatcher ? { dispatcher } : {}),
			});
			const text = await readCapped(response.body);
			let json: unknown;
			let isJson = false;
			try {
				json = text.trim() === '' ? undefined : JSON.parse(text);
				isJson = json !== undefined;
			} catch {
				json = undefined;
			}
			return { status: response.statusCode, headers: response.headers, text, json, isJson, method: call.method, url };
		} catch (error) {
			if (call.signal?.aborted) throw call.signal.reason;
			throw this.#networkError(error, call, url, timeout.aborted, timeoutMs);
		}
	}

	#networkError(error: unknown, call: HttpCall, url: string, timedOut: boolean, timeoutMs: number): ProviderError {
		if (error instanceof ProviderError) return error;
		const code = (error as { code?: unknown }).code;
		const message = this.scrub(error instanceof Error ? error.message : String(error));
		const where = `${this.#options.family} ${call.op}: ${call.method} ${url}`;
		if (timedOut) {
			return new ProviderError({
				kind: 'timeout',
				detail: `${where}: no answer within ${timeoutMs} ms`,
				method: call.method,
				url,
				retryable: true,
				maybeAccepted: call.submit === true,
				cause: error,
			});
		}
		const notConnected = typeof code === 'string' && NOT_CONNECTED.has(code);
		return new ProviderError({
			kind: 'unavailable',
			detail: `${where}: ${String(code ?? 'network error')} ${message}`,
			...(typeof code === 'string' ? { code } : {}),
			method: call.method,
			url,
			retryable: true,
			maybeAccepted: call.submit === true && !notConnected,
			cause: error,
		});
	}

	/** Removes the API key from text that may end up in logs. */
	scrub(text: string): string {
		const key = this.#options.apiKey;
		return key.length >= 4 ? text.replaceAll(key, '[REDACTED]') : text;
	}
}

async function readCapped(body: AsyncIterable<Uint8Array> & { destroy?: () => void }): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		size += chunk.byteLength;
		if (size > MAX_BODY_BYTES) {
			body.destroy?.();
			throw new ProviderError({ kind: 'protocol', detail: `response body larger than ${MAX_BODY_BYTES} bytes` });
		}
		chunks.push(Buffer.from(chunk));
	}
	return Buffer.concat(chunks).toString('utf8');
}

function parseRetryAfter(value: string | string[] | undefined): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (text === undefined || text.trim() === '') return undefined;
	const seconds = Number(text);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
