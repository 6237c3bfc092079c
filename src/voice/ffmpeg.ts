import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { FfmpegMissingError } from './errors.ts';

/**
 * The system ffmpeg, run as a child process. Everything is converted to Ogg/Opus at 48 kHz stereo in 20 ms
 * frames, which is exactly what Discord voice carries: @discordjs/voice then only demuxes the Ogg pages, so
 * the bot process never decodes PCM or encodes Opus itself.
 */

export interface FfmpegOptions {
	/** Path or name of the ffmpeg binary; default `ffmpeg` from PATH. */
	ffmpegPath?: string;
	/** Opus bitrate; default 96 kb/s (Discord's channel default is 64, boosted channels allow more). */
	bitrateKbps?: number;
}

export const DEFAULT_BITRATE_KBPS = 96;
const STDERR_TAIL = 2_000;

/** ffmpeg output options for Discord-ready Ogg/Opus; append the output target. */
export function opusOutputArgs(bitrateKbps = DEFAULT_BITRATE_KBPS): string[] {
	return [
		...['-map', '0:a:0', '-vn', '-c:a', 'libopus', '-b:a', `${bitrateKbps}k`, '-ar', '48000', '-ac', '2'],
		...['-frame_duration', '20', '-application', 'audio', '-f', 'ogg'],
	];
}

const baseArgs = ['-hide_banner', '-nostdin', '-loglevel', 'error'];

/** Spawn errors mean the binary is missing or not executable; anything else is passed on. */
function spawnError(error: unknown, ffmpegPath: string): Error {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOENT' || code === 'EACCES') return new FfmpegMissingError(ffmpegPath, error);
	return error instanceof Error ? error : new Error(String(error));
}

/** An ffmpeg run that exited non-zero; `stderr` is its last output. */
export class FfmpegExitError extends Error {
	readonly exitCode: number | null;
	readonly stderr: string;
	constructor(exitCode: number | null, signal: string | null, stderr: string) {
		super(`ffmpeg exited with ${exitCode ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
		this.name = 'FfmpegExitError';
		this.exitCode = exitCode;
		this.stderr = stderr;
	}
}

/** Runs ffmpeg to completion; rejects with FfmpegMissingError, FfmpegExitError or a timeout error. */
export async function runFfmpeg(args: readonly string[], options: { ffmpegPath: string; timeoutMs: number }) {
	const child = spawn(options.ffmpegPath, [...baseArgs, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr = (stderr + chunk).slice(-STDERR_TAIL);
	});
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		child.kill('SIGKILL');
	}, options.timeoutMs);
	let exit: [number | null, string | null];
	try {
		exit = (await once(child, 'close')) as [number | null, string | null];
	} catch (error) {
		throw spawnError(error, options.ffmpegPath);
	} finally {
		clearTimeout(timer);
	}
	if (timedOut) throw new Error(`ffmpeg timed out after ${options.timeoutMs} ms`);
	if (exit[0] !== 0) throw new FfmpegExitError(exit[0], exit[1], stderr);
}

/**
 * Starts ffmpeg with its output on stdout and returns that output once the process is running (so a missing
 * binary rejects here, typed). The stream ends only when ffmpeg exits cleanly; a non-zero exit destroys it with
 * an FfmpegExitError, so a consumer sees a failure rather than a short take. Destroying the stream kills ffmpeg.
 */
export async function ffmpegStream(
	args: readonly string[],
	options: { ffmpegPath: string; /** Fed to ffmpeg's stdin (`-i pipe:0`). */ input?: Readable },
): Promise<Readable> {
	const { input } = options;
	const child = input
		? spawn(options.ffmpegPath, [...baseArgs, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
		: spawn(options.ffmpegPath, [...baseArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	try {
		await once(child, 'spawn');
	} catch (error) {
		input?.destroy();
		throw spawnError(error, options.ffmpegPath);
	}
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr = (stderr + chunk).slice(-STDERR_TAIL);
	});
	const out = new PassThrough();
	child.on('error', (error) => out.destroy(error));
	child.stdout.pipe(out, { end: false });
	child.once('close', (code, signal) => {
		if (code === 0) out.end();
		else out.destroy(new FfmpegExitError(code, signal, stderr));
	});
	out.once('close', () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		input?.destroy();
	});
	if (input && child.stdin) {
		// ffmpeg closing its stdin early (it failed, or was killed) is reported by its exit, not as EPIPE here.
		child.stdin.on('error', () => undefined);
		// A broken input must not end as a short take that looks complete.
		input.once('error', (error) => {
			out.destroy(error);
			child.kill('SIGKILL');
		});
		input.pipe(child.stdin);
	}
	return out;
}
