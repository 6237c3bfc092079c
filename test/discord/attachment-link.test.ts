import { describe, expect, it } from 'vitest';
import { linkExpiresAt, requireLiveUpload } from '../../src/discord/attachment-link.ts';

const link = (ex: string) => `https://cdn.discordapp.com/attachments/1/2/demo.mp3?ex=${ex}&is=6750a000&hm=ab12&`;

describe("Discord's attachment links expire", () => {
	it('GIVEN a signed link THEN its expiry is read from ex (unix seconds in hex)', () => {
		expect(linkExpiresAt(link('6751f180'))).toBe(0x6751f180 * 1000);
	});

	it('GIVEN a link that is not a signed Discord one THEN it has no known expiry', () => {
		expect(linkExpiresAt('https://cdn.example.com/audio/take.mp3')).toBeUndefined();
		expect(linkExpiresAt('https://cdn.example.com/audio/take.mp3?ex=6751f180')).toBeUndefined();
		expect(linkExpiresAt(link('not-hex'))).toBeUndefined();
		expect(linkExpiresAt('not a url')).toBeUndefined();
	});

	it('GIVEN a link with less than ten minutes left THEN a song from it is refused; with more, it goes ahead', () => {
		const expires = 0x6751f180 * 1000;
		expect(() => requireLiveUpload(link('6751f180'), expires - 11 * 60_000)).not.toThrow();
		expect(() => requireLiveUpload(link('6751f180'), expires - 9 * 60_000)).toThrow(/a day/);
		expect(() => requireLiveUpload(link('6751f180'), expires + 1)).toThrow(/a day/);
		expect(() => requireLiveUpload('https://cdn.example.com/take.mp3', expires)).not.toThrow();
	});
});
