import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import process from 'node:process';
import { ffmpegVersion } from './take.ts';

/** Where and how a run was made, for the head of RESULTS.md. */
export interface Machine {
	cpu: string;
	cores: number;
	memoryGb: number;
	os: string;
	node: string;
	ffmpeg: string;
	packages: Record<string, string>;
	commit: string;
	/** Files changed in the working tree when the run started (the tree is shared and in flux). */
	uncommittedFiles: number;
	loadAverageStart: number[];
}

const read = (path: string, fallback: string) => {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return fallback;
	}
};

const git = (args: string[]) => {
	try {
		return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return '';
	}
};

export function describeMachine(): Machine {
	const model = /^model name\s*:\s*(.+)$/m.exec(read('/proc/cpuinfo', ''))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
	const version = (name: string) =>
		(
			JSON.parse(read(new URL(`../../node_modules/${name}/package.json`, import.meta.url).pathname, '{}')) as {
				version?: string;
			}
		).version ?? 'not installed';
	return {
		cpu: model.trim(),
		cores: os.cpus().length,
		memoryGb: Math.round(os.totalmem() / 1024 ** 3),
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		node: process.version,
		ffmpeg: ffmpegVersion(),
		packages: Object.fromEntries(
			['discord.js', '@discordjs/voice', 'prism-media', 'opusscript', 'undici'].map((n) => [n, version(n)]),
		),
		commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
		uncommittedFiles: git(['status', '--porcelain']).split('\n').filter(Boolean).length,
		loadAverageStart: os.loadavg().map((l) => Number(l.toFixed(2))),
	};
}
