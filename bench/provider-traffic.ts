import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeProvider, startFakeProvider } from '../test/doubles/providers/index.ts';
import type { Row, ScenarioResult } from './lib/report-types.ts';
import { driveStages } from './lib/stage-clock.ts';
import { percentile, sig } from './lib/stats.ts';
import type { TrafficFamily, TrafficInput, TrafficResult } from './lib/traffic.ts';
import { startWorker } from './lib/worker.ts';

/**
 * Scenario 1: many concurrent generations against a fake provider, ours (bench/workers/tracker.ts) and the 5-second
 * per-task poller (bench/baselines/poller.ts) side by side, each in its own process against its own fake (both
 * fakes live in this process, so their work is charged to neither side). Tasks move on a wall clock, each with its
 * own duration around `meanMs` (lib/stage-clock.ts), and the submits are spread over `windowMs`, so tasks finish
 * over a spread as real ones do. Requests are counted at the fake; "finished" is the fake's `finishedAt`.
 * A third worker, ours with the in-memory store, runs alongside as a diagnostic of what the durable store costs.
 */

export interface TrafficOptions {
	tasks: number;
	/** Mean time from submit to done (each task ± 40 %). */
	meanMs: number;
	windowMs: number;
}

const LABEL: Record<TrafficFamily, string> = { newapi: 'family A (newapi)', sunoapi: 'family B (sunoapi, callbacks)' };
const workers = {
	ours: new URL('./workers/tracker.ts', import.meta.url),
	baseline: new URL('./baselines/poller.ts', import.meta.url),
};

interface SideFigures {
	songs: number;
	statusRequests: number;
	statusRequestsSelfCount: number;
	totalRequests: number;
	perSong: number;
	delayP50Ms: number;
	delayP95Ms: number;
	result: Omit<TrafficResult, 'posted'>;
}

function figures(fake: FakeProvider, result: TrafficResult): SideFigures {
	const lastPost = new Map<string, number[]>();
	for (const post of result.posted) lastPost.set(post.taskId, [...(lastPost.get(post.taskId) ?? []), post.at]);
	const delays: number[] = [];
	for (const [taskId, times] of lastPost) {
		const task = fake.tasks.get(taskId);
		if (task?.finishedAt === undefined || times.length < task.clips.length) continue;
		delays.push(Math.max(...times) - task.finishedAt);
	}
	const statusRequests = fake.requests.filter((r) => r.route === 'fetch').length;
	const { posted: _posted, ...rest } = result;
	return {
		songs: delays.length,
		statusRequests,
		statusRequestsSelfCount: result.statusRequests,
		totalRequests: fake.requests.length,
		perSong: statusRequests / Math.max(1, delays.length),
		delayP50Ms: percentile(delays, 50),
		delayP95Ms: percentile(delays, 95),
		result: rest,
	};
}

async function runFamily(family: TrafficFamily, options: TrafficOptions, ignoredCallbackUrl: string) {
	const fakeOptions = { family, timeline: { type: 'manual' }, credits: 1e9 } as const;
	const fakes = {
		ours: await startFakeProvider(fakeOptions),
		baseline: await startFakeProvider(fakeOptions),
		inMemory: await startFakeProvider(fakeOptions),
	};
	const clocks = Object.values(fakes).map((fake) => driveStages(fake, options.meanMs));
	try {
		const deadlineMs = options.windowMs + 1.5 * options.meanMs + 60_000;
		const input = (fake: FakeProvider, extra: Partial<TrafficInput> = {}): TrafficInput => ({
			family,
			baseUrl: fake.baseUrl,
			apiKey: fake.apiKey,
			tasks: options.tasks,
			windowMs: options.windowMs,
			callbacks: family === 'sunoapi',
			ignoredCallbackUrl,
			deadlineMs,
			...extra,
		});
		const run = (entry: URL, name: string, workerInput: TrafficInput) =>
			startWorker<TrafficResult>(entry, workerInput, { name: `${name} ${family}`, timeoutMs: deadlineMs + 60_000 })
				.result;
		// The third side is a diagnostic: ours with the in-memory store shows what the durable store costs.
		const [o, b, m] = await Promise.all([
			run(workers.ours, 'tracker', input(fakes.ours)),
			run(workers.baseline, 'poller', input(fakes.baseline)),
			run(workers.ours, 'tracker (memory store)', input(fakes.inMemory, { store: 'memory' })),
		]);
		return {
			ours: figures(fakes.ours, o),
			baseline: figures(fakes.baseline, b),
			inMemory: figures(fakes.inMemory, m),
		};
	} finally {
		for (const clock of clocks) clock.stop();
		await Promise.all(Object.values(fakes).map((fake) => fake.close()));
	}
}

function rows(family: TrafficFamily, tasks: number, r: Awaited<ReturnType<typeof runFamily>>): Row[] {
	const scenario = `Provider traffic, ${LABEL[family]}, ${tasks.toLocaleString('en-US')} tasks`;
	const judged = tasks >= 1000;
	const row = (metric: string, unit: string, pick: (s: SideFigures) => number, extra: Partial<Row> = {}): Row => ({
		scenario,
		metric,
		unit,
		ours: sig(pick(r.ours), 4),
		baseline: sig(pick(r.baseline), 4),
		better: 'lower',
		...extra,
	});
	const perSongTarget =
		family === 'newapi'
			? {
					target: {
						text: '≥ 50× fewer at 1,000 tasks',
						met: judged ? r.baseline.perSong / r.ours.perSong >= 50 : undefined,
					},
				}
			: {};
	return [
		row('status requests per delivered song', 'req', (s) => s.perSong, perSongTarget),
		row('total provider requests', 'req', (s) => s.totalRequests),
		row('provider finished → take posted, p50', 's', (s) => s.delayP50Ms / 1000),
		row('provider finished → take posted, p95', 's', (s) => s.delayP95Ms / 1000),
		row('CPU time', 'CPU s', (s) => s.result.usage.cpuSec + s.result.usage.childCpuSec),
		row('peak RSS', 'MB', (s) => s.result.usage.maxRssMb),
		row('heap per tracked task: (after N − before) / N', 'bytes', (s) => s.result.heapPerTaskBytes),
		row('heap per tracked task: one more task (last 90 % of N)', 'bytes', (s) => s.result.heapMarginalPerTaskBytes, {
			target: { text: '< 2 KB', met: judged ? r.ours.result.heapMarginalPerTaskBytes < 2048 : undefined },
		}),
		row('event-loop delay p99', 'ms', (s) => s.result.usage.eventLoopP99Ms),
	];
}

export async function providerTraffic(options: TrafficOptions): Promise<ScenarioResult> {
	// Family B requires a callBackUrl on every submit; the baseline's points here and is ignored.
	const ignore = createServer((_req, res) => res.writeHead(200).end('{}'));
	await new Promise<void>((resolve) => ignore.listen(0, '127.0.0.1', resolve));
	const ignoredUrl = `http://127.0.0.1:${(ignore.address() as AddressInfo).port}/ignored`;
	try {
		const raw: Record<string, unknown> = {};
		const all: Row[] = [];
		const notes: string[] = [];
		for (const family of ['newapi', 'sunoapi'] as const) {
			const result = await runFamily(family, options, ignoredUrl);
			raw[family] = result;
			all.push(...rows(family, options.tasks, result));
			const o = result.ours.result;
			notes.push(
				`${LABEL[family]}, diagnostic: the same tracker with the in-memory store instead of SQLite (not a shipped ` +
					`option) used ${result.inMemory.result.usage.cpuSec.toFixed(1)} CPU s and ${Math.round(result.inMemory.result.heapMarginalPerTaskBytes)} bytes of heap per additional task; ` +
					`a tracked record is ${Math.round(o.recordJsonBytes ?? 0)} bytes as JSON and ${Math.round(o.recordHeapBytes ?? 0)} bytes as a V8 object.`,
			);
			notes.push(
				`${LABEL[family]}: ours made ${result.ours.statusRequests} status requests (its own count: ${result.ours.statusRequestsSelfCount}), ` +
					`the poller ${result.baseline.statusRequests}; ` +
					`CPU ${o.usage.cpuSec.toFixed(1)} s (kernel ${o.usage.systemCpuSec.toFixed(1)} s) vs ${result.baseline.result.usage.cpuSec.toFixed(1)} s ` +
					`(kernel ${result.baseline.result.usage.systemCpuSec.toFixed(1)} s); event loop max ${o.usage.eventLoopMaxMs.toFixed(0)} vs ${result.baseline.result.usage.eventLoopMaxMs.toFixed(0)} ms; ` +
					`ours saved ${o.saves ?? Number.NaN} task records, ${((o.saves ?? Number.NaN) / Math.max(1, result.ours.songs)).toFixed(1)} per song (its intent included).`,
			);
			for (const side of ['ours', 'baseline'] as const) {
				const s = result[side];
				if (s.songs < options.tasks)
					notes.push(`${LABEL[family]}, ${side}: only ${s.songs} of ${options.tasks} songs were posted.`);
			}
		}
		return { name: 'provider-traffic', rows: all, notes, raw: { options, ...raw } };
	} finally {
		ignore.closeAllConnections();
		await new Promise<void>((resolve) => ignore.close(() => resolve()));
	}
}
