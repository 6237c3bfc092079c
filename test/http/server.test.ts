import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/core/records.ts';
import type { Store } from '../../src/core/store.ts';
import { answerLost, intentRecord, newIntentId } from '../../src/core/intent.ts';
import { createTracker, type Tracker } from '../../src/core/tracker.ts';
import {
	createHttpServer,
	createMetrics,
	createMetricsServer,
	type HttpServer,
	type Metrics,
} from '../../src/http/index.ts';
import { createLogger } from '../../src/log.ts';
import { createProvider } from '../../src/providers/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { newRecord } from '../core/records.fixtures.ts';
import { MemoryAudio, MemorySink } from '../core/scripted.ts';

const log = createLogger({ level: 'silent', secrets: [], pretty: false });
const secret = 'cb-secret-0123456789abcdef';
const metricsToken = 'metrics-token-0123456789';
const bearer = { headers: { authorization: `Bearer ${metricsToken}` } };
const provider = createProvider({ family: 'sunoapi', baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });

let store: Store;
let sink: MemorySink;
let tracker: Tracker;
let metrics: Metrics;
let http: HttpServer;
let base: string;
let healthy: () => boolean | Promise<boolean> = () => true;
let failSaves = false;

function callbackBody(taskId: string, stage: 'first' | 'complete') {
	const item = (n: number, done: boolean) => ({
		id: `${taskId}-${n}`,
		audio_url: done ? `https://cdn.example/${taskId}-${n}.mp3` : '',
		stream_audio_url: `https://cdn.example/stream/${taskId}-${n}`,
		image_url: '',
		prompt: '[Verse] la',
		model_name: 'chirp-crow',
		title: 'Rain',
		tags: 'pop',
		createTime: 1758044664461,
		...(done ? { duration: 120.5 } : {}),
	});
	return {
		code: 200,
		msg: stage === 'first' ? 'First audio generated successfully.' : 'All generated successfully.',
		data: { callbackType: stage, task_id: taskId, data: [item(1, true), item(2, stage === 'complete')] },
	};
}

const post = (path: string, body: unknown) =>
	fetch(`${base}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});

beforeAll(async () => {
	metrics = createMetrics({ defaults: false });
	http = createHttpServer({
		secret,
		provider,
		report: (snapshot, source, family, intentId) => tracker.report(snapshot, source, family, intentId),
		isHealthy: () => healthy(),
		metrics,
		metricsToken,
		log,
		bodyLimitBytes: 4_096,
	});
	base = await http.listen(0, '127.0.0.1');
});
afterAll(async () => {
	await http.close();
});
beforeEach(async () => {
	const memory = createMemoryStore();
	// The memory store, except that saves fail while `failSaves` is set.
	store = new Proxy(memory, {
		get(target, prop) {
			if (prop === 'saveTask') {
				return (record: TaskRecord) => (failSaves ? Promise.reject(new Error('disk full')) : target.saveTask(record));
			}
			const value: unknown = Reflect.get(target, prop);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
	failSaves = false;
	sink = new MemorySink();
	tracker = createTracker({
		provider,
		store,
		sink,
		audio: new MemoryAudio(),
		log,
		metrics: metrics.tracker,
		options: {
			timing: { fastMs: 5_000, slowMs: 30_000, safetyMs: 60_000, callbacks: true },
			deadlines: { stallMs: 600_000, taskTimeoutMs: 3_600_000 },
			retentionMs: 0,
		},
	});
	healthy = () => true;
});

async function metricValue(name: string, labels: string): Promise<number> {
	const text = await (await fetch(`${base}/metrics`, bearer)).text();
	const prefix = labels ? `${name}{${labels}} ` : `${name} `;
	const line = text.split('\n').find((l) => l.startsWith(prefix));
	return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('POST /callbacks/<secret>/<family>', () => {
	it('GIVEN callbacks duplicated and out of order THEN each take is posted exactly once', async () => {
		await store.saveTask(newRecord({ id: 'b1', family: 'sunoapi' }));
		const before = await metricValue('songbot_callbacks_total', 'result="applied"');
		for (const body of [callbackBody('b1', 'complete'), callbackBody('b1', 'first'), callbackBody('b1', 'complete')]) {
			const res = await post(`/callbacks/${secret}/sunoapi`, body);
			expect(res.status).toBe(200);
		}
		await tracker.idle();
		expect(sink.markers()).toEqual(['songbot:b1:b1-1', 'songbot:b1:b1-2']);
		expect((await store.getTask('b1'))?.state).toMatchObject({ status: 'delivered', outcome: 'complete' });
		expect(await metricValue('songbot_callbacks_total', 'result="applied"')).toBe(before + 1);
		expect(await metricValue('songbot_deliveries_total', '')).toBeGreaterThanOrEqual(2);
	});

	it('GIVEN a callback whose path names an intent whose submit answer was lost THEN its task is bound to it and delivered', async () => {
		const intentId = newIntentId();
		const { request, requester, place } = newRecord();
		const sent = intentRecord(intentId, 'sunoapi', { request, requester, place }, Date.now());
		await store.saveTask(answerLost(sent, 'callback', Date.now())?.record ?? sent);
		const res = await post(`/callbacks/${secret}/sunoapi/${intentId}`, callbackBody('b9', 'complete'));
		expect(res.status).toBe(200);
		await tracker.idle();
		expect(await store.getTask('b9')).toMatchObject({ intentId, state: { status: 'delivered' } });
		expect((await store.getTask(intentId))?.state).toMatchObject({ status: 'moved', taskId: 'b9' });
		expect(sink.markers()).toEqual(['songbot:b9:b9-1', 'songbot:b9:b9-2']);
		// Without the intent in the path, the same callback about an unknown task would have been dropped.
		expect((await post(`/callbacks/${secret}/sunoapi`, callbackBody('b10', 'complete'))).status).toBe(200);
		expect(await store.getTask('b10')).toBeUndefined();
	});

	it('GIVEN a malformed intent segment, an extra segment or a wrong secret with an intent THEN 404', async () => {
		const intentId = newIntentId();
		for (const path of [
			`/callbacks/${secret}/sunoapi/not%20an%20intent`,
			`/callbacks/${secret}/sunoapi/${intentId}/more`,
			`/callbacks/cb-secret-0123456789abcdeX/sunoapi/${intentId}`,
		]) {
			expect((await post(path, callbackBody('b11', 'complete'))).status, path).toBe(404);
		}
	});

	it('GIVEN a wrong secret THEN 404 and the task is untouched', async () => {
		await store.saveTask(newRecord({ id: 'b2', family: 'sunoapi' }));
		const res = await post('/callbacks/cb-secret-0123456789abcdeX/sunoapi', callbackBody('b2', 'complete'));
		expect(res.status).toBe(404);
		expect((await store.getTask('b2'))?.state.status).toBe('submitted');
		expect(await metricValue('songbot_callbacks_total', 'result="unauthorized"')).toBeGreaterThanOrEqual(1);
	});

	it('GIVEN the path of another provider family THEN 404 and nothing is parsed', async () => {
		await store.saveTask(newRecord({ id: 'b3', family: 'sunoapi' }));
		const res = await post(`/callbacks/${secret}/newapi`, callbackBody('b3', 'complete'));
		expect(res.status).toBe(404);
		expect((await store.getTask('b3'))?.state.status).toBe('submitted');
	});

	it('GIVEN a callback about a task of another family THEN it is answered 200 but changes nothing', async () => {
		await store.saveTask(newRecord({ id: 'a1', family: 'newapi' }));
		const res = await post(`/callbacks/${secret}/sunoapi`, callbackBody('a1', 'complete'));
		expect(res.status).toBe(200);
		await tracker.idle();
		expect((await store.getTask('a1'))?.state.status).toBe('submitted');
		expect(sink.posts).toEqual([]);
	});

	it('GIVEN an unknown task id THEN 200 (so the provider stops retrying) and it is counted as unknown', async () => {
		const before = await metricValue('songbot_callbacks_total', 'result="unknown"');
		const res = await post(`/callbacks/${secret}/sunoapi`, callbackBody('nobody', 'complete'));
		expect(res.status).toBe(200);
		expect(await metricValue('songbot_callbacks_total', 'result="unknown"')).toBe(before + 1);
	});

	it('GIVEN a body over the limit, not JSON, or not a callback THEN 413 / 400 / 400', async () => {
		expect((await post(`/callbacks/${secret}/sunoapi`, { pad: 'x'.repeat(10_000) })).status).toBe(413);
		expect((await post(`/callbacks/${secret}/sunoapi`, '{"code":')).status).toBe(400);
		expect((await post(`/callbacks/${secret}/sunoapi`, { hello: 'world' })).status).toBe(400);
		expect((await fetch(`${base}/callbacks/${secret}/sunoapi`)).status).toBe(405);
	});

	it('GIVEN the store cannot save THEN 500, so the provider delivers the callback again later', async () => {
		await store.saveTask(newRecord({ id: 'b4', family: 'sunoapi' }));
		failSaves = true;
		expect((await post(`/callbacks/${secret}/sunoapi`, callbackBody('b4', 'complete'))).status).toBe(500);
		failSaves = false;
		expect((await post(`/callbacks/${secret}/sunoapi`, callbackBody('b4', 'complete'))).status).toBe(200);
		await tracker.idle();
		expect(sink.markers()).toEqual(['songbot:b4:b4-1', 'songbot:b4:b4-2']);
	});
});

describe('GET /healthz and /metrics', () => {
	it('GIVEN the health check passes, fails, or throws THEN 200, 503, 503', async () => {
		expect((await fetch(`${base}/healthz`)).status).toBe(200);
		healthy = () => false;
		expect((await fetch(`${base}/healthz`)).status).toBe(503);
		healthy = () => Promise.reject(new Error('store down'));
		expect((await fetch(`${base}/healthz`)).status).toBe(503);
	});

	it('GIVEN tracker activity THEN /metrics exposes the operator figures in Prometheus text', async () => {
		const res = await fetch(`${base}/metrics`, bearer);
		expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
		const text = await res.text();
		for (const name of [
			'songbot_active_tasks',
			'songbot_status_requests_total',
			'songbot_callbacks_total',
			'songbot_deliveries_total',
			'songbot_failures_total',
		]) {
			expect(text).toContain(`# TYPE ${name}`);
		}
		expect((await fetch(`${base}/nothing`)).status).toBe(404);
	});
});

describe('who may read /metrics', () => {
	it('GIVEN no METRICS_TOKEN THEN the public port does not serve /metrics at all, and /healthz stays open', async () => {
		const open = createHttpServer({
			secret,
			provider,
			report: () => Promise.reject(new Error('unused')),
			isHealthy: () => true,
			metrics,
			log,
		});
		const url = await open.listen(0, '127.0.0.1');
		try {
			const res = await fetch(`${url}/metrics`);
			expect(res.status).toBe(404);
			expect(await res.text()).not.toContain('songbot_');
			expect((await fetch(`${url}/metrics`, bearer)).status).toBe(404);
			expect((await fetch(`${url}/healthz`)).status).toBe(200);
		} finally {
			await open.close();
		}
	});

	it('GIVEN METRICS_TOKEN THEN /metrics on the public port answers 401 without the bearer token and 200 with it', async () => {
		const without = await fetch(`${base}/metrics`);
		expect(without.status).toBe(401);
		expect(without.headers.get('www-authenticate')).toMatch(/^Bearer/);
		expect(await without.text()).not.toContain('songbot_');
		for (const authorization of [`Bearer ${metricsToken}x`, `Basic ${metricsToken}`, metricsToken, 'Bearer ']) {
			expect((await fetch(`${base}/metrics`, { headers: { authorization } })).status, authorization).toBe(401);
		}
		const res = await fetch(`${base}/metrics`, bearer);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('# TYPE songbot_active_tasks gauge');
		expect((await fetch(`${base}/healthz`)).status).toBe(200);
	});

	it('GIVEN METRICS_PORT THEN /metrics is served on 127.0.0.1 only, and nothing else there', async () => {
		const server = createMetricsServer({ metrics, log });
		const url = await server.listen(0);
		try {
			expect(new URL(url).hostname).toBe('127.0.0.1');
			const res = await fetch(`${url}/metrics`);
			expect(res.status).toBe(200);
			expect(await res.text()).toContain('# TYPE songbot_status_requests_total counter');
			expect((await fetch(`${url}/healthz`)).status).toBe(404);
			// Another address of this machine does not reach it.
			const port = Number(new URL(url).port);
			const outside = Object.values(networkInterfaces())
				.flat()
				.find((i) => i?.family === 'IPv4' && !i.internal)?.address;
			if (outside !== undefined) {
				await expect(fetch(`http://${outside}:${port}/metrics`)).rejects.toThrow();
			}
		} finally {
			await server.close();
		}
	});

	it('GIVEN METRICS_PORT and METRICS_TOKEN THEN the loopback server wants the token too', async () => {
		const server = createMetricsServer({ metrics, token: metricsToken, log });
		const url = await server.listen(0);
		try {
			expect((await fetch(`${url}/metrics`)).status).toBe(401);
			expect((await fetch(`${url}/metrics`, bearer)).status).toBe(200);
		} finally {
			await server.close();
		}
	});
});
