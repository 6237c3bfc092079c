import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.ts';
import type { AudioCache } from '../../src/core/ports.ts';
import type { ClipRecord, TaskRecord } from '../../src/core/records.ts';
import type { TaskSink } from '../../src/core/sink.ts';
import { createTracker } from '../../src/core/tracker.ts';
import { trackerOptionsFrom } from '../../src/tracker-options.ts';
import { callbackUrl, createHttpServer, createMetrics, type HttpServer } from '../../src/http/index.ts';
import { createLogger } from '../../src/log.ts';
import { createProvider } from '../../src/providers/index.ts';
import { openStore } from '../../src/store/index.ts';
import { runWorker } from '../lib/ipc.ts';
import {
	heapProbe,
	type Posted,
	SONG,
	submitSpread,
	type TrafficInput,
	type TrafficResult,
	until,
} from '../lib/traffic.ts';
import { heapAfterGc, startUsage } from '../lib/usage.ts';

/**
 * Ours, provider side: the real tracker (src/core/tracker.ts) with the real adapter, the SQLite store and the
 * shipped polling defaults (POLL_FAST_MS, POLL_SLOW_MS, SAFETY_POLL_MS), plus the real callback server for
 * family B. A take counts as posted when the tracker hands it to the TaskSink; audio downloads are skipped
 * (the baseline downloads nothing either), so the figures are about provider traffic only.
 */

class TimingSink implements TaskSink {
	readonly posted: Posted[] = [];
	async update(): Promise<void> {}
	async deliver(task: TaskRecord, clip: ClipRecord): Promise<{ messageId: string }> {
		this.posted.push({ taskId: task.id, clipId: clip.id, at: Date.now() });
		return { messageId: String(this.posted.length) };
	}
	async findDelivered(): Promise<string | undefined> {
		return undefined;
	}
}

const noDownload: AudioCache = {
	ensure: async () => ({ path: '/dev/null', bytes: 0 }),
	remove: async () => {},
};

runWorker<TrafficInput, TrafficResult>(async (input) => {
	const dir = mkdtempSync(join(tmpdir(), 'songbot-bench-'));
	const log = createLogger({ level: 'silent', secrets: [input.apiKey], pretty: false });
	const config = parseConfig({
		DISCORD_TOKEN: 'bench',
		SUNO_PROVIDER: input.family,
		SUNO_BASE_URL: input.baseUrl,
		SUNO_API_KEY: input.apiKey,
		DATA_DIR: dir,
		LOG_LEVEL: 'silent',
	});
	const provider = createProvider({
		family: config.SUNO_PROVIDER,
		baseUrl: config.SUNO_BASE_URL,
		apiKey: config.SUNO_API_KEY,
		model: config.SUNO_MODEL,
	});
	const opened = await openStore(input.store === 'memory' ? 'memory://' : config.STORE_URL, { log });
	// Counts the record saves (each a write of the record, plus the index entries that change with it).
	let saves = 0;
	const store = new Proxy(opened, {
		get(target, prop, receiver) {
			const value: unknown = Reflect.get(target, prop, receiver);
			if (typeof value !== 'function') return value;
			if (prop === 'saveTask') {
				return (...args: Parameters<typeof target.saveTask>) => {
					saves += 1;
					return target.saveTask(...args);
				};
			}
			return (value as (...a: unknown[]) => unknown).bind(target);
		},
	});
	const sink = new TimingSink();
	const metrics = createMetrics({ defaults: false });
	let http: HttpServer | undefined;
	let callbacks: string | undefined;
	if (input.callbacks) {
		const secret = 'bench-callback-secret-0001';
		http = createHttpServer({
			secret,
			provider,
			report: (snapshot, source, family, intentId) => tracker.report(snapshot, source, family, intentId),
			isHealthy: () => true,
			metrics,
			log,
		});
		callbacks = callbackUrl(await http.listen(0, '127.0.0.1'), secret, provider.family);
	}
	const tracker = createTracker({
		provider,
		store,
		sink,
		audio: noDownload,
		log,
		options: trackerOptionsFrom(config, callbacks),
		metrics: metrics.tracker,
	});
	await tracker.start();

	const usage = startUsage();
	const heap = heapProbe(input.tasks);
	const place = { guildId: '222222222222222222', channelId: '333333333333333333', messageId: '444444444444444444' };
	const ids: string[] = [];
	const failedSubmits = await submitSpread(
		input.tasks,
		input.windowMs,
		async (i) => {
			const record = await tracker.submit({
				request: { action: 'generate', request: { mode: 'custom', model: 'v5', ...SONG, title: `${SONG.title} ${i}` } },
				requester: { userId: '111111111111111111', name: `user${i % 50}` },
				place,
			});
			ids.push(record.id);
		},
		heap.checkpoint,
	);
	const memory = heap.finish();
	// What one tracked record holds, for comparison with the heap figure (JSON is smaller than V8's layout).
	const records = await Promise.all(ids.map((id) => tracker.get(id)));
	const recordJsonBytes = records.reduce((sum, r) => sum + JSON.stringify(r ?? {}).length, 0) / Math.max(1, ids.length);
	const expected = (input.tasks - failedSubmits) * 2;
	await until(() => sink.posted.length >= expected, input.deadlineMs);
	await tracker.stop();
	const measured = await usage.stop();
	const heapBeforeCopies = heapAfterGc();
	const copies = records.map((record) => structuredClone(record));
	const recordHeapBytes = (heapAfterGc() - heapBeforeCopies) / Math.max(1, copies.length);
	const line = (await metrics.registry.metrics())
		.split('\n')
		.find((l) => l.startsWith('songbot_status_requests_total '));
	await http?.close();
	await store.close();
	rmSync(dir, { recursive: true, force: true });
	return {
		posted: sink.posted,
		submitted: input.tasks - failedSubmits,
		failedSubmits,
		...memory,
		recordJsonBytes,
		recordHeapBytes: copies.length > 0 ? recordHeapBytes : Number.NaN,
		usage: measured,
		statusRequests: Number(line?.split(' ').at(-1) ?? Number.NaN),
		saves,
	};
});
