import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { type DiscordDouble, type GuildSpec, type MessageView, startDiscordDouble } from '../doubles/discord/index.ts';
import type { UserHandle } from '../doubles/discord/index.ts';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { freePort, type RedisServer, startRedis } from '../store/redis-server.ts';
import { takeMarkerOf, takesIn } from '../e2e/song-steps.ts';

/**
 * Several real bot processes as shards of one Discord double, sharing a real redis-server, with a fake
 * family-B provider that sends every callback to the first process (PUBLIC_BASE_URL), whichever process
 * looks after the task. Each process has its own data folder, as on separate machines.
 */

export const SHARD_COUNT = 2;

export interface BotProcess {
	shard: number;
	httpUrl: string;
	child: ChildProcess;
	output(): string;
	/** SIGKILL: no clean-up at all, leases stay until they lapse. */
	kill(): Promise<void>;
	stop(): Promise<void>;
}

export interface FleetRig {
	redis: RedisServer;
	double: DiscordDouble;
	fake: FakeProvider;
	ports: number[];
	bots: BotProcess[];
	startBot(shard: number): Promise<BotProcess>;
	close(): Promise<void>;
}

export async function startFleetRig(options: { guilds: GuildSpec[]; users: string[]; env?: Record<string, string> }) {
	const redis = await startRedis();
	const double = await startDiscordDouble({ shardCount: SHARD_COUNT, guilds: options.guilds, users: options.users });
	const fake = await startFakeProvider({ family: 'sunoapi', timeline: { type: 'clock', stepMs: 250 } });
	const dataRoot = mkdtempSync(join(tmpdir(), 'songbot-scale-'));
	const ports = await Promise.all(Array.from({ length: SHARD_COUNT }, () => freePort()));
	const bots: BotProcess[] = [];

	const startBot = (shard: number): Promise<BotProcess> =>
		new Promise((resolve, reject) => {
			const child = spawn(process.execPath, [join(import.meta.dirname, 'bot-child.ts')], {
				env: {
					PATH: process.env.PATH ?? '',
					SHARD_ID: String(shard),
					SHARD_TOTAL: String(SHARD_COUNT),
					DISCORD_TOKEN: double.token,
					DISCORD_API_URL: double.apiUrl,
					SUNO_PROVIDER: 'sunoapi',
					SUNO_BASE_URL: fake.baseUrl,
					SUNO_API_KEY: fake.apiKey,
					STORE_URL: redis.url,
					DATA_DIR: join(dataRoot, `bot-${shard}`),
					HTTP_PORT: String(ports[shard]),
					METRICS_TOKEN,
					// Every callback goes to the first process, whichever guild (and process) the task belongs to.
					PUBLIC_BASE_URL: `http://127.0.0.1:${ports[0]}`,
					POLL_FAST_MS: '200',
					POLL_SLOW_MS: '1000',
					// One poll right after the submit, then only callbacks within a test's time.
					SAFETY_POLL_MS: '120000',
					AUDIO_ALLOW_HTTP: 'true',
					AUDIO_ALLOW_PRIVATE: 'true',
					COOLDOWN_SEC: '0',
					LEASE_MS: '1500',
					LOG_LEVEL: 'silent',
					CHILD_LOG: process.env.SCALE_LOG ?? 'silent',
					...options.env,
				},
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let out = '';
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				reject(new Error(`bot ${shard} did not start:\n${out}`));
			}, 30_000);
			child.stderr?.on('data', (d: Buffer) => {
				out += d.toString();
			});
			child.stdout?.on('data', (d: Buffer) => {
				out += d.toString();
				const ready = /^ready\b/m.exec(out);
				if (!ready) return;
				clearTimeout(timer);
				const exited = new Promise<void>((done) => {
					if (child.exitCode !== null || child.signalCode !== null) done();
					else child.once('exit', () => done());
				});
				const bot: BotProcess = {
					shard,
					httpUrl: `http://127.0.0.1:${ports[shard]}`,
					child,
					output: () => out,
					async kill() {
						child.kill('SIGKILL');
						await exited;
					},
					async stop() {
						child.kill('SIGTERM');
						await exited;
					},
				};
				bots.push(bot);
				resolve(bot);
			});
			child.once('exit', (code, signal) => {
				clearTimeout(timer);
				reject(new Error(`bot ${shard} exited (${code ?? signal}):\n${out}`));
			});
		});

	const rig: FleetRig = {
		redis,
		double,
		fake,
		ports,
		bots,
		startBot,
		async close() {
			await Promise.all(bots.map((b) => b.stop()));
			await fake.close();
			await double.stop();
			await redis.stop();
			await rm(dataRoot, { recursive: true, force: true });
		},
	};
	return rig;
}

/** `/song` in describe mode, the modal filled in and sent; resolves with the bot's answer. */
export async function askForSong(user: UserHandle, channel: { id: string }, description: string): Promise<MessageView> {
	const slash = await user.runSlash('song', { mode: 'describe' }, { channel });
	const modal = await slash.modal({ timeout: 15_000 });
	const submit = await modal.submit({ description, title: description.slice(0, 60) });
	return submit.reply({ timeout: 15_000 });
}

/**
 * Delivery markers (`songbot:<task>:<clip>`) of the takes posted in these channels, one entry per take shown: on a
 * song card or in a message of its own (the marker is out of sight, in the take's buttons).
 */
export function postedMarkers(channels: { messages: MessageView[] }[]): string[] {
	return channels
		.flatMap((c) => takesIn(c.messages))
		.flatMap((m) => {
			const marker = takeMarkerOf(m);
			return marker ? [`songbot:${marker}`] : [];
		})
		.sort();
}

/** Every take the provider produced, as the markers their messages must carry. */
export function expectedMarkers(fake: FakeProvider, taskIds?: readonly string[]): string[] {
	return [...fake.tasks.values()]
		.filter((t) => taskIds === undefined || taskIds.includes(t.id))
		.flatMap((t) => t.clips.map((c) => `songbot:${t.id}:${c.id}`))
		.sort();
}

/** /metrics is served on HTTP_PORT only to a bearer of this token. */
const METRICS_TOKEN = 'fleet-metrics-token-0001';

/** One Prometheus sample of a bot process, e.g. `songbot_reports_total{source="callback",result="forwarded"}`. */
export async function sample(bot: BotProcess, series: string): Promise<number> {
	const text = await (
		await fetch(`${bot.httpUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
	).text();
	const line = text.split('\n').find((l) => l.startsWith(series));
	return line ? Number(line.slice(series.length).trim()) : 0;
}
