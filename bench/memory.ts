import { startDiscordDouble } from '../test/doubles/discord/index.ts';
import { startFakeProvider } from '../test/doubles/providers/index.ts';
import type { ScenarioResult } from './lib/report-types.ts';
import { median, sig } from './lib/stats.ts';
import { startWorker } from './lib/worker.ts';
import type { GuildClientInput, GuildClientResult } from './workers/guild-client.ts';

/**
 * Memory per server: the Discord double serves `guilds` servers to one shard (the sandbox guild plus generated
 * ones of realistic size: 50 channels, 30 roles, 200 members, 3 voice states each; test/doubles/discord/crowd.ts).
 * Ours (the whole bot through startApp, with its lean caches) and a discord.js client with default caching each
 * connect in a process of their own, one after the other (alternating which goes first), each to a fresh double;
 * both are measured after the same settling time and the same collections (bench/workers/guild-client.ts), and both
 * run with the glibc setting of the Docker image.
 */

export interface MemoryOptions {
	guilds: number;
	settleMs: number;
	/** Runs per side, alternating which side goes first; medians are reported. */
	runs: number;
}

const WORKER = new URL('./workers/guild-client.ts', import.meta.url);
/** What the Docker image sets (see the Dockerfile), for both sides alike. */
const MALLOC_AS_SHIPPED = { MALLOC_MMAP_THRESHOLD_: '65536' };

async function side(which: GuildClientInput['side'], options: MemoryOptions): Promise<GuildClientResult> {
	const double = await startDiscordDouble({ crowd: { guilds: options.guilds - 1 } });
	const fake = await startFakeProvider({ family: 'newapi' });
	try {
		const input: GuildClientInput = {
			side: which,
			apiUrl: double.apiUrl,
			token: double.token,
			guildId: double.guild.id,
			provider: { baseUrl: fake.baseUrl, apiKey: fake.apiKey },
			settleMs: options.settleMs,
		};
		return await startWorker<GuildClientResult>(WORKER, input, {
			name: `guilds-${which}`,
			timeoutMs: 900_000,
			env: MALLOC_AS_SHIPPED,
		}).result;
	} finally {
		await fake.close();
		await double.stop();
	}
}

function medianResult(results: GuildClientResult[]): GuildClientResult {
	const pick = (get: (r: GuildClientResult) => number) => median(results.map(get));
	const first = results[0] as GuildClientResult;
	return {
		gatewayReadyMs: pick((r) => r.gatewayReadyMs),
		readyMs: pick((r) => r.readyMs),
		rssMb: pick((r) => r.rssMb),
		heapMb: pick((r) => r.heapMb),
		peakRssMb: pick((r) => r.peakRssMb),
		cached: first.cached,
	};
}

export async function memoryPerServer(options: MemoryOptions): Promise<ScenarioResult> {
	const runs: Record<GuildClientInput['side'], GuildClientResult[]> = { ours: [], default: [] };
	for (let i = 0; i < options.runs; i++) {
		const order: GuildClientInput['side'][] = i % 2 === 0 ? ['ours', 'default'] : ['default', 'ours'];
		for (const which of order) runs[which].push(await side(which, options));
	}
	const ours = medianResult(runs.ours);
	const baseline = medianResult(runs.default);
	const n = options.guilds;
	const scenario = `${n.toLocaleString('en-US')} servers on one shard, after ready, median of ${options.runs}`;
	const full = n >= 2_500;
	const describe = (r: GuildClientResult) =>
		`clientReady ${(r.gatewayReadyMs / 1000).toFixed(1)} s, ready ${(r.readyMs / 1000).toFixed(1)} s, RSS ${r.rssMb.toFixed(0)} MB (peak ${r.peakRssMb.toFixed(0)} MB), ` +
		`heap ${r.heapMb.toFixed(0)} MB; cached ${Object.entries(r.cached)
			.map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
			.join(', ')}`;
	return {
		name: 'memory',
		rows: [
			{
				scenario,
				metric: 'RSS (ours: the whole bot; baseline: discord.js default caching)',
				unit: 'MB',
				ours: sig(ours.rssMb),
				baseline: sig(baseline.rssMb),
				better: 'lower',
				target: { text: '≤ ¼ of default', met: full ? ours.rssMb <= baseline.rssMb / 4 : undefined },
			},
			{
				scenario,
				metric: 'RSS of the whole bot',
				unit: 'MB',
				ours: sig(ours.rssMb),
				baseline: null,
				better: 'lower',
				target: { text: '< 300 MB', met: full ? ours.rssMb < 300 : undefined },
			},
			{
				scenario,
				metric: 'V8 heap in use',
				unit: 'MB',
				ours: sig(ours.heapMb),
				baseline: sig(baseline.heapMb),
				better: 'lower',
				target: { text: '≤ ¼ of default', met: full ? ours.heapMb <= baseline.heapMb / 4 : undefined },
			},
			{
				scenario,
				metric: 'peak RSS while starting',
				unit: 'MB',
				ours: sig(ours.peakRssMb),
				baseline: sig(baseline.peakRssMb),
				better: 'lower',
			},
			{
				scenario,
				metric: 'process start → every server received (clientReady)',
				unit: 'ms',
				ours: sig(ours.gatewayReadyMs),
				baseline: sig(baseline.gatewayReadyMs),
				better: 'lower',
			},
			{
				scenario,
				metric: 'process start → commands usable (registered)',
				unit: 'ms',
				ours: sig(ours.readyMs),
				baseline: null,
				better: 'lower',
			},
		],
		notes: [
			`Memory per server, ours: ${describe(ours)}.`,
			`Memory per server, discord.js default caching: ${describe(baseline)}.`,
			`Memory per server, each run (ours | default): ${runs.ours
				.map((r, i) => {
					const d = runs.default[i] as GuildClientResult;
					return `${r.rssMb.toFixed(0)} | ${d.rssMb.toFixed(0)} MB RSS, ${r.heapMb.toFixed(0)} | ${d.heapMb.toFixed(0)} MB heap, clientReady ${(r.gatewayReadyMs / 1000).toFixed(1)} | ${(d.gatewayReadyMs / 1000).toFixed(1)} s`;
				})
				.join('; ')}.`,
			`Per server: ours ${((ours.rssMb * 1024) / n).toFixed(0)} KB RSS, default ${((baseline.rssMb * 1024) / n).toFixed(0)} KB.`,
		],
		raw: { options, ours, baseline },
	};
}
