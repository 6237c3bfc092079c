/** One line of the results table: our figure, the baseline's, and how the ratio is read. */
export interface Row {
	scenario: string;
	metric: string;
	unit: string;
	ours: number | null;
	/** null when the issue names no baseline for this figure. */
	baseline: number | null;
	/** Which direction is better; the ratio is always "how many times better ours is". */
	better: 'lower' | 'higher';
	/** A target from the issue; `met` is undefined when this run cannot judge it (e.g. --quick). */
	target?: { text: string; met: boolean | undefined };
}

/** What each scenario hands back to bench/run.ts. */
export interface ScenarioResult {
	name: string;
	rows: Row[];
	/** How it was measured and anything odd seen in this run, for RESULTS.md. */
	notes: string[];
	/** Raw figures for bench/results/*.json. */
	raw: unknown;
	/** Set when this scenario was measured again on its own (`--only … --update`) after the run the file is of. */
	rerun?: Rerun;
}

/** When, where and under what load a scenario was measured again on its own. */
export interface Rerun {
	date: string;
	command: string;
	commit: string;
	durationSec: number;
	loadAverageStart: number[];
	loadAverageEnd: number[];
}

/** How many times better ours is (>1 = better): baseline/ours for lower-is-better, ours/baseline otherwise. */
export function advantage(row: Row): number | null {
	if (row.ours === null || row.baseline === null) return null;
	if (row.better === 'lower')
		return row.ours === 0 ? (row.baseline === 0 ? 1 : Number.POSITIVE_INFINITY) : row.baseline / row.ours;
	return row.baseline === 0 ? (row.ours === 0 ? 1 : Number.POSITIVE_INFINITY) : row.ours / row.baseline;
}
