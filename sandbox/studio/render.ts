/**
 * Turns a song plan into files with the system ffmpeg: the synthesised PCM, with a little echo for space, encoded to
 * mp3; and a cover of seeded colour gradients as PNG. Each file is rendered once into the studio's folder.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { random } from './words.ts';

/** Runs ffmpeg, feeding `input` on stdin; rejects with the end of its stderr when it fails. */
function ffmpeg(args: string[], input?: Uint8Array): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], {
			stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'],
		});
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-2000);
		});
		child.on('error', (error) => reject(new Error(`ffmpeg could not start (is it installed?): ${error.message}`)));
		child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${stderr}`))));
		if (input && child.stdin) {
			child.stdin.on('error', () => {});
			child.stdin.end(input);
		}
	});
}

/** Encodes 16-bit stereo PCM to an mp3 file with the title in its tags; returns the bytes. */
export async function renderMp3(pcm: Int16Array, rate: number, path: string, title: string): Promise<Buffer> {
	const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
	await ffmpeg(
		[
			...['-f', 's16le', '-ar', String(rate), '-ac', '2', '-i', 'pipe:0'],
			...['-af', 'aecho=0.8:0.7:110|230:0.18|0.1', '-c:a', 'libmp3lame', '-b:a', '128k'],
			...['-metadata', `title=${title}`, '-metadata', 'artist=songbot sandbox', path],
		],
		bytes,
	);
	return readFile(path);
}

const hex = (h: number, s: number, l: number): string => {
	// HSL to RGB, so the palette can follow the mood (cool for minor keys, warm for major ones).
	const a = s * Math.min(l, 1 - l);
	const channel = (n: number) => {
		const k = (n + h / 30) % 12;
		return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
	};
	return `0x${[channel(0), channel(8), channel(4)].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
};

/** A 512×512 cover: three colours around a hue that suits the mood, in a seeded gradient shape. */
export async function renderCover(seed: number, minor: boolean, path: string): Promise<Buffer> {
	const rand = random(seed);
	const hue = (minor ? 200 + rand() * 90 : 10 + rand() * 60) % 360;
	const colours = [0, 1, 2].map((i) => hex((hue + i * (25 + rand() * 40)) % 360, 0.55 + rand() * 0.3, 0.3 + i * 0.15));
	const shape = Math.floor(rand() * 3);
	const source =
		`gradients=s=512x512:n=3:c0=${colours[0]}:c1=${colours[1]}:c2=${colours[2]}:type=${shape}` +
		`:x0=${Math.floor(rand() * 512)}:y0=${Math.floor(rand() * 512)}:x1=${Math.floor(rand() * 512)}:y1=${Math.floor(rand() * 512)}` +
		`:seed=${seed}:d=0.1`;
	await ffmpeg(['-f', 'lavfi', '-i', source, '-vf', 'noise=alls=8:allf=t,vignette', '-frames:v', '1', path]);
	return readFile(path);
}
