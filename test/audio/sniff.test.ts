import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContentType, looksLikeAudio } from '../../src/audio/sniff.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'audio', name));
const head = (...parts: (string | number[])[]) =>
	Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('is a download audio?', () => {
	it.each([
		['mp3 with ID3 tags (the fixture)', fixture('take-1.mp3')],
		['mp3 without tags (a frame header)', head([0xff, 0xfb, 0x90, 0x64], 'xxxxxxxx')],
		['AAC in ADTS', head([0xff, 0xf1, 0x50, 0x80], 'xxxxxxxx')],
		['WAV', head('RIFF', [1, 2, 3, 4], 'WAVEfmt ')],
		['Ogg', head('OggS', [0, 2], 'xxxxxx')],
		['FLAC', head('fLaC', [0, 0, 0, 34], 'xxxx')],
		['m4a', head([0, 0, 0, 32], 'ftypM4A ', [0, 0])],
		['WebM', head([0x1a, 0x45, 0xdf, 0xa3], 'xxxxxxxx')],
	])('GIVEN %s THEN it is recognised as audio', (_name, bytes) => {
		expect(looksLikeAudio(bytes.subarray(0, 12))).toBe(true);
	});

	it.each([
		['an HTML page', head('<!doctype html><title>gone</title>')],
		['JSON', head('{"code":404,"msg":"expired"}')],
		['a PNG (the cover fixture)', fixture('cover.png')],
		['random bytes (the broken fixture)', fixture('broken.mp3')],
		['nothing', Buffer.alloc(0)],
	])('GIVEN %s THEN it is not audio', (_name, bytes) => {
		expect(looksLikeAudio(bytes.subarray(0, 12))).toBe(false);
	});

	it('GIVEN content types THEN audio, containers and unknown binaries pass and documents are refused', () => {
		for (const ok of ['audio/mpeg', 'audio/mp4; codecs=mp4a', 'video/mp4', 'application/octet-stream', undefined, ''])
			expect(() => checkContentType(ok), String(ok)).not.toThrow();
		for (const bad of ['text/html; charset=utf-8', 'application/json', 'image/png', 'text/plain'])
			expect(() => checkContentType(bad), bad).toThrow(expect.objectContaining({ problem: 'not_audio' }));
	});
});
