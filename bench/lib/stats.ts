/** Small statistics helpers for the bench. */

/** Nearest-rank percentile (`p` in 0–100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function median(values: readonly number[]): number {
	return percentile(values, 50);
}

/** Rounds to `digits` significant digits (enough for a table; raw JSON keeps what was measured). */
export function sig(value: number, digits = 3): number {
	if (!Number.isFinite(value) || value === 0) return value;
	return Number(value.toPrecision(digits));
}

/** Spreads `count` starts evenly over `windowMs`: the offset of start `i`. */
export function spread(i: number, count: number, windowMs: number): number {
	return count <= 1 ? 0 : (i * windowMs) / (count - 1);
}
