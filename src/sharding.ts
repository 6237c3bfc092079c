import { join } from 'node:path';
import process from 'node:process';
import { REST, Routes, type Shard, ShardingManager } from 'discord.js';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';

/**
 * Sharding: `SHARDS=auto|N` runs discord.js's ShardingManager, which starts one child process per shard
 * (src/shard.ts). Every child is a whole bot; they share state, leases and forwarded callbacks through Redis.
 */

/** The shard Discord routes a guild to: `(guild_id >> 22) % shardCount`. Ids that are not snowflakes: 0. */
export function guildShard(guildId: string, shardCount: number): number {
	if (shardCount <= 1 || !/^\d+$/.test(guildId)) return 0;
	return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** `SHARD_IDS` ("0,2" or "4-7,9"): the shards this machine runs; all of them when unset. */
export function parseShardIds(text: string | undefined, count: number): number[] {
	if (text === undefined || text.trim() === '') return Array.from({ length: count }, (_, i) => i);
	const ids = new Set<number>();
	for (const part of text.split(',')) {
		const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
		if (!match) throw new Error(`SHARD_IDS: "${part.trim()}" is not a shard id or a range like 2-5`);
		const from = Number(match[1]);
		const to = match[2] === undefined ? from : Number(match[2]);
		for (let id = from; id <= to; id++) {
			if (id >= count) throw new Error(`SHARD_IDS: shard ${id} does not exist with ${count} shards`);
			ids.add(id);
		}
	}
	if (ids.size === 0) throw new Error('SHARD_IDS names no shard');
	return [...ids].sort((a, b) => a - b);
}

/** What a shard child learns from the manager: discord.js puts it in SHARDS / SHARD_COUNT. */
export interface ShardAssignment {
	shards: number[];
	shardCount: number;
}

/**
 * Reads the manager's SHARDS / SHARD_COUNT in a shard child, and removes SHARDS from the environment: it
 * holds this shard's id there, not our `SHARDS` setting, and must not be mistaken for it.
 */
export function takeShardAssignment(env: Record<string, string | undefined>): ShardAssignment | undefined {
	if (!env.SHARDING_MANAGER || env.SHARDS === undefined) return undefined;
	const parsed: unknown = JSON.parse(env.SHARDS);
	const shards = (Array.isArray(parsed) ? parsed : [parsed]).map(Number);
	const shardCount = Number(env.SHARD_COUNT ?? shards.length);
	delete env.SHARDS;
	delete env.SHARD_IDS;
	return { shards, shardCount };
}

/** Discord's recommendation (GET /gateway/bot), through DISCORD_API_URL so a REST proxy is honoured. */
async function recommendedShardCount(config: Config): Promise<number> {
	const rest = new REST({ api: config.DISCORD_API_URL, version: '10' }).setToken(config.DISCORD_TOKEN);
	const answer = (await rest.get(Routes.gatewayBot())) as { shards?: unknown };
	return typeof answer.shards === 'number' && answer.shards >= 1 ? answer.shards : 1;
}

/**
 * Starts the ShardingManager with the shards of this machine. Each child gets HTTP_PORT + its position among
 * this machine's shards (METRICS_PORT likewise), so several children never compete for one port. Resolves once every shard is ready;
 * `stop` ends them in an orderly way (each finishes its work and hands its tasks over).
 */
export async function startShardingManager(
	config: Config,
	log: Logger,
	options: { spawnDelayMs?: number } = {},
): Promise<{ manager: ShardingManager; stop(): Promise<void> }> {
	const count =
		config.SHARDS === 'auto' || config.SHARDS === undefined ? await recommendedShardCount(config) : config.SHARDS;
	const ids = parseShardIds(config.SHARD_IDS, count);
	if (count > 1 && !/^rediss?:\/\//.test(config.STORE_URL)) {
		throw new Error(`${count} shards need STORE_URL=redis://… : their processes share tasks and quotas through it`);
	}
	const manager = new ShardingManager(join(import.meta.dirname, 'shard.ts'), {
		totalShards: count,
		shardList: ids,
		token: config.DISCORD_TOKEN,
		mode: 'process',
		respawn: true,
		// Children run TypeScript directly like this process (and keep flags such as --enable-source-maps).
		execArgv: process.execArgv,
	});
	manager.on('shardCreate', (shard: Shard) => {
		const env = shard.env as Record<string, string | number | boolean | undefined>;
		if (config.HTTP_PORT) env.HTTP_PORT = String(config.HTTP_PORT + ids.indexOf(shard.id));
		if (config.METRICS_PORT) env.METRICS_PORT = String(config.METRICS_PORT + ids.indexOf(shard.id));
		shard.on('death', () => log.warn({ shard: shard.id }, 'shard process exited; the manager starts it again'));
		shard.on('ready', () => log.info({ shard: shard.id }, 'shard ready'));
	});
	log.info({ shards: ids, of: count }, 'starting shards');
	// Discord allows one IDENTIFY per 5 seconds per bucket: the default delay between children respects it.
	await manager.spawn({ amount: count, delay: options.spawnDelayMs ?? 5_500, timeout: 120_000 });

	return {
		manager,
		async stop() {
			manager.respawn = false;
			await Promise.all(
				manager.shards.map(async (shard) => {
					const child = shard.process;
					if (!child || child.exitCode !== null) return;
					const exited = new Promise((resolve) => child.once('exit', resolve));
					child.kill('SIGTERM');
					await exited;
				}),
			);
		},
	};
}
