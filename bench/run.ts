import { mkdirSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { discordBurst } from './discord-burst.ts';
import { describeMachine } from './lib/machine.ts';
import { finishRecord, textTable, targetSummary } from './lib/report.ts';
import type { ScenarioResult } from './lib/report-types.ts';
import { resultsMarkdown } from './lib/results-md.ts';
import { memoryPerServer } from './memory.ts';
import { providerTraffic } from './provider-traffic.ts';
import { startup } from './startup.ts';
import { voice } from './voice.ts';

/**
 * `npm run bench [-- --quick] [-- --only=startup,provider-traffic,voice,discord-burst,memory]`: measures the bot against
 * the approaches it replaces, side by side in one run (see bench/RESULTS.md for the method). A full run writes
 * bench/RESULTS.md and bench/latest.json; every run writes its raw JSON to bench/results/ (git-ignored), and a
 * quick or partial run its table to bench/results/RESULTS-quick.md, leaving the committed results alone.
 */

const args = process.argv.slice(2);
if (args.includes('--help')) {
	process.stdout.write(
		'usage: node bench/run.ts [--quick] [--only=startup,provider-traffic,voice,discord-burst,memory]\n',
	);
	process.exit(0);
}
const quick = args.includes('--quick');
const only = args
	.find((a) => a.startsWith('--only='))
	?.slice('--only='.length)
	.split(',');
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const resultsDir = here('./results/');

const SCALE = quick
	? {
			startup: { runs: 1, idleMs: 3_000 },
			traffic: { tasks: 200, meanMs: 6_000, windowMs: 2_000 },
			voice: {
				takeSec: 15,
				latencyRuns: 3,
				scale: { steps: [2, 16], warmupMs: 500, windowMs: 2_000, capMs: 10_000 },
			},
			burst: { songs: 50, stageMs: 1_000, concurrency: 5 },
			memory: { guilds: 250, settleMs: 2_000, runs: 1 },
		}
	: {
			startup: { runs: 3, idleMs: 10_000 },
			traffic: { tasks: 1_000, meanMs: 75_000, windowMs: 30_000 },
			voice: {
				takeSec: 180,
				latencyRuns: 5,
				scale: { steps: [1, 2, 4, 8, 16, 32, 64, 128, 256], warmupMs: 1_000, windowMs: 5_000, capMs: 100_000 },
			},
			burst: { songs: 50, stageMs: 6_000, concurrency: 5 },
			memory: { guilds: 2_500, settleMs: 5_000, runs: 3 },
		};

const SCENARIOS: [string, () => Promise<ScenarioResult>][] = [
	['startup', () => startup(SCALE.startup)],
	['provider-traffic', () => providerTraffic(SCALE.traffic)],
	['voice', () => voice({ ...SCALE.voice, resultsDir })],
	['discord-burst', () => discordBurst(SCALE.burst)],
	['memory', () => memoryPerServer(SCALE.memory)],
];

const began = performance.now();
const date = new Date().toISOString();
const machine = describeMachine();
const scenarios: ScenarioResult[] = [];
let failed = false;
for (const [name, run] of SCENARIOS) {
	if (only && !only.includes(name)) continue;
	const t0 = performance.now();
	process.stderr.write(`bench: ${name}…\n`);
	try {
		scenarios.push(await run());
		process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
	} catch (error) {
		failed = true;
		const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
		process.stderr.write(`bench: ${name} FAILED: ${message}\n`);
		scenarios.push({ name, rows: [], notes: [`${name} failed: ${message.split('\n')[0]}`], raw: { error: message } });
	}
}

const record = finishRecord({
	date,
	command: ['node', 'bench/run.ts', ...args].join(' '),
	quick,
	durationSec: (performance.now() - began) / 1000,
	machine,
	scenarios,
});
mkdirSync(resultsDir, { recursive: true });
const json = JSON.stringify(record, null, '\t');
writeFileSync(`${resultsDir}${date.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`, `${json}\n`);
const complete = !quick && !only && !failed;
if (complete) {
	const latest = here('./latest.json');
	const options = { ...(await prettier.resolveConfig(latest)), filepath: latest };
	writeFileSync(latest, await prettier.format(json, options));
	writeFileSync(here('./RESULTS.md'), resultsMarkdown(record));
} else {
	writeFileSync(`${resultsDir}RESULTS-quick.md`, resultsMarkdown(record));
}

const rows = scenarios.flatMap((s) => s.rows);
process.stdout.write(
	`\n${textTable(rows)}\n\nTargets:\n${targetSummary(rows)
		.map((t) => `  ${t}`)
		.join('\n')}\n`,
);
process.stdout.write(
	`\n${complete ? 'Wrote bench/RESULTS.md and bench/latest.json' : 'Wrote bench/results/RESULTS-quick.md'} (${record.durationSec.toFixed(0)} s).\n`,
);
process.exit(failed ? 1 : 0);
