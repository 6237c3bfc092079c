import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DiscordDouble, type LoggedRequest, startDiscordDouble } from '../doubles/discord/index.ts';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../doubles/providers/index.ts';

/**
 * The whole bot (src/app.ts, unmodified, real DiscordSink) as a child process against the Discord double and a
 * fake provider in this process, on one SQLite store that outlives the process: a test can SIGKILL it at any
 * moment and start it again. The fake moves only when the test says so (manual timeline).
 */
export interface KillRig {
	double: DiscordDouble;
	fake: FakeProvider;
	/** The bot process running now. */
	bot: ChildProcess | undefined;
	start(): Promise<void>;
	/** SIGKILL: nothing is flushed, nothing given back. */
	kill(): Promise<void>;
	/** Resolves with the first REST request matching `route` that has started after `since` and not been answered. */
	/** The first request on `route` since `since` still being handled (and satisfying `which`, when given). */
	inFlight(
		route: string,
		since: number,
		which?: (r: LoggedRequest) => boolean,
		timeoutMs?: number,
	): Promise<LoggedRequest>;
	output(): string;
	close(): Promise<void>;
}

export async function startKillRig(
	env: Record<string, string> = {},
	provider: Omit<FakeProviderOptions, 'timeline'> = { family: 'newapi' },
): Promise<KillRig> {
	const double = await startDiscordDouble({ users: ['alice', 'bob'], waitTimeoutMs: 30_000 });
	const fake = await startFakeProvider({ ...provider, timeline: { type: 'manual' } });
	const dataDir = mkdtempSync(join(tmpdir(), 'songbot-kill-'));
	let out = '';
	let exited: Promise<void> = Promise.resolve();

	const rig: KillRig = {
		double,
		fake,
		bot: undefined,
		start: () =>
			new Promise((resolve, reject) => {
				const child = spawn(process.execPath, [join(import.meta.dirname, '../scale/bot-child.ts')], {
					env: {
						PATH: process.env.PATH ?? '',
						SHARD_ID: '0',
						SHARD_TOTAL: '1',
						DISCORD_TOKEN: double.token,
						DISCORD_API_URL: double.apiUrl,
						DISCORD_GUILD_ID: double.guild.id,
						SUNO_PROVIDER: fake.family,
						SUNO_BASE_URL: fake.baseUrl,
						SUNO_API_KEY: fake.apiKey,
						DATA_DIR: dataDir,
						POLL_FAST_MS: '200',
						POLL_SLOW_MS: '1000',
						AUDIO_ALLOW_HTTP: 'true',
						// The fake provider serves its audio from 127.0.0.1, which the download guard refuses otherwise.
						AUDIO_ALLOW_PRIVATE: 'true',
						COOLDOWN_SEC: '0',
						USER_DAILY_LIMIT: '0',
						GUILD_DAILY_LIMIT: '0',
						LOG_LEVEL: 'silent',
						CHILD_LOG: process.env.E2E_LOG ?? 'silent',
						...env,
					},
					stdio: ['ignore', 'pipe', 'pipe'],
				});
				exited = new Promise((done) => child.once('exit', () => done()));
				const timer = setTimeout(() => {
					child.kill('SIGKILL');
					reject(new Error(`the bot did not start:\n${out}`));
				}, 30_000);
				let ready = false;
				child.stderr.on('data', (d: Buffer) => {
					out += d.toString();
				});
				child.stdout.on('data', (d: Buffer) => {
					out += d.toString();
					if (ready || !/^ready\b/m.test(out)) return;
					ready = true;
					clearTimeout(timer);
					rig.bot = child;
					resolve();
				});
				child.once('exit', (code, signal) => {
					clearTimeout(timer);
					if (!ready) reject(new Error(`the bot exited (${code ?? signal}):\n${out}`));
				});
			}),
		async kill() {
			rig.bot?.kill('SIGKILL');
			await exited;
			rig.bot = undefined;
		},
		async inFlight(route, since, which = () => true, timeoutMs = 30_000) {
			const until = Date.now() + timeoutMs;
			for (;;) {
				const found = double.requests.find((r) => r.route === route && r.status === 0 && r.at >= since && which(r));
				if (found) return found;
				if (Date.now() > until) throw new Error(`no ${route} in flight after ${timeoutMs} ms:\n${out}`);
				await sleep(5);
			}
		},
		output: () => out,
		async close() {
			rig.bot?.kill('SIGTERM');
			await exited;
			await fake.close();
			await double.stop();
			await rm(dataDir, { recursive: true, force: true });
		},
	};
	await rig.start();
	return rig;
}
