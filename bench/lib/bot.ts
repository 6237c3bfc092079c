import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { DiscordDouble } from '../../test/doubles/discord/index.ts';
import type { FakeProvider } from '../../test/doubles/providers/index.ts';

/**
 * The whole bot as operators run it, `node src/index.ts`, in a process of its own, configured through the
 * environment to talk to the Discord double and a fake provider running in the orchestrator. Everything not set
 * here keeps its shipped default (POLL_FAST_MS, the edit pacer, SQLite in DATA_DIR, …); quotas are off so one
 * sandbox user can start 50 songs. The working directory is a fresh folder, so no developer `.env` is read.
 */

const ENTRY = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const OUTPUT_TAIL = 4_000;
export const COMMANDS_ROUTE = 'PUT /applications/:app/guilds/:guild/commands';

export interface BotProcess {
	pid: number;
	/** Epoch ms just before the process was spawned. */
	spawnedAt: number;
	/** VmRSS and VmHWM (peak) of the process now, in MB. */
	memory(): { rssMb: number; peakMb: number };
	/** The tail of what it printed, for error messages. */
	output(): string;
	/** SIGTERM (the bot's orderly shutdown), then waits for the exit; deletes its data folder. */
	stop(): Promise<void>;
}

/** `extraEnv`: keys added to (or overriding) the bot's environment, e.g. voice settings. */
export function spawnBot(double: DiscordDouble, fake: FakeProvider, extraEnv: Record<string, string> = {}): BotProcess {
	const dataDir = mkdtempSync(join(tmpdir(), 'songbot-bench-bot-'));
	const env = {
		PATH: process.env.PATH ?? '',
		HOME: process.env.HOME ?? '',
		DISCORD_TOKEN: double.token,
		DISCORD_API_URL: double.apiUrl,
		DISCORD_GUILD_ID: double.guild.id,
		SUNO_PROVIDER: fake.family,
		SUNO_BASE_URL: fake.baseUrl,
		SUNO_API_KEY: fake.apiKey,
		DATA_DIR: dataDir,
		LOG_LEVEL: 'warn',
		AUDIO_ALLOW_HTTP: 'true',
		AUDIO_ALLOW_PRIVATE: 'true',
		COOLDOWN_SEC: '0',
		USER_DAILY_LIMIT: '0',
		GUILD_DAILY_LIMIT: '0',
		...extraEnv,
	};
	const spawnedAt = Date.now();
	const child = spawn(process.execPath, [ENTRY], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const keep = (chunk: Buffer) => {
		output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const status = (field: string): number => {
		try {
			const line = readFileSync(`/proc/${child.pid}/status`, 'utf8')
				.split('\n')
				.find((l) => l.startsWith(`${field}:`));
			return Number(line?.split(/\s+/)[1] ?? Number.NaN) / 1024;
		} catch {
			return Number.NaN;
		}
	};
	return {
		pid: child.pid ?? -1,
		spawnedAt,
		memory: () => ({ rssMb: status('VmRSS'), peakMb: status('VmHWM') }),
		output: () => output,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

/** Epoch ms at which the double received the bot's command registration; throws after `timeoutMs`. */
export async function commandsRegisteredAt(
	double: DiscordDouble,
	bot: BotProcess,
	timeoutMs = 60_000,
): Promise<number> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const put = double.requests.find((r) => r.route === COMMANDS_ROUTE);
		if (put) return put.at;
		if (Date.now() > deadline)
			throw new Error(`the bot registered no commands within ${timeoutMs} ms:\n${bot.output()}`);
		await sleep(5);
	}
}
