import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeHeapSnapshot } from 'node:v8';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { startApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { releaseStartupMemory } from '../../src/memory.ts';
import { runWorker } from '../lib/ipc.ts';
import { heapAfterGc } from '../lib/usage.ts';

/**
 * One side of the memory-per-server scenario, connected to a Discord double serving thousands of servers.
 * `ours`: the whole bot through its composition root (`startApp`, the client options of src/discord/client-options.ts,
 * SQLite in a fresh folder, the fake provider); ready when startApp resolves (gateway READY with every guild,
 * commands registered, tracker started). `default`: a discord.js client as the guide builds it, the same intents
 * and default caching; ready at clientReady. Then both idle for `settleMs`, get the compacting collection the bot
 * runs after start-up (src/memory.ts; without it both sides' RSS is mostly the young generation the GUILD_CREATE
 * burst grew) and are measured after two more forced GCs.
 */

export interface GuildClientInput {
	side: 'ours' | 'default';
	apiUrl: string;
	token: string;
	guildId: string;
	provider: { baseUrl: string; apiKey: string };
	settleMs: number;
	/** Diagnosis: writes a V8 heap snapshot here once measured (not in the bench's runs: it takes long). */
	heapSnapshotPath?: string;
}

export interface GuildClientResult {
	/** ms from this process's start (performance.timeOrigin) to clientReady: every server received. */
	gatewayReadyMs: number;
	/** ms from this process's start to ready to serve (ours: startApp resolved, commands registered). */
	readyMs: number;
	rssMb: number;
	heapMb: number;
	peakRssMb: number;
	cached: { guilds: number; channels: number; roles: number; members: number; users: number; voiceStates: number };
}

const mb = (bytes: number) => bytes / 1024 / 1024;

async function startOurs(input: GuildClientInput): Promise<{ client: Client; stop(): Promise<void> }> {
	const dir = mkdtempSync(join(tmpdir(), 'songbot-bench-guilds-'));
	const config = parseConfig({
		DISCORD_TOKEN: input.token,
		DISCORD_API_URL: input.apiUrl,
		DISCORD_GUILD_ID: input.guildId,
		SUNO_PROVIDER: 'newapi',
		SUNO_BASE_URL: input.provider.baseUrl,
		SUNO_API_KEY: input.provider.apiKey,
		DATA_DIR: dir,
		LOG_LEVEL: 'silent',
	});
	const app = await startApp(config, createLogger({ level: 'silent', secrets: [input.token], pretty: false }));
	return {
		client: app.client,
		async stop() {
			await app.stop();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function startDefault(input: GuildClientInput): Promise<{ client: Client; stop(): Promise<void> }> {
	const client = new Client({
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
		rest: { api: input.apiUrl },
	});
	const ready = once(client, Events.ClientReady);
	await client.login(input.token);
	await ready;
	return { client, stop: () => client.destroy() };
}

runWorker<GuildClientInput, GuildClientResult>(async (input) => {
	const side = await (input.side === 'ours' ? startOurs(input) : startDefault(input));
	const readyMs = performance.now();
	const gatewayReadyMs = (side.client.readyTimestamp ?? Number.NaN) - performance.timeOrigin;
	await sleep(input.settleMs);
	releaseStartupMemory();
	const heap = heapAfterGc();
	const { client } = side;
	const guilds = [...client.guilds.cache.values()];
	const sum = (count: (g: (typeof guilds)[number]) => number) => guilds.reduce((n, g) => n + count(g), 0);
	const result: GuildClientResult = {
		gatewayReadyMs,
		readyMs,
		rssMb: mb(process.memoryUsage().rss),
		heapMb: mb(heap),
		peakRssMb: process.resourceUsage().maxRSS / 1024,
		cached: {
			guilds: guilds.length,
			channels: sum((g) => g.channels.cache.size),
			roles: sum((g) => g.roles.cache.size),
			members: sum((g) => g.members.cache.size),
			users: client.users.cache.size,
			voiceStates: sum((g) => g.voiceStates.cache.size),
		},
	};
	if (input.heapSnapshotPath) writeHeapSnapshot(input.heapSnapshotPath);
	await side.stop();
	return result;
});
