import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { discordBurst } from './discord-burst.ts';
import { describeMachine } from './lib/machine.ts';
import { finishRecord, mergeRerun, type RunRecord, textTable, targetSummary } from './lib/report.ts';
import type { ScenarioResult } from './lib/report-types.ts';
import { keptSections, resultsMarkdown } from './lib/results-md.ts';
import { memoryPerServer } from './memory.ts';
import { playClick } from './play-click.ts';
import { providerTraffic } from './provider-traffic.ts';
import { startup } from './startup.ts';
import { voice } from './voice.ts';

/**
 * `npm run bench [-- --quick] [-- --only startup,provider-traffic,voice,play-click,discord-burst,memory [--update]]`: measures the bot
 * against the approaches it replaces, side by side in one run (see bench/RESULTS.md for the method). A full run
 * writes bench/RESULTS.md and bench/latest.json; every run writes its raw JSON to bench/results/ (git-ignored), and
 * a quick or partial run its table to bench/results/RESULTS-quick.md, leaving the committed results alone, except
 * a partial full-scale run with `--update`: its scenarios replace theirs in bench/latest.json and RESULTS.md, which
 * say when and under what load they were measured again. `tracker` names the provider-traffic scenario.
 */

const USAGE =
	'usage: node bench/run.ts [--quick] [--only startup,provider-traffic|tracker,voice,play-click,discord-burst,memory [--update]]\n';
const args = process.argv.slice(2);
if (args.includes('--help')) {
	process.stdout.write(USAGE);
	process.exit(0);
}
const quick = args.includes('--quick');
const onlyAt = args.findIndex((a) => a === '--only' || a.startsWith('--only='));
const onlyArg = onlyAt === -1 ? undefined : (args[onlyAt]!.split('=')[1] ?? args[onlyAt + 1]);
const only = onlyArg?.split(',').map((name) => (name === 'tracker' ? 'provider-traffic' : name));
const update = args.includes('--update');
if ((onlyAt !== -1 && (!onlyArg || onlyArg.startsWith('--'))) || (update && (!only || quick))) {
	process.stderr.write(`${USAGE}--only names scenarios; --update goes with --only at full scale (not --quick).\n`);
	process.exit(2);
}
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
			playClick: { songs: 1 },
			burst: { songs: 50, stageMs: 1_000, concurrency: 5 },
			memory: { guilds: 250, settleMs: 2_000, runs: 1 },
		}
	: {
			startup: { runs: 3, idleMs: 10_000 },
			traffic: { tasks: 1_000, meanMs: 75_000, windowMs: 30_000 },
			voice: {
				takeSec: 180,
				latencyRuns: 5,
				scale: { steps: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], warmupMs: 1_000, windowMs: 5_000, capMs: 100_000 },
			},
			playClick: { songs: 3 },
			burst: { songs: 50, stageMs: 6_000, concurrency: 5 },
			memory: { guilds: 2_500, settleMs: 5_000, runs: 3 },
		};

const SCENARIOS: [string, () => Promise<ScenarioResult>][] = [
	['startup', () => startup(SCALE.startup)],
	['provider-traffic', () => providerTraffic(SCALE.traffic)],
	['voice', () => voice({ ...SCALE.voice, resultsDir })],
	['play-click', () => playClick(SCALE.playClick)],
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
const latest = here('./latest.json');
const updated = update && !failed;
if (complete || updated) {
	const committed = updated ? mergeRerun(JSON.parse(readFileSync(latest, 'utf8')) as RunRecord, record) : record;
	const options = { ...(await prettier.resolveConfig(latest)), filepath: latest };
	writeFileSync(latest, await prettier.format(JSON.stringify(committed), options));
	const results = here('./RESULTS.md');
	writeFileSync(
		results,
		resultsMarkdown(committed, existsSync(results) ? keptSections(readFileSync(results, 'utf8')) : ''),
	);
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
	`\n${complete || updated ? 'Wrote bench/RESULTS.md and bench/latest.json' : 'Wrote bench/results/RESULTS-quick.md'} (${record.durationSec.toFixed(0)} s).\n`,
);
process.exit(failed ? 1 : 0);
