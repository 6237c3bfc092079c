import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type DiscordDouble, startDiscordDouble } from '../doubles/discord/index.ts';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { askForSong, takesIn } from './song-steps.ts';

/**
 * The bot as operators start it, `node src/index.ts`, posting a take with its audio file. The entry point loads
 * modules in another order than the in-process rig; when the bot's undici 7 came before @discordjs/rest's own
 * undici, the process-wide dispatcher could not send an upload's FormData and every take with a file failed
 * ("action is not a function"), while every in-process test passed.
 */

const ENTRY = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const COMMANDS_ROUTE = 'PUT /applications/:app/guilds/:guild/commands';

describe('take uploads from the shipped entry point', () => {
	let double: DiscordDouble | undefined;
	let fake: FakeProvider | undefined;
	let stopBot = async () => {};

	afterAll(async () => {
		await stopBot();
		await fake?.close();
		await double?.stop();
	});

	it('GIVEN node src/index.ts WHEN alice makes a song THEN both takes are posted with their audio attached', async () => {
		double = await startDiscordDouble({ waitTimeoutMs: 30_000 });
		fake = await startFakeProvider({ family: 'newapi' });
		const dataDir = mkdtempSync(join(tmpdir(), 'songbot-entry-'));
		const child = spawn(process.execPath, [ENTRY], {
			cwd: dataDir,
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {
				PATH: process.env.PATH ?? '',
				DISCORD_TOKEN: double.token,
				DISCORD_API_URL: double.apiUrl,
				DISCORD_GUILD_ID: double.guild.id,
				SUNO_PROVIDER: fake.family,
				SUNO_BASE_URL: fake.baseUrl,
				SUNO_API_KEY: fake.apiKey,
				DATA_DIR: dataDir,
				LOG_LEVEL: 'warn',
				POLL_FAST_MS: '200',
				POLL_SLOW_MS: '1000',
				AUDIO_ALLOW_HTTP: 'true',
				AUDIO_ALLOW_PRIVATE: 'true',
			},
		});
		let output = '';
		child.stdout.on('data', (d: Buffer) => (output += d.toString()));
		child.stderr.on('data', (d: Buffer) => (output += d.toString()));
		const exited = once(child, 'exit');
		stopBot = async () => {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
			rmSync(dataDir, { recursive: true, force: true });
		};

		// Ready once its commands are registered (sent after the gateway's READY).
		const registered = () => double?.requests.some((r) => r.route === COMMANDS_ROUTE) === true;
		for (let waited = 0; !registered(); waited += 50) {
			if (waited > 30_000 || child.exitCode !== null) throw new Error(`the bot did not start:\n${output.slice(-3000)}`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		const alice = double.user('alice');
		await askForSong(alice, 'a song posted by the shipped entry point');
		const channel = double.channel('general');
		const all = await channel
			.waitFor((messages) => takesIn(messages).length >= 2, { timeout: 30_000 })
			.catch((error: unknown) => {
				throw new Error(`${(error as Error).message}\n--- bot output ---\n${output.slice(-3000)}`);
			});
		const takes = takesIn(all);
		expect(takes).toHaveLength(2);
		expect(takes.every((m) => m.attachments.length === 1 && m.attachments[0]!.size > 10_000)).toBe(true);
		expect(output).not.toContain('take delivery failed');
	}, 90_000);
});
