/**
 * The whole sandbox in one process, all on 127.0.0.1: the local Discord double with its voice server, the simulated
 * music provider, the real bot (src/app.ts `startApp`, the production code path, configured only through its
 * environment keys) and the playground page. Nothing in the bot knows it is not talking to Discord.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, startApp } from '../src/app.ts';
import { parseConfig, secretsOf } from '../src/config.ts';
import { createLogger, type Logger, Secrets } from '../src/log.ts';
import { type DiscordDouble, startDiscordDouble } from '../test/doubles/discord/index.ts';
import { startVoiceServer, type VoiceServer } from '../test/doubles/discord/voice/server.ts';
import { trustCertificate } from '../test/doubles/discord/voice/trust.ts';
import type { FakeProvider } from '../test/doubles/providers/index.ts';
import { type SandboxFamily, startSimulatedProvider } from './provider.ts';
import { startPlayground } from './server.ts';
import type { World } from './snapshot.ts';

/** Keys the person starting the sandbox may set (quotas, model, voice timings); the rest is the sandbox's wiring. */
const TUNABLE =
	/^(SUNO_MODEL|COOLDOWN_SEC|USER_DAILY_LIMIT|GUILD_DAILY_LIMIT|VOICE_[A-Z_]+|STALL_TIMEOUT_SEC|TASK_TIMEOUT_SEC)$/;

export interface SandboxOptions {
	/** Port of the playground page; 0 (default) or a busy port picks a free one. */
	port?: number;
	/** Time between two stages of a song at the simulated provider. Default 5000 ms (a song takes ~25 s). */
	stepMs?: number;
	/** Sandbox users. Default alice, bob and carol. */
	users?: string[];
	/** The bot's log level. Default `warn`. */
	logLevel?: string;
	/**
	 * The API the simulated provider speaks: `sunoapi` (default, family B: every studio tool on the song card) or
	 * `newapi` (family A: songs, extensions and lyrics only).
	 */
	family?: SandboxFamily;
	/** Environment keys for the bot (only the tunable ones are used). */
	env?: Record<string, string | undefined>;
}

export interface Sandbox {
	/** The playground page. */
	url: string;
	double: DiscordDouble;
	voice: VoiceServer;
	provider: FakeProvider;
	app: App;
	close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const stepMs = options.stepMs ?? 5_000;
	const dataDir = mkdtempSync(join(tmpdir(), 'songbot-sandbox-'));
	const voice = await startVoiceServer();
	// @discordjs/voice opens wss:// with the process-wide CA store; the double's certificate must be in it.
	trustCertificate(voice.certPem);
	const botName = 'songbot';
	const users = options.users ?? ['alice', 'bob', 'carol'];
	const world: Omit<World, 'double'> = {
		voice,
		botName,
		users,
		textChannels: ['general', 'songs'],
		voiceChannel: 'General',
	};
	const double = await startDiscordDouble({
		users,
		botName,
		voice,
		guilds: [{ name: 'Songbot Sandbox', textChannels: [...world.textChannels], voiceChannels: [world.voiceChannel] }],
		waitTimeoutMs: 10_000,
	});
	const secrets = new Secrets([double.token]);
	// The provider starts before the bot's configuration (which names its URL), so its logger arrives later.
	const logs: { log?: Logger } = {};
	const family = options.family ?? 'sunoapi';
	const provider = await startSimulatedProvider({
		family,
		dir: join(dataDir, 'studio'),
		stepMs,
		onError: (err) =>
			logs.log?.warn({ err }, 'sandbox: could not render a take, the provider serves its fixture instead'),
	});
	const tunables = Object.fromEntries(Object.entries(options.env ?? {}).filter(([key]) => TUNABLE.test(key)));
	const config = parseConfig({
		COOLDOWN_SEC: '5',
		...tunables,
		DISCORD_TOKEN: double.token,
		DISCORD_API_URL: double.apiUrl,
		DISCORD_GUILD_ID: double.guild.id,
		SUNO_PROVIDER: family,
		SUNO_BASE_URL: provider.baseUrl,
		SUNO_API_KEY: provider.apiKey,
		DATA_DIR: dataDir,
		// Poll about twice per stage so the tracker message follows the song closely.
		POLL_FAST_MS: String(Math.max(200, Math.min(2_000, Math.round(stepMs / 2)))),
		POLL_SLOW_MS: String(Math.max(1_000, stepMs)),
		AUDIO_ALLOW_HTTP: 'true',
		AUDIO_ALLOW_PRIVATE: 'true',
		LOG_LEVEL: options.logLevel ?? 'warn',
	});
	for (const secret of secretsOf(config)) secrets.add(secret);
	const log = createLogger({ level: config.LOG_LEVEL, secrets });
	logs.log = log;
	const app = await startApp(config, log, { secrets });
	const playground = await startPlayground({ ...world, double }, options.port ?? 0).catch((error: unknown) => {
		// A busy port is no reason to fail: any free one will do, the URL is printed anyway.
		if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
		return startPlayground({ ...world, double }, 0);
	});
	let closing: Promise<void> | undefined;
	return {
		url: playground.url,
		double,
		voice,
		provider,
		app,
		close() {
			closing ??= (async () => {
				await playground.close();
				await app.stop();
				await provider.close();
				await double.stop();
				await voice.close();
				await rm(dataDir, { recursive: true, force: true });
			})();
			return closing;
		},
	};
}
