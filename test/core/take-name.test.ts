import { describe, expect, it } from 'vitest';
import { songName, takeFileName, takeName } from '../../src/core/take-name.ts';
import { clip, newRecord } from './records.fixtures.ts';

const takes = [
	{ ...clip('a', 'complete', { title: 'Night Drive' }), take: 1 },
	{ ...clip('b', 'complete', { title: 'Night Drive' }), take: 2 },
];
const original = newRecord({ clips: takes });
const extended = newRecord({
	clips: takes,
	request: { action: 'extend', request: { clipId: 'x', continueAt: 80, model: 'v5' } } as never,
	lineage: { type: 'extend', taskId: 'parent', clipId: 'x', atSec: 80 },
});
const remix = newRecord({
	clips: takes,
	request: { action: 'generate', request: { mode: 'custom', model: 'v5', style: 'lo-fi', title: 'Night Drive' } },
	lineage: { type: 'remix', taskId: 'parent', clipId: 'x' },
});

describe('takeName: one name per take, the same everywhere', () => {
	it('GIVEN two takes of one song, an extension and a remix that keep its title THEN every take has a name of its own', () => {
		const names = [original, extended, remix].flatMap((record) => record.clips.map((c) => takeName(record, c)));
		expect(names).toEqual([
			'Night Drive · take 1',
			'Night Drive · take 2',
			'Night Drive (extended at 1:20) · take 1',
			'Night Drive (extended at 1:20) · take 2',
			'Night Drive (remix: lo-fi) · take 1',
			'Night Drive (remix: lo-fi) · take 2',
		]);
		expect(new Set(names).size).toBe(names.length);
	});

	it('GIVEN a song with one take, a full song and a long remix style THEN no needless take number, and the style is cut', () => {
		const single = newRecord({ clips: [takes[0]!] });
		expect(takeName(single, single.clips[0]!)).toBe('Night Drive');
		const full = newRecord({ clips: [takes[0]!], request: { action: 'concat', source: { clipId: 'x' } } });
		expect(takeName(full, full.clips[0]!)).toBe('Night Drive (full song)');
		const long = { ...remix, request: { action: 'cover', request: { style: 'dreamy shoegaze with a lot of reverb' } } };
		expect(takeName(long as never, takes[0]!)).toBe('Night Drive (remix: dreamy shoegaze with a…) · take 1');
	});

	it('GIVEN a file name or a list heading THEN the same words: safe for a file, and the song without the take', () => {
		expect(takeFileName(extended, takes[1]!)).toBe('Night Drive (extended at 1.20) - take 2');
		expect(songName(extended)).toBe('Night Drive (extended at 1:20)');
		expect(songName(original)).toBe('Night Drive');
	});

	it('GIVEN little room THEN the title gives way and the qualifier and take number stay', () => {
		expect(takeName(extended, { take: 2, title: 'A very long title indeed' }, 10)).toBe(
			'A very lo… (extended at 1:20) · take 2',
		);
	});
});
