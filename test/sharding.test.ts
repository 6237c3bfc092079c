import { describe, expect, it } from 'vitest';
import { guildShard, parseShardIds, takeShardAssignment } from '../src/sharding.ts';

describe('sharding helpers', () => {
	it("GIVEN guild ids THEN each maps to Discord's shard: (id >> 22) % count", () => {
		// The upper bits of a snowflake are its timestamp; the lower 22 never matter.
		const id = (timestamp: bigint, low: bigint) => String((timestamp << 22n) | low);
		expect(guildShard(id(123_456_789n, 4_194_303n), 10)).toBe(9);
		expect(guildShard(id(123_456_789n, 0n), 4)).toBe(1);
		expect(guildShard(id(123_456_789n, 0n), 1)).toBe(0);
		expect(guildShard('not-a-snowflake', 4)).toBe(0);
	});

	it('GIVEN SHARD_IDS lists and ranges THEN the shards of this machine come out sorted, and mistakes are named', () => {
		expect(parseShardIds(undefined, 3)).toEqual([0, 1, 2]);
		expect(parseShardIds('4-6, 1,1', 8)).toEqual([1, 4, 5, 6]);
		expect(() => parseShardIds('8', 8)).toThrow('shard 8 does not exist with 8 shards');
		expect(() => parseShardIds('one', 8)).toThrow('"one" is not a shard id');
	});

	it("GIVEN a shard child's environment THEN its shard comes from the manager and no longer looks like our SHARDS setting", () => {
		const env: Record<string, string | undefined> = {
			SHARDING_MANAGER: 'true',
			SHARDS: '0',
			SHARD_COUNT: '2',
			SHARD_IDS: '0',
		};
		expect(takeShardAssignment(env)).toEqual({ shards: [0], shardCount: 2 });
		expect(env.SHARDS).toBeUndefined();
		expect(env.SHARD_IDS).toBeUndefined();
		expect(takeShardAssignment({ SHARDS: '2' })).toBeUndefined();
	});
});
