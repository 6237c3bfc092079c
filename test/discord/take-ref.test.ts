import { describe, expect, it } from 'vitest';
import type { ClipRecord, TaskRecord } from '../../src/core/records.ts';
import {
	encodeTakeRef,
	parseTakeRef,
	takeChoiceName,
	takeChoices,
	takeRefFromArgs,
} from '../../src/discord/take-ref.ts';
import { clip, newRecord } from '../core/records.fixtures.ts';

function take(id: string, take: number, extra: Partial<ClipRecord> = {}): ClipRecord {
	return { ...clip(id, 'complete', { durationSec: 125 }), take, ...extra };
}

function song(id: string, title: string, clips: ClipRecord[], name = 'Alice'): TaskRecord {
	return newRecord({ id, clips: clips.map((c) => ({ ...c, title })), requester: { userId: '1', name } });
}

describe('take references in autocomplete', () => {
	it('GIVEN a task and clip id that fit THEN the value is taskId:clipId and parses back', () => {
		const value = encodeTakeRef('task_abc', '8c1f-clip', 1);
		expect(value).toBe('task_abc:8c1f-clip');
		expect(parseTakeRef(value)).toEqual({ taskId: 'task_abc', clipId: '8c1f-clip' });
	});

	it('GIVEN ids longer than Discord’s 100-character value THEN the take number stands in for the clip id', () => {
		const taskId = 't'.repeat(70);
		const value = encodeTakeRef(taskId, 'c'.repeat(40), 2);
		expect(value.length).toBeLessThanOrEqual(100);
		expect(parseTakeRef(value)).toEqual({ taskId, take: 2 });
	});

	it('GIVEN a button’s custom id arguments THEN the take they name, or nothing when one is missing', () => {
		expect(takeRefFromArgs(['task_1', 'clip-1'])).toEqual({ taskId: 'task_1', clipId: 'clip-1' });
		expect(takeRefFromArgs(['task_1'])).toBeUndefined();
	});

	it('GIVEN text typed without picking a choice THEN it is not a reference', () => {
		expect(parseTakeRef('Cat Nap')).toBeUndefined();
		expect(parseTakeRef('')).toBeUndefined();
		expect(parseTakeRef('trailing:')).toBeUndefined();
	});

	it('GIVEN a take THEN its choice reads "Name · take n · by Name · m:ss", the take named as everywhere else', () => {
		const task = song('t1', 'Night Drive', [take('c1', 1), take('c2', 2)]);
		expect(takeChoiceName(task, task.clips[0]!)).toBe('Night Drive · take 1 · by Alice · 2:05');
		expect(takeChoiceName(task, task.clips[1]!)).toBe('Night Drive · take 2 · by Alice · 2:05');
		const alone = song('t2', 'Night Drive', [take('c3', 1)]);
		expect(takeChoiceName(alone, alone.clips[0]!)).toBe('Night Drive · by Alice · 2:05');
	});

	it('GIVEN a very long title THEN the title is cut and the take, author and length stay', () => {
		const task = song('t1', 'La '.repeat(60), [take('c1', 2)]);
		const name = takeChoiceName(task, task.clips[0]!);
		expect(name.length).toBeLessThanOrEqual(100);
		expect(name).toMatch(/… · take 2 · by Alice · 2:05$/);
	});

	it('GIVEN songs newest first THEN every finished take is a choice in that order, at most 25', () => {
		const newer = song('t2', 'Newer', [take('b2', 2), take('b1', 1), take('b3', 3, { state: 'error' })]);
		const older = song('t1', 'Older', [take('a1', 1)]);
		expect(takeChoices([newer, older]).map((c) => c.value)).toEqual(['t2:b1', 't2:b2', 't1:a1']);
		const many = Array.from({ length: 20 }, (_, i) => song(`t${i}`, `S${i}`, [take(`x${i}`, 1), take(`y${i}`, 2)]));
		expect(takeChoices(many)).toHaveLength(25);
	});
});
