import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordDouble, startDiscordDouble } from '../doubles/discord/index.ts';
import { type RedisServer, startRedis } from '../store/redis-server.ts';
import { freePort } from '../store/redis-server.ts';

/** `npm start` with SHARDS set: discord.js's ShardingManager runs one bot child per shard. */

const entry = join(import.meta.dirname, '../../src/index.ts');
let redis: RedisServer;
let double: DiscordDouble;
let dataDir: string;

beforeAll(async () => {
	redis = await startRedis();
	double = await startDiscordDouble({
		shardCount: 2,
		guilds: [
			{ name: 'Zero', shard: [0, 2] },
			{ name: 'One', shard: [1, 2] },
		],
	});
	dataDir = mkdtempSync(join(tmpdir(), 'songbot-manager-'));
});
afterAll(async () => {
	await double?.stop();
	await redis?.stop();
	await rm(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
	const child = spawn(process.execPath, [entry], {
		cwd: dataDir,
		env: {
			PATH: process.env.PATH ?? '',
			DISCORD_TOKEN: double.token,
			DISCORD_API_URL: double.apiUrl,
			SUNO_PROVIDER: 'newapi',
			SUNO_BASE_URL: 'http://127.0.0.1:9',
			SUNO_API_KEY: 'sk-not-used-here',
			DATA_DIR: dataDir,
			LOG_LEVEL: 'info',
			...env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.on('data', (d: Buffer) => {
		out += d.toString();
	});
	child.stderr.on('data', (d: Buffer) => {
		out += d.toString();
	});
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return { child, exited, output: () => out };
}

async function healthy(port: number): Promise<boolean> {
	return fetch(`http://127.0.0.1:${port}/healthz`).then(
		(r) => r.ok,
		() => false,
	);
}

describe('SHARDS with the ShardingManager', () => {
	it('GIVEN SHARDS=auto and Redis THEN one child per recommended shard connects, each on its own port, commands are registered once, and SIGTERM stops them all', async () => {
		const port = await freePort();
		const bot = start({ SHARDS: 'auto', STORE_URL: redis.url, HTTP_PORT: String(port) });
		try {
			await expect.poll(() => healthy(port), { timeout: 30_000, interval: 250 }).toBe(true);
			await expect.poll(() => healthy(port + 1), { timeout: 30_000, interval: 250 }).toBe(true);
			expect(double.gateway.stats.identifies.map((i) => i.shard).sort()).toEqual([
				[0, 2],
				[1, 2],
			]);
			expect(double.requests.filter((r) => r.method === 'PUT' && /\/commands$/.test(r.path))).toHaveLength(1);
		} finally {
			bot.child.kill('SIGTERM');
		}
		expect(await bot.exited, bot.output()).toBe(0);
		expect(await healthy(port)).toBe(false);
		expect(await healthy(port + 1)).toBe(false);
	}, 60_000);

	it('GIVEN several shards but the SQLite store THEN it refuses to start and says why', async () => {
		const bot = start({ SHARDS: '2' });
		expect(await bot.exited).toBe(1);
		// The start-up check's report (key, what is wrong, hint), as for any invalid value.
		expect(bot.output()).toMatch(
			/STORE_URL +invalid \(2 shards share their tasks and quotas through Redis: use redis:\/\//,
		);
	});
});
