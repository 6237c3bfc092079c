import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, formatConfigProblems } from '../src/config.ts';
import { checkedConfig } from '../src/env.ts';

const root = join(import.meta.dirname, '..');

describe('npm start', () => {
	it('GIVEN no environment THEN prints each missing key with a hint and exits 1 without a stack trace', () => {
		// Run from an empty folder so no .env is picked up, with only PATH and HOME kept.
		const cwd = mkdtempSync(join(tmpdir(), 'songbot-start-'));
		const result = spawnSync(process.execPath, [join(root, 'src/index.ts')], {
			cwd,
			env: { PATH: process.env.PATH, HOME: process.env.HOME },
			encoding: 'utf8',
			timeout: 20_000,
		});
		expect(result.status).toBe(1);
		for (const key of ['DISCORD_TOKEN', 'SUNO_PROVIDER', 'SUNO_BASE_URL', 'SUNO_API_KEY']) {
			expect(result.stderr).toMatch(new RegExp(`^\\s+${key}\\s+missing: .{10,}`, 'm'));
		}
		expect(result.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
	});

	const required = {
		DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.start-test-token',
		SUNO_PROVIDER: 'sunoapi',
		SUNO_BASE_URL: 'http://127.0.0.1:9',
		SUNO_API_KEY: 'sk-start-test-key',
	};

	/** Every value that is set but wrong, the key it names, and what its line says. */
	const cases: [Record<string, string>, string, RegExp][] = [
		[
			{ SUNO_MODEL: 'nonsense' },
			'SUNO_MODEL',
			/invalid \(Unknown model "nonsense"\. This provider accepts: .*v5.*\): optional default model/,
		],
		[
			{ SHARDS: '2', SHARD_IDS: 'zz', STORE_URL: 'redis://127.0.0.1:9' },
			'SHARD_IDS',
			/invalid \("zz" is not a shard id.*\): optional:/,
		],
		[
			{ SHARDS: '2', SHARD_IDS: '0-5', STORE_URL: 'redis://127.0.0.1:9' },
			'SHARD_IDS',
			/invalid \(shard 2 does not exist with 2 shards\)/,
		],
		[{ SHARD_IDS: '0' }, 'SHARD_IDS', /invalid \(it only applies with SHARDS set\)/],
		[
			{ SHARDS: '2' },
			'STORE_URL',
			/invalid \(2 shards share their tasks and quotas through Redis: use redis:.*\): where state lives/,
		],
		[{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /invalid \(.+\): fatal \| error/],
		[{ DATA_DIR: '/etc/hostname/data' }, 'DATA_DIR', /invalid \(\/etc\/hostname is a file, not a folder\): folder for/],
		[
			{ STORE_URL: 'sqlite:///etc/hostname/songbot.sqlite' },
			'STORE_URL',
			/invalid \(\/etc\/hostname is a file, not a folder\): where state lives/,
		],
		[
			{ HTTP_PORT: '8080', METRICS_PORT: '8080' },
			'METRICS_PORT',
			/invalid \(it is HTTP_PORT too: .*\): optional: port for \/metrics alone/,
		],
		[{ HTTP_PORT: '99999' }, 'HTTP_PORT', /invalid \(.+\): optional: port/],
		[
			{ PUBLIC_BASE_URL: 'https://bot.example' },
			'PUBLIC_BASE_URL',
			/invalid \(callbacks arrive on HTTP_PORT, which is not set\): optional: the public https URL/,
		],
	];

	/** The report `npm start` prints for an environment, or '' when it would start. */
	function report(env: Record<string, string>): string {
		try {
			checkedConfig({ ...required, ...env });
			return '';
		} catch (error) {
			if (error instanceof ConfigError) return formatConfigProblems(error.problems);
			throw error;
		}
	}

	it('GIVEN values that are set but wrong THEN each is named with what is wrong and its hint, never its value', () => {
		for (const [env, key, line] of cases) {
			const text = report(env);
			expect(text, key).toMatch(/^songbot cannot start: 1 configuration problem\n/);
			expect(text, key).toMatch(new RegExp(`^\\s+${key}\\s+${line.source}`, 'm'));
			expect(text, key).not.toContain(required.SUNO_API_KEY);
		}
	});

	it('GIVEN a wrong model, shard list or data folder THEN npm start prints that report and exits 1, no stack', async () => {
		for (const key of ['SUNO_MODEL', 'SHARD_IDS', 'DATA_DIR']) {
			const [env] = cases.find(([, k]) => k === key) ?? [{}];
			const result = await startAsync({ ...required, ...env });
			expect(result.status, key).toBe(1);
			expect(result.stderr, key).toBe(report(env));
			expect(result.stdout, key).toBe('');
		}
	});
});

/** package.json's script, run with `node` = `nodeBin`, its relative paths made absolute (it runs from an empty folder). */
function script(name: string): string[] {
	const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
		.scripts;
	const [node, ...args] = (scripts[name] ?? '').split(' ');
	expect(node).toBe('node');
	return args.map((arg) => (arg.startsWith('./') || arg.endsWith('.ts') ? join(root, arg) : arg));
}

/** A preload that makes this Node report another version, loaded before anything else. */
const fakeVersion = (version: string) => [
	'--import',
	`data:text/javascript,Object.defineProperty(process.versions,'node',{value:'${version}'})`,
];

function run(nodeBin: string, args: string[]) {
	return spawnSync(nodeBin, args, {
		cwd: mkdtempSync(join(tmpdir(), 'songbot-start-')),
		env: { PATH: process.env.PATH, HOME: process.env.HOME },
		encoding: 'utf8',
		timeout: 20_000,
	});
}

/** Node binaries on this machine older than the floor (the CI machine's system Node is 20). */
function oldNodes(): string[] {
	const found = spawnSync('which', ['-a', 'node'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
	const old = new Map<string, string>();
	for (const bin of [...found, '/usr/bin/node', '/usr/local/bin/node']) {
		if (!existsSync(bin)) continue;
		const version = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
		const [major = 0, minor = 0] = version.split('.').map(Number);
		if (major < 22 || (major === 22 && minor < 18)) old.set(version, bin);
	}
	return [...old.values()];
}

/** `startWith`, without blocking this process: servers in the test must answer the bot. */
async function startAsync(env: Record<string, string>) {
	const cwd = mkdtempSync(join(tmpdir(), 'songbot-start-'));
	const child = spawn(process.execPath, [join(root, 'src/index.ts')], {
		cwd,
		env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: join(cwd, 'data'), ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
	const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
	clearTimeout(timer);
	return { status, stdout, stderr };
}

describe('npm start with values only Discord or the machine can judge', () => {
	const required = {
		DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.refused-token',
		SUNO_PROVIDER: 'sunoapi',
		SUNO_BASE_URL: 'http://127.0.0.1:9',
		SUNO_API_KEY: 'sk-start-test-key',
	};
	let discord: Server;
	let discordUrl: string;
	beforeAll(async () => {
		// Discord's answer to a wrong bot token, on every route.
		discord = createServer((_req, res) => {
			res.writeHead(401, { 'content-type': 'application/json' });
			res.end('{"message": "401: Unauthorized", "code": 0}');
		});
		await new Promise<void>((resolve) => discord.listen(0, '127.0.0.1', resolve));
		discordUrl = `http://127.0.0.1:${(discord.address() as AddressInfo).port}/api`;
	});
	afterAll(() => new Promise<void>((resolve) => discord.close(() => resolve())));

	it('GIVEN a token Discord refuses, alone or with SHARDS=auto THEN DISCORD_TOKEN is named with the fix, exit 1, no stack', async () => {
		for (const extra of [{}, { SHARDS: 'auto' }]) {
			const result = await startAsync({ ...required, DISCORD_API_URL: discordUrl, ...extra });
			expect(result.status).toBe(1);
			expect(result.stderr).toMatch(
				/^songbot cannot start: 1 configuration problem\n\s+DISCORD_TOKEN\s+invalid \(Discord refused it: .*\): the bot token: Discord Developer Portal/,
			);
			expect(result.stdout + result.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)|"level":60/);
			expect(result.stdout + result.stderr).not.toContain(required.DISCORD_TOKEN);
		}
	});

	it('GIVEN HTTP_PORT or METRICS_PORT held by another program THEN that key is named, exit 1, no stack', async () => {
		const holder = createServer();
		await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
		const taken = String((holder.address() as AddressInfo).port);
		try {
			for (const key of ['HTTP_PORT', 'METRICS_PORT']) {
				const result = await startAsync({ ...required, DISCORD_API_URL: discordUrl, [key]: taken });
				expect(result.status, key).toBe(1);
				expect(result.stderr, key).toMatch(
					new RegExp(`^\\s+${key}\\s+invalid \\(port ${taken} is already in use\\): optional`, 'm'),
				);
				expect(result.stdout + result.stderr, key).not.toMatch(/\bat .*\(.*:\d+:\d+\)|"level":60/);
			}
		} finally {
			await new Promise<void>((resolve) => holder.close(() => resolve()));
		}
	});
});

describe('the Node floor', () => {
	const floorLine = (version: string) =>
		new RegExp(`^songbot needs Node\\.js 22\\.18 or newer .*this is Node\\.js ${version.replaceAll('.', '\\.')}.*\\n$`);

	it('GIVEN Node 22.12 to 22.17 or 23.0 to 23.5 THEN npm start, cli and sandbox print one line naming 22.18 and exit 1', () => {
		for (const name of ['start', 'cli', 'sandbox']) {
			for (const version of ['22.12.0', '22.17.1', '23.5.0']) {
				const result = run(process.execPath, [...fakeVersion(version), ...script(name)]);
				expect(result.status, `${name} on ${version}`).toBe(1);
				expect(result.stderr, `${name} on ${version}`).toMatch(floorLine(version));
			}
		}
		const bin = run(process.execPath, [...fakeVersion('22.16.0'), join(root, 'bin/songbot.js'), 'help']);
		expect(bin.status).toBe(1);
		expect(bin.stderr).toMatch(floorLine('22.16.0'));
		expect(bin.stdout).toBe('');
	});

	it('GIVEN Node 22.18 THEN npm start gets past the check to the configuration', () => {
		const result = run(process.execPath, [...fakeVersion('22.18.0'), ...script('start')]);
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/^songbot cannot start: \d+ configuration problems/);
	});

	const old = oldNodes();
	it.skipIf(old.length === 0)(
		'GIVEN a real older Node THEN npm start and the songbot bin say which version is needed',
		() => {
			for (const bin of old) {
				const version = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
				for (const args of [script('start'), [join(root, 'bin/songbot.js'), 'doctor']]) {
					const result = run(bin, args);
					expect(result.status).toBe(1);
					expect(result.stderr).toMatch(floorLine(version));
					expect(result.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
				}
			}
		},
	);
});
