import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAudioCache } from '../../src/audio/download.ts';
import type { Family } from '../../src/core/provider.ts';
import { deliveryMarker } from '../../src/core/records.ts';
import type { TaskSink } from '../../src/core/sink.ts';
import { createTracker } from '../../src/core/tracker.ts';
import { createMetrics } from '../../src/http/metrics.ts';
import { callbackUrl } from '../../src/http/secret.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { createProvider } from '../../src/providers/index.ts';
import { openStore } from '../../src/store/index.ts';

/**
 * The bot's tracking half as a separate process, for the crash test: the real tracker, SQLite store, audio
 * cache and provider adapter, and a sink that posts "messages" carrying delivery markers to the test's
 * channel server. CRASH_AT makes it SIGKILL itself at one point:
 * - `after-submit`: right after the last submit returned;
 * - `after-take`: when the first take is reported done (saved, not yet posted);
 * - `between-post-and-mark`: after the channel accepted a take, before the marker is saved.
 * Without CRASH_AT it exits 0 once every task has settled. Every tracker-message update is posted to the channel
 * server's `/tracker` (what the person would see). CALLBACK_PORT serves provider callbacks on that port (the
 * real HTTP server, the same URL across restarts); TASK_TIMEOUT_MS shortens the overall deadline.
 */

const env = process.env;
const crashAt = env.CRASH_AT ?? '';
const channel = env.CHANNEL_URL ?? '';
const family = (env.FAMILY ?? 'newapi') as Family;
const log = createLogger({ level: env.LOG_LEVEL ?? 'silent', secrets: [], pretty: false });

function crash(point: string): never {
	process.stdout.write(`crashing ${point}\n`);
	process.kill(process.pid, 'SIGKILL');
	throw new Error('unreachable');
}

const sink: TaskSink = {
	async update(task, events) {
		const state = task.state;
		await fetch(`${channel}/tracker`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id: task.id,
				messageId: task.place.messageId,
				status: state.status,
				...(state.status === 'unconfirmed' ? { recovery: state.recovery } : {}),
				...(state.status === 'failed' ? { message: state.failure.message } : {}),
			}),
		});
		if (crashAt === 'after-take' && events.some((e) => e.type === 'take-done')) crash(`after take of ${task.id}`);
	},
	async deliver(task, clip) {
		const res = await fetch(`${channel}/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ marker: deliveryMarker(task.id, clip.id), bytes: clip.file?.bytes ?? 0 }),
		});
		if (!res.ok) throw new Error(`channel answered ${res.status}`);
		const { id } = (await res.json()) as { id: string };
		if (crashAt === 'between-post-and-mark') crash(`between post and mark of ${clip.id}`);
		return { messageId: id };
	},
	async findDelivered(task, clip) {
		const marker = encodeURIComponent(deliveryMarker(task.id, clip.id));
		const res = await fetch(`${channel}/messages?marker=${marker}`);
		if (!res.ok) throw new Error(`channel answered ${res.status}`);
		const { id } = (await res.json()) as { id: string | null };
		return id ?? undefined;
	},
};

const provider = createProvider({
	family,
	baseUrl: env.FAKE_BASE_URL ?? '',
	apiKey: env.FAKE_API_KEY ?? '',
	retry: { baseDelayMs: 50 },
});
const store = await openStore(`sqlite://${env.STORE_PATH}`, { log });
const secret = 'crash-test-callback-secret';
const callbackPort = Number(env.CALLBACK_PORT ?? 0);
const tracker = createTracker({
	provider,
	store,
	sink,
	audio: createAudioCache({
		dir: env.AUDIO_DIR ?? '',
		maxBytes: 10 * 1024 * 1024,
		allowHttp: true,
		allowPrivate: true,
	}),
	log,
	options: {
		timing: { fastMs: 200, slowMs: 500, safetyMs: 500, callbacks: callbackPort > 0 },
		deadlines: { stallMs: 60_000, taskTimeoutMs: Number(env.TASK_TIMEOUT_MS ?? 120_000) },
		...(callbackPort > 0 ? { callbackUrl: callbackUrl(`http://127.0.0.1:${callbackPort}`, secret, family) } : {}),
		retentionMs: 0,
		deliveryRetry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 },
	},
});
const http =
	callbackPort > 0
		? createHttpServer({
				secret,
				provider,
				report: (snapshot, source, fam, intentId) => tracker.report(snapshot, source, fam, intentId),
				isHealthy: () => true,
				metrics: createMetrics(),
				log,
			})
		: undefined;
await http?.listen(callbackPort, '127.0.0.1');
await tracker.start();
process.stdout.write('started\n');
const place = { guildId: '222222222222222222', channelId: '333333333333333333', messageId: '444444444444444444' };
for (let i = 0; i < Number(env.SUBMIT ?? 0); i++) {
	await tracker.submit({
		request: {
			action: 'generate',
			request: { mode: 'custom', model: 'v5', lyrics: `[Verse] take ${i}`, title: `Song ${i}`, style: 'pop' },
		},
		requester: { userId: '111111111111111111', name: 'ana' },
		place,
	});
}
process.stdout.write('submitted\n');
if (crashAt === 'after-submit') crash('after submit');
while (tracker.activeCount() > 0) await sleep(50);
await tracker.stop();
await http?.close();
await store.close();
process.stdout.write('settled\n');
process.exit(0);
