import { Buffer } from 'node:buffer';
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hchacha20, openRtpPayload, xchachaOpen, xchachaSeal } from './crypto.ts';
import { demuxOggOpus } from './ogg.ts';

const seq = (start: number, length: number) => Buffer.from(Array.from({ length }, (_, i) => start + i));
const hex = (s: string) => Buffer.from(s, 'hex');

// draft-irtf-cfrg-xchacha-03 §2.2.1 and appendix A.3.1.
const SUBKEY = '82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc';
const AAD = hex('50515253c0c1c2c3c4c5c6c7');
const PLAINTEXT = Buffer.from(
	"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);
const SEALED =
	'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' +
	'c0875924c1c7987947deafd8780acf49';

describe('voice transport crypto of the double', () => {
	it('GIVEN the draft HChaCha20 vector THEN the subkey matches', () => {
		expect(hchacha20(seq(0, 32), hex('000000090000004a0000000031415927')).toString('hex')).toBe(SUBKEY);
	});

	it('GIVEN the draft XChaCha20-Poly1305 vector THEN sealing and opening match it', () => {
		expect(xchachaSeal(seq(0x80, 32), seq(0x40, 24), PLAINTEXT, AAD).toString('hex')).toBe(SEALED);
		expect(xchachaOpen(seq(0x80, 32), seq(0x40, 24), hex(SEALED), AAD)).toEqual(PLAINTEXT);
	});

	it('GIVEN a tampered XChaCha packet THEN opening it fails', () => {
		const tampered = hex(SEALED);
		tampered[3]! ^= 1;
		expect(() => xchachaOpen(seq(0x80, 32), seq(0x40, 24), tampered, AAD)).toThrow();
	});

	it('GIVEN an AES-GCM packet built like @discordjs/voice builds it THEN the RTP payload decrypts', () => {
		const key = seq(7, 32);
		const header = hex('8078000100000960000003e9');
		const nonce = Buffer.alloc(12);
		nonce.writeUInt32BE(1, 0);
		const cipher = createCipheriv('aes-256-gcm', key, nonce);
		cipher.setAAD(header);
		const sealed = Buffer.concat([cipher.update(hex('f8ff0102')), cipher.final(), cipher.getAuthTag()]);
		expect(openRtpPayload('aead_aes256_gcm_rtpsize', key, nonce.subarray(0, 4), sealed, header)).toEqual(
			hex('f8ff0102'),
		);
	});

	it('GIVEN a file that is not Ogg/Opus THEN the demuxer says so', () => {
		expect(() => demuxOggOpus(Buffer.from('ID3 not an ogg file'))).toThrow(/Ogg page/);
	});
});
