import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The take the voice scenario plays: an mp3 like a provider's (44.1 kHz stereo, 192 kb/s) of a little melody over
 * a chord with a touch of noise, so the Opus encoder has real work. Made once with ffmpeg and kept in
 * bench/results/ (git-ignored).
 */

const MELODY =
	'0.25*sin(2*PI*t*(220+55*mod(floor(t*4)\\,6)))+0.15*sin(2*PI*t*110)*(0.7+0.3*sin(2*PI*t*0.5))+0.02*(random(0)-0.5)';

export function makeTake(dir: string, seconds: number): string {
	const path = join(dir, `take-${seconds}s.mp3`);
	if (existsSync(path)) return path;
	mkdirSync(dir, { recursive: true });
	const tmp = `${path}.tmp.mp3`;
	const source = `aevalsrc=${MELODY}|${MELODY.replace('220+', '277+')}:s=44100:d=${seconds}`;
	execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-c:a', 'libmp3lame', '-b:a', '192k', tmp]);
	renameSync(tmp, path);
	return path;
}

/** `ffmpeg -version`'s first line, for the machine section of the results. */
export function ffmpegVersion(): string {
	try {
		const first = execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0] ?? 'unknown';
		return first.replace(/\s+Copyright.*$/, '').trim();
	} catch {
		return 'not found';
	}
}
