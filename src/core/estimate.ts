import type { TaskRecord } from './records.ts';

/**
 * How long a song usually takes in this server, from its recent finished songs: the median time from the request
 * to the provider's answer, so one song stuck for an hour does not skew what the next person is told.
 */

/** Fewer finished songs than this say too little: no estimate is shown. */
const MIN_SAMPLES = 3;
/** Only the most recent songs: providers get faster or slower over weeks. */
export const ESTIMATE_SAMPLES = 10;

/** Milliseconds a song usually takes, or undefined when too few songs finished recently. */
export function usualDurationMs(recent: readonly TaskRecord[]): number | undefined {
	const durations = recent
		.filter((r) => r.kind !== 'lyrics' && r.finishedAt !== undefined && r.request.action !== 'upload')
		.slice(0, ESTIMATE_SAMPLES)
		.map((r) => (r.finishedAt as number) - r.createdAt)
		.filter((ms) => ms > 0)
		.sort((a, b) => a - b);
	if (durations.length < MIN_SAMPLES) return undefined;
	const mid = Math.floor(durations.length / 2);
	return durations.length % 2 === 1
		? durations[mid]
		: Math.round(((durations[mid - 1] as number) + (durations[mid] as number)) / 2);
}
