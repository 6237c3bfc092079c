import { setTimeout as sleep } from 'node:timers/promises';
import { startDiscordDouble } from '../test/doubles/discord/index.ts';
import { startFakeProvider } from '../test/doubles/providers/index.ts';
import { commandsRegisteredAt, spawnBot } from './lib/bot.ts';
import type { ScenarioResult } from './lib/report-types.ts';
import { median, sig } from './lib/stats.ts';

/**
 * Scenario 4: `node src/index.ts` from process start to commands ready (the moment the Discord double receives the
 * command registration, which the bot sends once its gateway session is READY), then its resident memory after
 * `idleMs` of doing nothing. Each run gets a fresh double, so the registration is always sent (a restart with
 * unchanged commands skips it). There is no baseline: the issue sets absolute targets.
 */

export interface StartupOptions {
	runs: number;
	idleMs: number;
}

export async function startup(options: StartupOptions): Promise<ScenarioResult> {
	const runs: { readyMs: number; idleRssMb: number; peakRssMb: number }[] = [];
	for (let i = 0; i < options.runs; i++) {
		const double = await startDiscordDouble();
		const fake = await startFakeProvider({ family: 'newapi' });
		const bot = spawnBot(double, fake);
		try {
			const readyMs = (await commandsRegisteredAt(double, bot)) - bot.spawnedAt;
			await sleep(options.idleMs);
			const memory = bot.memory();
			runs.push({ readyMs, idleRssMb: memory.rssMb, peakRssMb: memory.peakMb });
		} finally {
			await bot.stop();
			await fake.close();
			await double.stop();
		}
	}
	const scenario = `Start-up, \`node src/index.ts\`, median of ${options.runs}`;
	const idle = median(runs.map((r) => r.idleRssMb));
	return {
		name: 'startup',
		rows: [
			{
				scenario,
				metric: 'process start → commands registered',
				unit: 'ms',
				ours: sig(median(runs.map((r) => r.readyMs))),
				baseline: null,
				better: 'lower',
			},
			{
				scenario,
				metric: `idle RSS ${options.idleMs / 1000} s after start`,
				unit: 'MB',
				ours: sig(idle),
				baseline: null,
				better: 'lower',
				target: { text: '< 120 MB', met: idle < 120 },
			},
		],
		notes: [
			`Start-up runs: ${runs.map((r) => `${r.readyMs} ms, idle ${r.idleRssMb.toFixed(0)} MB (peak ${r.peakRssMb.toFixed(0)} MB)`).join('; ')}.`,
		],
		raw: { options, runs },
	};
}
