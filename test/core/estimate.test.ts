import { describe, expect, it } from 'vitest';
import { usualDurationMs } from '../../src/core/estimate.ts';
import { newRecord } from './records.fixtures.ts';

const finished = (id: string, seconds: number, extra = {}) =>
	newRecord({ id, createdAt: 1_000, finishedAt: 1_000 + seconds * 1000, ...extra });

describe('usualDurationMs: how long this server’s songs usually take', () => {
	it('GIVEN recent finished songs THEN the median, so one song stuck for an hour does not skew it', () => {
		const songs = [finished('a', 38), finished('b', 3600), finished('c', 42), finished('d', 40), finished('e', 39)];
		expect(usualDurationMs(songs)).toBe(40_000);
		expect(usualDurationMs(songs.slice(0, 4))).toBe(41_000);
	});

	it('GIVEN too few songs, or only lyrics and unfinished ones THEN no estimate rather than a guess', () => {
		expect(usualDurationMs([finished('a', 30), finished('b', 40)])).toBeUndefined();
		const lyrics = [1, 2, 3].map((i) => finished(`l${i}`, 5, { kind: 'lyrics' }));
		const unfinished = [1, 2, 3].map((i) => newRecord({ id: `u${i}` }));
		expect(usualDurationMs([...lyrics, ...unfinished])).toBeUndefined();
	});

	it('GIVEN more songs than it looks at THEN only the newest ten count', () => {
		const newest = Array.from({ length: 10 }, (_, i) => finished(`n${i}`, 30));
		const older = Array.from({ length: 20 }, (_, i) => finished(`o${i}`, 300));
		expect(usualDurationMs([...newest, ...older])).toBe(30_000);
	});
});
