import { spawn } from 'node:child_process';
import { UserError } from '../core/errors.ts';

/** Runs the system ffmpeg (or ffprobe) to completion; rejects with the tail of stderr on failure. */
export function runFfmpeg(args: readonly string[], options: { binary?: string; signal?: AbortSignal } = {}) {
	const binary = options.binary ?? 'ffmpeg';
	return new Promise<string>((resolve, reject) => {
		// ffprobe has no -nostdin; stdin is closed ('ignore') for both anyway.
		const flags = binary.endsWith('ffprobe') ? ['-hide_banner'] : ['-hide_banner', '-nostdin'];
		const child = spawn(binary, [...flags, ...args], {
			stdio: ['ignore', 'pipe', 'pipe'],
			...(options.signal ? { signal: options.signal } : {}),
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => {
			stdout += d;
		});
		child.stderr.setEncoding('utf8').on('data', (d: string) => {
			stderr = (stderr + d).slice(-4000);
		});
		child.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') reject(new FfmpegMissingError(binary));
			else reject(error);
		});
		child.on('close', (code) => {
			if (code === 0) resolve(stdout);
			else reject(new Error(`${binary} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
		});
	});
}

export class FfmpegMissingError extends UserError {
	constructor(binary: string) {
		super('ffmpeg.missing', `The bot cannot process audio: \`${binary}\` is not installed on its server.`);
	}
}

/** Duration in seconds of an audio file, read by ffprobe. */
export async function probeDurationSec(file: string): Promise<number> {
	const out = await runFfmpeg(['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], {
		binary: 'ffprobe',
	});
	const seconds = Number.parseFloat(out.trim());
	if (!Number.isFinite(seconds)) throw new Error(`ffprobe found no duration in ${file}`);
	return seconds;
}
