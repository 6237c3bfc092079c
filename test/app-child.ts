/**
 * Child of test/app.test.ts: records every module this process loads, starts the whole bot (startApp) against the
 * Discord double and a fake provider, and prints the packages loaded once it is ready, one per line.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

const packages = new Set<string>();
registerHooks({
	resolve(specifier, context, next) {
		const result = next(specifier, context);
		const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(result.url);
		if (match?.[1]) packages.add(match[1]);
		return result;
	},
});

const { startApp } = await import('../src/app.ts');
const { parseConfig } = await import('../src/config.ts');
const { createLogger } = await import('../src/log.ts');
const { startDiscordDouble } = await import('./doubles/discord/index.ts');
const { startFakeProvider } = await import('./doubles/providers/index.ts');

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
	const server = createServer().listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	server.close();
	await once(server, 'close');
	return port;
}

const double = await startDiscordDouble();
const fake = await startFakeProvider({ family: 'newapi' });
const dataDir = mkdtempSync(join(tmpdir(), 'songbot-app-child-'));
const app = await startApp(
	parseConfig({
		DISCORD_TOKEN: double.token,
		DISCORD_API_URL: double.apiUrl,
		DISCORD_GUILD_ID: double.guild.id,
		SUNO_PROVIDER: 'newapi',
		SUNO_BASE_URL: fake.baseUrl,
		SUNO_API_KEY: fake.apiKey,
		DATA_DIR: dataDir,
		...(process.argv[2] === 'http' ? { HTTP_PORT: String(await freePort()) } : {}),
	}),
	createLogger({ level: 'silent', secrets: [double.token, fake.apiKey] }),
);
process.stdout.write(`${[...packages].sort().join('\n')}\n`);
await app.stop();
await fake.close();
await double.stop();
rmSync(dataDir, { recursive: true, force: true });
