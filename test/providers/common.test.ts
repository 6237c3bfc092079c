import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/errors.ts';
import type { TaskRef, TaskSnapshot } from '../../src/core/provider.ts';
import { fetchGroups } from '../../src/providers/common.ts';

const ref = (taskId: string): TaskRef => ({ taskId, kind: 'music' });
const snap = (taskId: string): TaskSnapshot => ({ taskId, kind: 'music', status: 'running', clips: [] });
const fail = (kind: ProviderError['kind']) => new ProviderError({ kind });

/** How one status round tells "the provider does not know it" from "we got no answer about it". */
describe('fetchGroups', () => {
	it('GIVEN batch groups answered, explicitly not found, rate limited and failing with 5xx THEN only the failed groups are unanswered', async () => {
		const answers: Record<string, () => TaskSnapshot[]> = {
			a: () => [snap('a1'), snap('a2')],
			b: () => {
				throw fail('not_found');
			},
			c: () => {
				throw fail('rate_limited');
			},
			d: () => {
				throw fail('unavailable');
			},
		};
		const groups = ['a', 'b', 'c', 'd'].map((g) => [ref(`${g}1`), ref(`${g}2`)]);
		const result = await fetchGroups(groups, 2, async (group) => (answers[group[0]?.taskId[0] ?? ''] ?? (() => []))());
		expect([...result.keys()].sort()).toEqual(['a1', 'a2']);
		expect([...(result.unanswered ?? [])].sort()).toEqual(['c1', 'c2', 'd1', 'd2']);
	});

	it('GIVEN one request per task and a nested round with its own unanswered ids THEN they are kept', async () => {
		const inner = Object.assign(new Map([['x', snap('x')]]), { unanswered: new Set(['y']) });
		const result = await fetchGroups([ref('x')], 1, async () => inner);
		expect([...result.keys()]).toEqual(['x']);
		expect([...(result.unanswered ?? [])]).toEqual(['y']);
	});

	it('GIVEN every group failing THEN the outage is thrown, not reported as an empty answer', async () => {
		await expect(
			fetchGroups([ref('a'), ref('b')], 2, async () => {
				throw fail('timeout');
			}),
		).rejects.toMatchObject({ kind: 'timeout' });
	});

	it('GIVEN every group explicitly not found THEN the answer is empty with nothing unanswered', async () => {
		const result = await fetchGroups([ref('a'), ref('b')], 2, async () => {
			throw fail('not_found');
		});
		expect(result.size).toBe(0);
		expect(result.unanswered?.size ?? 0).toBe(0);
	});
});
