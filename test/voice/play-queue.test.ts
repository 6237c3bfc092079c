import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { PlayQueue } from '../../src/voice/queue.ts';
import type { Take } from '../../src/voice/types.ts';

const take = (id: string): Take => ({ id, title: id, source: { kind: 'file', path: `/${id}.mp3` } });
const ids = (q: PlayQueue) => q.entries.map((e) => e.take.id);

function filled(...names: string[]): PlayQueue {
	const q = new PlayQueue(10);
	for (const n of names) q.add(take(n), 'u');
	return q;
}

describe('PlayQueue', () => {
	it('GIVEN a queue at its cap WHEN one more is added THEN it is refused with a message saying so', () => {
		const q = new PlayQueue(2);
		q.add(take('a'), 'u');
		q.add(take('b'), 'u');
		expect(q.room).toBe(0);
		expect(() => q.add(take('c'), 'u')).toThrow(UserError);
		expect(() => q.add(take('c'), 'u')).toThrow('The queue is full (2 takes)');
		expect(ids(q)).toEqual(['a', 'b']);
	});

	it('GIVEN three waiting WHEN the middle one is removed by key THEN the others keep their order', () => {
		const q = filled('a', 'b', 'c');
		const key = q.entries[1]!.key;
		expect(q.remove(key)?.take.id).toBe('b');
		expect(ids(q)).toEqual(['a', 'c']);
		expect(q.remove(key)).toBeUndefined();
	});

	it('GIVEN several waiting WHEN shuffled THEN the same takes wait in a different order', () => {
		const q = filled('a', 'b', 'c');
		for (let i = 0; i < 20; i++) {
			const before = ids(q);
			expect(q.shuffle()).toBe(true);
			expect(ids(q)).not.toEqual(before);
			expect([...ids(q)].sort()).toEqual(['a', 'b', 'c']);
		}
		expect(filled('a').shuffle()).toBe(false);
	});

	it('GIVEN loop modes WHEN a take ends THEN "take" repeats it only when finished and "queue" keeps it in the round', () => {
		const q = filled('b');
		const a = { key: 99, take: take('a'), requestedBy: 'u' };
		q.ended(a, 'finished');
		expect(ids(q)).toEqual(['b']);
		expect(q.cycleLoop()).toBe('take');
		q.ended(a, 'skipped');
		expect(ids(q)).toEqual(['b']);
		q.ended(a, 'finished');
		expect(ids(q)).toEqual(['a', 'b']);
		q.shift();
		expect(q.cycleLoop()).toBe('queue');
		q.ended(a, 'skipped');
		q.ended(a, 'error');
		expect(ids(q)).toEqual(['b', 'a']);
		expect(q.cycleLoop()).toBe('off');
	});
});
