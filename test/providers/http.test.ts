import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/errors.ts';
import { relayError } from '../../src/providers/errors.ts';
import { DEFAULT_RETRY, HttpClient, type HttpResponse } from '../../src/providers/http.ts';
import { instantSleep, rejectionOf, scriptedServer } from './helpers.ts';

const KEY = 'sk-secret-key-that-must-not-leak';
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const close of cleanup) await close();
	cleanup = [];
});

function client(baseUrl: string, overrides: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
	const { sleep, delays } = instantSleep();
	const http = new HttpClient({
		family: 'test',
		baseUrl,
		apiKey: KEY,
		timeoutMs: 1_000,
		submitTimeoutMs: 1_000,
		retry: DEFAULT_RETRY,
		sleep,
		random: () => 1,
		...overrides,
	});
	return { http, delays };
}

const ctx = { family: 'test', op: 'op', submit: false, scrub: (t: string) => t };
/** Success on 2xx, the relay classification otherwise. */
function interpret(submit: boolean) {
	return (res: HttpResponse) => {
		if (res.status >= 200 && res.status < 300) return res.json;
		throw relayError(res, { ...ctx, submit });
	};
}

async function serverAnswering(statuses: number[]) {
	const server = await scriptedServer((_req, res, _body, i) => {
		const status = statuses[i] ?? 200;
		res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{"ok":true}' : '');
	});
	cleanup.push(server.close);
	return server;
}

describe('HttpClient reads', () => {
	it('GIVEN 503, 429, then 200 THEN the read succeeds after two retries with growing backoff', async () => {
		const server = await serverAnswering([503, 429, 200]);
		const { http, delays } = client(server.url);
		await expect(http.send({ op: 'fetch', method: 'GET', path: '/x' }, interpret(false))).resolves.toEqual({
			ok: true,
		});
		expect(server.received).toHaveLength(3);
		expect(delays).toEqual([1_000, 2_000]);
	});

	it('GIVEN a provider that keeps failing THEN it gives up after the retry budget with the last error', async () => {
		const server = await serverAnswering([503, 503, 503, 503, 503, 503]);
		const { http, delays } = client(server.url, { retry: { ...DEFAULT_RETRY, reads: 2 } });
		const error = await rejectionOf(http.send({ op: 'fetch', method: 'GET', path: '/x' }, interpret(false)));
		expect(error).toMatchObject({ kind: 'unavailable', status: 503 });
		expect(server.received).toHaveLength(3);
		expect(delays).toHaveLength(2);
	});

	it('GIVEN a Retry-After header THEN it is honoured instead of the computed backoff', async () => {
		const server = await scriptedServer((_req, res, _b, i) => {
			if (i === 0) res.writeHead(429, { 'retry-after': '7' }).end();
			else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
		cleanup.push(server.close);
		const { http, delays } = client(server.url);
		await http.send({ op: 'fetch', method: 'GET', path: '/x' }, interpret(false));
		expect(delays).toEqual([7_000]);
	});

	it('GIVEN jitter THEN delays stay between half and all of the exponential ceiling, capped', () => {
		const low = client('http://127.0.0.1:1', { random: () => 0 }).http;
		const high = client('http://127.0.0.1:1', { random: () => 1 }).http;
		expect(low.backoff(3)).toBe(4_000);
		expect(high.backoff(3)).toBe(8_000);
		expect(high.backoff(20)).toBe(60_000);
	});

	it('GIVEN a slow answer THEN a timeout error, not a hang', async () => {
		const server = await scriptedServer((_req, res) => setTimeout(() => res.end('{}'), 2_000));
		cleanup.push(server.close);
		const { http } = client(server.url, { timeoutMs: 100, retry: { ...DEFAULT_RETRY, reads: 0 } });
		const error = await rejectionOf(http.send({ op: 'fetch', method: 'GET', path: '/x' }, interpret(false)));
		expect(error).toBeInstanceOf(ProviderError);
		expect(error).toMatchObject({ kind: 'timeout', retryable: true });
	});

	it('GIVEN the caller aborts THEN the abort reason propagates and nothing is retried', async () => {
		const server = await scriptedServer((_req, res) => setTimeout(() => res.end('{}'), 2_000));
		cleanup.push(server.close);
		const { http, delays } = client(server.url);
		const controller = new AbortController();
		setTimeout(() => controller.abort(new Error('shutting down')), 50);
		const error = await rejectionOf(
			http.send({ op: 'fetch', method: 'GET', path: '/x', signal: controller.signal }, interpret(false)),
		);
		expect(error).toMatchObject({ message: 'shutting down' });
		expect(delays).toHaveLength(0);
	});

	it('GIVEN any failure THEN neither the message nor the detail contains the API key, and the request carried it', async () => {
		const server = await scriptedServer((req, res) => {
			res
				.writeHead(401, { 'content-type': 'application/json' })
				.end(JSON.stringify({ error: { message: `bad token ${req.headers.authorization}` } }));
		});
		cleanup.push(server.close);
		const { http } = client(server.url);
		const scrubbing = (res: HttpResponse) => {
			throw relayError(res, { ...ctx, scrub: (t) => http.scrub(t) });
		};
		const error = (await rejectionOf(
			http.send({ op: 'fetch', method: 'GET', path: '/x' }, scrubbing),
		)) as unknown as ProviderError;
		expect(error.kind).toBe('auth');
		expect(`${error.message} ${error.detail} ${error.userMessage}`).not.toContain(KEY);
		expect(error.detail).toContain('[REDACTED]');
	});
});

describe('HttpClient submits (no double charge)', () => {
	it('GIVEN a submit answered 500 THEN it is sent exactly once and may have been accepted', async () => {
		const server = await serverAnswering([500, 200]);
		const { http } = client(server.url);
		const error = await rejectionOf(
			http.send({ op: 'generate', method: 'POST', path: '/s', body: {}, submit: true }, interpret(true)),
		);
		expect(server.received).toHaveLength(1);
		expect(error).toMatchObject({ kind: 'unavailable', maybeAccepted: true });
	});

	it('GIVEN a submit answered 503 (no task id) then 200 THEN it is re-sent once and succeeds', async () => {
		const server = await serverAnswering([503, 200]);
		const { http } = client(server.url);
		await expect(
			http.send({ op: 'generate', method: 'POST', path: '/s', body: {}, submit: true }, interpret(true)),
		).resolves.toEqual({ ok: true });
		expect(server.received).toHaveLength(2);
	});

	it('GIVEN the connection drops after the request was sent THEN the submit is not re-sent', async () => {
		const server = await scriptedServer((req) => req.socket.destroy());
		cleanup.push(server.close);
		const { http } = client(server.url);
		const error = await rejectionOf(
			http.send({ op: 'generate', method: 'POST', path: '/s', body: {}, submit: true }, interpret(true)),
		);
		expect(server.received).toHaveLength(1);
		expect(error).toMatchObject({ kind: 'unavailable', maybeAccepted: true });
	});

	it('GIVEN a refused connection THEN the submit is retried (nothing reached the provider) and reports not accepted', async () => {
		const { http, delays } = client('http://127.0.0.1:1');
		const error = await rejectionOf(
			http.send({ op: 'generate', method: 'POST', path: '/s', body: {}, submit: true }, interpret(true)),
		);
		expect(error).toMatchObject({ kind: 'unavailable', maybeAccepted: false, code: 'ECONNREFUSED' });
		expect(delays).toHaveLength(DEFAULT_RETRY.submits);
	});

	it('GIVEN a submit that times out THEN it is not re-sent and may have been accepted', async () => {
		const server = await scriptedServer((_req, res) => setTimeout(() => res.end('{}'), 2_000));
		cleanup.push(server.close);
		const { http } = client(server.url, { submitTimeoutMs: 100 });
		const error = await rejectionOf(
			http.send({ op: 'generate', method: 'POST', path: '/s', body: {}, submit: true }, interpret(true)),
		);
		expect(server.received).toHaveLength(1);
		expect(error).toMatchObject({ kind: 'timeout', maybeAccepted: true });
	});
});
