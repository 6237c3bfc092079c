import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, startApp } from '../../src/app.ts';
import { type Config, parseConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { type DiscordDouble, type DiscordDoubleOptions, startDiscordDouble } from '../doubles/discord/index.ts';
import { startVoiceServer, type VoiceServer } from '../doubles/discord/voice/server.ts';
import { trustCertificate } from '../doubles/discord/voice/trust.ts';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../doubles/providers/index.ts';

export interface Rig {
	double: DiscordDouble;
	fake: FakeProvider;
	app: App;
	/** The double's voice server (frames the bot sent, DAVE sessions), when started with `voice: true`. */
	voice: VoiceServer | undefined;
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
	/**
	 * Starts the double's voice server too (the bot can join voice channels and its audio is decrypted and
	 * recorded there) and makes this process trust the server's TLS certificate. Default false.
	 */
	voice?: boolean;
}

/**
 * The real bot (src/app.ts, unmodified) against the local Discord double and a fake music provider, all on
 * 127.0.0.1, with its own SQLite store and data folder. Polling is fast so songs finish in about a second.
 */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
	const voice = options.voice ? await startVoiceServer() : undefined;
	// @discordjs/voice opens its wss:// socket with the process-wide CA store; adding a certificate is harmless to others.
	if (voice) trustCertificate(voice.certPem);
	const double = await startDiscordDouble(voice ? { ...options.double, voice } : options.double);
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
			// The fake provider serves its audio from 127.0.0.1; only the SSRF tests turn this off.
			AUDIO_ALLOW_PRIVATE: 'true',
			COOLDOWN_SEC: '0',
			// Tests ask for songs faster than they finish; the caps are tested where a test sets them.
			USER_RUNNING_LIMIT: '0',
			GUILD_RUNNING_LIMIT: '0',
			...options.env,
			...overrides,
		});
	let config = configFor();
	let app = await startApp(config, log);
	const rig: Rig = {
		double,
		fake,
		voice,
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
			// Every body the bot sent must be one Discord accepts; a refused one may have been swallowed by a catch.
			const refused = double.requests.filter((r) => r.code === 50035).map((r) => `${r.method} ${r.path}`);
			await app.stop();
			await fake.close();
			await double.stop();
			await voice?.close();
			await rm(dataDir, { recursive: true, force: true });
			if (refused.length > 0) throw new Error(`Discord refused (50035) bodies the bot sent: ${refused.join(', ')}`);
		},
	};
	return rig;
}
