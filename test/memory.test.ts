import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { releaseStartupMemory } from '../src/memory.ts';

const youngGeneration = () =>
	v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size;

describe('the compaction after start-up', () => {
	it('GIVEN start-up grew the young generation THEN it is given back, and no gc function stays exposed', () => {
		// Objects that survive a few scavenges make V8 grow its young generation, as start-up's GUILD_CREATEs do.
		let survivors: object[] = [];
		for (let i = 0; i < 3_000_000; i++) {
			survivors.push({ i });
			if (survivors.length > 200_000) survivors = [];
		}
		const grown = youngGeneration() ?? 0;

		releaseStartupMemory();

		expect(grown).toBeGreaterThan(4 * 1024 * 1024);
		expect(youngGeneration()).toBeLessThan(grown / 2);
		expect(vm.runInNewContext('typeof gc')).toBe(typeof (globalThis as { gc?: unknown }).gc);
	});
});
