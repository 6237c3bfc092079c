import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TranscodeCache } from '../../src/voice/cache.ts';
import { FfmpegMissingError, PlaybackError } from '../../src/voice/errors.ts';
import { opusPacketMs } from '../doubles/discord/voice/frames.ts';
import { demuxOggOpus } from '../doubles/discord/voice/ogg.ts';

const audio = (name: string) => new URL(`../fixtures/audio/${name}`, import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'voice-cache-'));
let n = 0;
const freshDir = () => join(root, `cache-${n++}`);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('TranscodeCache', () => {
	it('GIVEN an mp3 take THEN it becomes Ogg/Opus, 48 kHz stereo, in ~20 ms packets', async () => {
		const cache = new TranscodeCache({ dir: freshDir(), maxBytes: 10_000_000 });
		const path = await cache.get('clip-2', audio('take-2.mp3'));
		const { head, packets } = demuxOggOpus(readFileSync(path));
		expect(head[9]).toBe(2);
		expect(head.readUInt32LE(12)).toBe(48_000);
		expect(new Set(packets.map(opusPacketMs))).toEqual(new Set([20]));
		// take-2 lasts 9.04 s: 452 frames of 20 ms.
		expect(Math.abs(packets.length - 452)).toBeLessThanOrEqual(452 * 0.01);
	});

	it('GIVEN the same take asked for twice at once and again later THEN ffmpeg runs once', async () => {
		const cache = new TranscodeCache({ dir: freshDir(), maxBytes: 10_000_000 });
		const [a, b] = await Promise.all([
			cache.get('clip-2', audio('take-2.mp3')),
			cache.get('clip-2', audio('take-2.mp3')),
		]);
		const c = await cache.get('clip-2', audio('take-2.mp3'));
		expect(new Set([a, b, c]).size).toBe(1);
		expect(cache.stats).toMatchObject({ transcodes: 1, hits: 1 });
	});

	it('GIVEN a cache over its budget THEN the least recently played take is evicted', async () => {
		const dir = freshDir();
		const probe = new TranscodeCache({ dir: freshDir(), maxBytes: 10_000_000 });
		const one = statSync(await probe.get('x', audio('take-2.mp3'))).size;
		// Room for two takes of this size, not three.
		const cache = new TranscodeCache({ dir, maxBytes: Math.floor(one * 2.5) });
		const first = await cache.get('first', audio('take-2.mp3'));
		const second = await cache.get('second', audio('take-2.mp3'));
		await cache.get('first', audio('take-2.mp3'));
		await cache.get('third', audio('take-2.mp3'));
		const files = readdirSync(dir);
		expect(files).toContain(first.split('/').at(-1));
		expect(files).not.toContain(second.split('/').at(-1));
		expect(cache.stats.evictions).toBe(1);
		expect(cache.bytes).toBeLessThanOrEqual(one * 2.5);
	});

	it('GIVEN files left by an earlier run THEN they are hits and unfinished temporary files are removed', async () => {
		const dir = freshDir();
		await new TranscodeCache({ dir, maxBytes: 10_000_000 }).get('clip-2', audio('take-2.mp3'));
		writeFileSync(join(dir, '.tmp-crashed.ogg'), 'half a file');
		const restarted = new TranscodeCache({ dir, maxBytes: 10_000_000 });
		await restarted.get('clip-2', audio('take-2.mp3'));
		expect(restarted.stats).toMatchObject({ transcodes: 0, hits: 1 });
		expect(readdirSync(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
	});

	it('GIVEN a broken mp3 THEN a PlaybackError says the file is damaged and nothing is left in the cache', async () => {
		const dir = freshDir();
		const cache = new TranscodeCache({ dir, maxBytes: 10_000_000 });
		const error = await cache.get('broken', audio('broken.mp3')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlaybackError);
		expect((error as PlaybackError).id).toBe('voice.transcode_failed');
		expect((error as PlaybackError).message).toMatch(/damaged or not audio/);
		expect((error as PlaybackError).detail).toMatch(/ffmpeg exited with 1/);
		expect(readdirSync(dir)).toEqual([]);
	});

	it('GIVEN no ffmpeg THEN a FfmpegMissingError tells the operator to install it', async () => {
		const cache = new TranscodeCache({ dir: freshDir(), maxBytes: 10_000_000, ffmpegPath: '/nonexistent/ffmpeg' });
		const error = await cache.get('clip-2', audio('take-2.mp3')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(FfmpegMissingError);
		expect((error as FfmpegMissingError).message).toMatch(/install ffmpeg/);
	});
});
