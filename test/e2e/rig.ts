import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, startApp } from '../../src/app.ts';
import { type Config, parseConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { type DiscordDouble, type DiscordDoubleOptions, startDiscordDouble } from '../doubles/discord/index.ts';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../doubles/providers/index.ts';

export interface Rig {
	double: DiscordDouble;
	fake: FakeProvider;
	app: App;
	config: Config;
	dataDir: string;
	/** Stops the bot only (the double, the fake and the data folder stay), to test restarts. */
	stopBot(): Promise<void>;
	/** Starts the bot again on the same store and data folder. */
	restartBot(overrides?: Record<string, string>): Promise<App>;
	close(): Promise<void>;
}

export interface RigOptions {
	provider?: FakeProviderOptions;
	double?: DiscordDoubleOptions;
	/** Extra environment keys for the bot, e.g. quotas. */
	env?: Record<string, string>;
}

/**
 * The real bot (src/app.ts, unmodified) against the local Discord double and a fake music provider, all on
 * 127.0.0.1, with its own SQLite store and data folder. Polling is fast so songs finish in about a second.
 */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
	const double = await startDiscordDouble(options.double);
	const fake = await startFakeProvider({ family: 'newapi', ...options.provider });
	const dataDir = mkdtempSync(join(tmpdir(), 'songbot-e2e-'));
	const log = createLogger({ level: process.env.E2E_LOG ?? 'silent', secrets: [double.token, fake.apiKey] });
	const configFor = (overrides: Record<string, string> = {}) =>
		parseConfig({
			DISCORD_TOKEN: double.token,
			DISCORD_API_URL: double.apiUrl,
			DISCORD_GUILD_ID: double.guild.id,
			SUNO_PROVIDER: options.provider?.family ?? 'newapi',
			SUNO_BASE_URL: fake.baseUrl,
			SUNO_API_KEY: fake.apiKey,
			DATA_DIR: dataDir,
			POLL_FAST_MS: '200',
			POLL_SLOW_MS: '1000',
			AUDIO_ALLOW_HTTP: 'true',
			COOLDOWN_SEC: '0',
			...options.env,
			...overrides,
		});
	let config = configFor();
	let app = await startApp(config, log);
	const rig: Rig = {
		double,
		fake,
		get app() {
			return app;
		},
		get config() {
			return config;
		},
		dataDir,
		async stopBot() {
			await app.stop();
		},
		async restartBot(overrides) {
			config = configFor(overrides);
			app = await startApp(config, log);
			return app;
		},
		async close() {
			await app.stop();
			await fake.close();
			await double.stop();
			await rm(dataDir, { recursive: true, force: true });
		},
	};
	return rig;
}
