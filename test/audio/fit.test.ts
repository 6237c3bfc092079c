import { mkdtempSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeDurationSec } from '../../src/audio/ffmpeg.ts';
import { fitAudio } from '../../src/audio/fit.ts';

const take = join(import.meta.dirname, '../fixtures/audio/take-1.mp3'); // 12 s at 64 kb/s ≈ 97 kB
const dir = mkdtempSync(join(tmpdir(), 'songbot-fit-'));

describe('fitAudio', () => {
	it('GIVEN a file under the limit THEN keeps the original', async () => {
		const result = await fitAudio(take, 10 * 1024 * 1024, join(dir, 'a.mp3'));
		expect(result).toEqual({ kind: 'original', file: take, bytes: (await stat(take)).size });
	});

	it('GIVEN a file over the limit THEN re-encodes it below the limit with the same duration', async () => {
		const limit = 80_000;
		const result = await fitAudio(take, limit, join(dir, 'b.mp3'));
		expect(result.kind).toBe('transcoded');
		if (result.kind !== 'transcoded') return;
		expect(result.bytes).toBeLessThanOrEqual(limit);
		expect(result.bitrateKbps).toBeLessThan(64);
		expect(Math.abs((await probeDurationSec(result.file)) - 12)).toBeLessThan(0.3);
	});

	it('GIVEN a limit no listenable bitrate can meet THEN reports too-large', async () => {
		const result = await fitAudio(take, 20_000, join(dir, 'c.mp3'));
		expect(result).toEqual({ kind: 'too-large', bytes: (await stat(take)).size });
	});
});
