import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAudioCache } from '../../src/audio/download.ts';
import type { Family } from '../../src/core/provider.ts';
import type { Store } from '../../src/core/store.ts';
import { createTracker, type Tracker, type TrackerOptions } from '../../src/core/tracker.ts';
import { callbackUrl, createHttpServer, createMetrics, type HttpServer, type Metrics } from '../../src/http/index.ts';
import { createLogger } from '../../src/log.ts';
import { createProvider } from '../../src/providers/index.ts';
import { openStore } from '../../src/store/index.ts';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../doubles/providers/index.ts';
import { MemorySink } from './scripted.ts';

/**
 * The real tracker, SQLite store, audio cache and provider adapter against a fake provider server on
 * 127.0.0.1 (and, with callbacks, the real HTTP server receiving the fake's callbacks). Real time throughout.
 */
export interface Rig {
	fake: FakeProvider;
	tracker: Tracker;
	store: Store;
	sink: MemorySink;
	metrics: Metrics;
	http?: HttpServer;
	close(): Promise<void>;
}

export const log = createLogger({ level: 'silent', secrets: [], pretty: false });

export async function startRig(
	fakeOptions: FakeProviderOptions,
	options: { callbacks?: boolean; deadlines?: TrackerOptions['deadlines'] } = {},
): Promise<Rig> {
	const dir = mkdtempSync(join(tmpdir(), 'songbot-rig-'));
	const fake = await startFakeProvider(fakeOptions);
	const family: Family = fakeOptions.family;
	const provider = createProvider({ family, baseUrl: fake.baseUrl, apiKey: fake.apiKey, retry: { baseDelayMs: 50 } });
	const store = await openStore(`sqlite://${join(dir, 'songbot.sqlite')}`, { log });
	const sink = new MemorySink();
	const audio = createAudioCache({
		dir: join(dir, 'audio'),
		maxBytes: 10 * 1024 * 1024,
		allowHttp: true,
		allowPrivate: true,
	});
	const metrics = createMetrics({ defaults: false });
	let http: HttpServer | undefined;
	let url: string | undefined;
	if (options.callbacks) {
		const secret = 'rig-callback-secret-0001';
		http = createHttpServer({
			secret,
			provider,
			report: (snapshot, source, fam) => tracker.report(snapshot, source, fam),
			isHealthy: () => true,
			metrics,
			log,
		});
		url = callbackUrl(await http.listen(0, '127.0.0.1'), secret, family);
	}
	const tracker: Tracker = createTracker({
		provider,
		store,
		sink,
		audio,
		log,
		metrics: metrics.tracker,
		options: {
			timing: { fastMs: 200, slowMs: 1_000, safetyMs: 400, callbacks: url !== undefined },
			deadlines: options.deadlines ?? { stallMs: 60_000, taskTimeoutMs: 120_000 },
			...(url ? { callbackUrl: url } : {}),
			retentionMs: 0,
			deliveryRetry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 },
		},
	});
	await tracker.start();
	const rig: Rig = {
		fake,
		tracker,
		store,
		sink,
		metrics,
		async close() {
			await tracker.stop();
			await http?.close();
			await fake.close();
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
	if (http) rig.http = http;
	return rig;
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs` (generous: the machine is shared). */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
		await sleep(25);
	}
}

export const who = {
	requester: { userId: '111111111111111111', name: 'ana' },
	place: { guildId: '222222222222222222', channelId: '333333333333333333', messageId: '444444444444444444' },
};

export const song = (lyrics = '[Verse] rain on the window') => ({
	action: 'generate' as const,
	request: { mode: 'custom' as const, model: 'v5' as const, lyrics, style: 'indie pop', title: 'Rain' },
});

/** The value of one Prometheus sample, e.g. `sample(metrics, 'songbot_reports_total', 'source="callback",result="applied"')`. */
export async function sample(metrics: Metrics, name: string, labels = ''): Promise<number> {
	const prefix = labels ? `${name}{${labels}} ` : `${name} `;
	const line = (await metrics.registry.metrics()).split('\n').find((l) => l.startsWith(prefix));
	return line ? Number(line.split(' ').at(-1)) : 0;
}
