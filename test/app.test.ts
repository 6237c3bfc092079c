import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { describe, expect, it } from 'vitest';

const child = join(import.meta.dirname, 'app-child.ts');

/** The packages a started bot has loaded (see app-child.ts). */
function loadedPackages(...args: string[]): string[] {
	const result = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', child, ...args], {
		encoding: 'utf8',
		timeout: 60_000,
	});
	if (result.status !== 0) throw new Error(`app-child failed: ${result.stderr}`);
	return result.stdout.trim().split('\n');
}

const VOICE = ['@discordjs/voice', 'prism-media', '@snazzah/davey', '@noble/ciphers'];
const REDIS = ['@keyv/redis', '@redis/client'];

describe('what a started bot loads', () => {
	it('GIVEN the bot is up on SQLite without HTTP_PORT THEN the voice stack, prom-client and Redis are not loaded', () => {
		const loaded = loadedPackages();

		expect(loaded).toContain('discord.js');
		expect(loaded).toContain('@keyv/sqlite');
		expect(loaded.filter((p) => [...VOICE, ...REDIS, 'prom-client'].includes(p))).toEqual([]);
	});

	it('GIVEN HTTP_PORT THEN prom-client is loaded for /metrics, and still no voice stack', () => {
		const loaded = loadedPackages('http');

		expect(loaded).toContain('prom-client');
		expect(loaded.filter((p) => VOICE.includes(p))).toEqual([]);
	});
});
