import os from 'node:os';
import { advantage, type Row, type ScenarioResult } from './report-types.ts';
import type { Machine } from './machine.ts';

/** The results table for the terminal and RESULTS.md, and the raw record written as JSON. */

export interface RunRecord {
	date: string;
	command: string;
	quick: boolean;
	durationSec: number;
	machine: Machine;
	loadAverageEnd: number[];
	scenarios: ScenarioResult[];
}

export function finishRecord(partial: Omit<RunRecord, 'loadAverageEnd'>): RunRecord {
	return { ...partial, loadAverageEnd: os.loadavg().map((l) => Number(l.toFixed(2))) };
}

/**
 * The committed run with the scenarios of a partial run in place of theirs, each stamped with when, at which
 * commit and under what load it was measured again. The other scenarios and the header stay as they were.
 */
export function mergeRerun(base: RunRecord, partial: RunRecord): RunRecord {
	const rerun = {
		date: partial.date,
		command: partial.command,
		commit: partial.machine.commit,
		durationSec: partial.durationSec,
		loadAverageStart: partial.machine.loadAverageStart,
		loadAverageEnd: partial.loadAverageEnd,
	};
	const fresh = new Map(partial.scenarios.map((s) => [s.name, { ...s, rerun }]));
	const scenarios = base.scenarios.map((s) => fresh.get(s.name) ?? s);
	for (const [name, s] of fresh) if (!base.scenarios.some((b) => b.name === name)) scenarios.push(s);
	return { ...base, scenarios };
}

const num = (value: number | null): string => {
	if (value === null) return '—';
	if (!Number.isFinite(value)) return String(value);
	return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(value);
};

/** "57× better", "1.6× worse", "—" (no baseline), "same". */
export function ratioText(row: Row): string {
	const a = advantage(row);
	if (a === null) return '—';
	if (!Number.isFinite(a)) return 'ours is 0';
	if (Math.abs(a - 1) < 0.005) return 'same';
	const times = (x: number) => (x >= 10 ? Math.round(x).toString() : x.toFixed(x >= 2 ? 1 : 2));
	return a > 1 ? `${times(a)}× better` : `${times(1 / a)}× worse`;
}

const targetText = (row: Row): string => {
	if (!row.target) return '';
	const verdict = row.target.met === undefined ? 'not judged (--quick)' : row.target.met ? '**met**' : '**missed**';
	return `${row.target.text}: ${verdict}`;
};

const cells = (row: Row) => [
	row.metric,
	`${num(row.ours)} ${row.unit}`,
	row.baseline === null ? '—' : `${num(row.baseline)} ${row.unit}`,
	ratioText(row),
	targetText(row),
];

/** A Markdown table, one section row per scenario. */
export function markdownTable(rows: readonly Row[]): string {
	const lines = ['| figure | ours | baseline | ours vs baseline | target |', '|---|---:|---:|---|---|'];
	let scenario = '';
	for (const row of rows) {
		if (row.scenario !== scenario) {
			scenario = row.scenario;
			lines.push(`| **${scenario}** | | | | |`);
		}
		lines.push(`| ${cells(row).join(' | ')} |`);
	}
	return lines.join('\n');
}

/** The same table as aligned plain text for the terminal. */
export function textTable(rows: readonly Row[]): string {
	const header = ['figure', 'ours', 'baseline', 'ours vs baseline', 'target'];
	const body = rows.map((row) => cells(row).map((c) => c.replaceAll('**', '')));
	const widths = header.map((h, i) => Math.min(70, Math.max(h.length, ...body.map((r) => (r[i] ?? '').length))));
	const line = (r: string[]) =>
		r.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
	const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
	let scenario = '';
	for (const [i, row] of rows.entries()) {
		if (row.scenario !== scenario) {
			scenario = row.scenario;
			out.push('', scenario);
		}
		out.push(line(body[i] ?? []));
	}
	return out.join('\n');
}

/** Targets of the issue with their verdicts, for the summary. */
export function targetSummary(rows: readonly Row[]): string[] {
	return rows
		.filter((r) => r.target)
		.map((r) => {
			const verdict = r.target?.met === undefined ? 'not judged in a --quick run' : r.target.met ? 'met' : 'MISSED';
			return `${verdict}: ${r.target?.text} (${r.scenario}: ${r.metric} = ${num(r.ours)} ${r.unit}${r.baseline === null ? '' : ` vs ${num(r.baseline)}`})`;
		});
}
