import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Duration in seconds of an audio file, read by the system ffprobe. */
export async function probeDurationSec(file: string): Promise<number> {
	const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
	const seconds = Number.parseFloat(stdout.trim());
	if (!Number.isFinite(seconds)) throw new Error(`ffprobe found no duration in ${file}`);
	return seconds;
}
