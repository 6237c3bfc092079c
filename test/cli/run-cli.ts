import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import type { FakeProvider } from '../doubles/providers/index.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
	/** The parsed stdout when it is one JSON line. */
	json: Record<string, unknown> | undefined;
}

/**
 * Runs `node src/cli/main.ts ...args` asynchronously (the fakes live in this process, so a blocking
 * spawn would deadlock), from an empty folder and with only the environment given.
 */
export async function runCli(
	args: readonly string[],
	options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
	const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'songbot-cli-'));
	const child = spawn(process.execPath, [MAIN, ...args], {
		cwd,
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SONGBOT_RETRY_BASE_MS: '1', ...options.env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
	const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
	clearTimeout(timer);
	let json: Record<string, unknown> | undefined;
	try {
		json = JSON.parse(stdout) as Record<string, unknown>;
	} catch {
		json = undefined;
	}
	return { code, stdout, stderr, json };
}

/** Connection flags for a fake, plus a fast poll. */
export function connect(fake: FakeProvider): string[] {
	return ['--provider', fake.family, '--base-url', fake.baseUrl, '--api-key', fake.apiKey, '--poll-interval', '0.02'];
}

export function tempDir(): string {
	return mkdtempSync(join(tmpdir(), 'songbot-out-'));
}

/** The last non-empty stderr line: the one-line reason. */
export function reason(result: CliResult): string {
	return result.stderr.trim().split('\n').at(-1) ?? '';
}
