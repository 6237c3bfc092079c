import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';

/**
 * Transport encryption of Discord voice (discord-protocol.md §5.5–5.6), decrypt side for the double.
 * Node ships AES-256-GCM and ChaCha20-Poly1305 but no XChaCha20: XChaCha20-Poly1305 is ChaCha20-Poly1305
 * keyed with HChaCha20(key, nonce[0..16]) and nonced with 4 zero bytes ‖ nonce[16..24]
 * (draft-irtf-cfrg-xchacha §2.3), so no cipher package is needed.
 */

export const ENCRYPTION_MODES = ['aead_aes256_gcm_rtpsize', 'aead_xchacha20_poly1305_rtpsize'] as const;
export type EncryptionMode = (typeof ENCRYPTION_MODES)[number];

const TAG_BYTES = 16;

function rotl(v: number, c: number): number {
	return ((v << c) | (v >>> (32 - c))) >>> 0;
}

/** HChaCha20: 20 ChaCha rounds over key and 16-byte nonce, without the final addition; returns a 32-byte subkey. */
export function hchacha20(key: Uint8Array, nonce16: Uint8Array): Buffer {
	const k = Buffer.from(key);
	const n = Buffer.from(nonce16);
	const s = new Uint32Array(16);
	s.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
	for (let i = 0; i < 8; i++) s[4 + i] = k.readUInt32LE(i * 4);
	for (let i = 0; i < 4; i++) s[12 + i] = n.readUInt32LE(i * 4);
	const qr = (a: number, b: number, c: number, d: number) => {
		s[a] = s[a]! + s[b]!;
		s[d] = rotl(s[d]! ^ s[a]!, 16);
		s[c] = s[c]! + s[d]!;
		s[b] = rotl(s[b]! ^ s[c]!, 12);
		s[a] = s[a]! + s[b]!;
		s[d] = rotl(s[d]! ^ s[a]!, 8);
		s[c] = s[c]! + s[d]!;
		s[b] = rotl(s[b]! ^ s[c]!, 7);
	};
	for (let round = 0; round < 10; round++) {
		qr(0, 4, 8, 12);
		qr(1, 5, 9, 13);
		qr(2, 6, 10, 14);
		qr(3, 7, 11, 15);
		qr(0, 5, 10, 15);
		qr(1, 6, 11, 12);
		qr(2, 7, 8, 13);
		qr(3, 4, 9, 14);
	}
	const out = Buffer.alloc(32);
	for (let i = 0; i < 4; i++) {
		out.writeUInt32LE(s[i]!, i * 4);
		out.writeUInt32LE(s[12 + i]!, 16 + i * 4);
	}
	return out;
}

function xchachaParts(key: Uint8Array, nonce24: Uint8Array): { subkey: Buffer; iv: Buffer } {
	const nonce = Buffer.from(nonce24);
	return {
		subkey: hchacha20(key, nonce.subarray(0, 16)),
		iv: Buffer.concat([Buffer.alloc(4), nonce.subarray(16, 24)]),
	};
}

/** XChaCha20-Poly1305 seal; returns ciphertext ‖ 16-byte tag (the layout libsodium and @noble/ciphers use). */
export function xchachaSeal(key: Uint8Array, nonce24: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
	const { subkey, iv } = xchachaParts(key, nonce24);
	const cipher = createCipheriv('chacha20-poly1305', subkey, iv, { authTagLength: TAG_BYTES });
	cipher.setAAD(aad, { plaintextLength: plaintext.length });
	return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** XChaCha20-Poly1305 open of ciphertext ‖ tag; throws when authentication fails. */
export function xchachaOpen(key: Uint8Array, nonce24: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
	const { subkey, iv } = xchachaParts(key, nonce24);
	const body = Buffer.from(sealed);
	const ciphertext = body.subarray(0, body.length - TAG_BYTES);
	const decipher = createDecipheriv('chacha20-poly1305', subkey, iv, { authTagLength: TAG_BYTES });
	decipher.setAAD(aad, { plaintextLength: ciphertext.length });
	decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
	return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/**
 * Decrypts the payload of one `*_rtpsize` RTP packet. `sealed` is ciphertext ‖ tag, `counter` the 4 trailing
 * nonce bytes, `aad` the unencrypted header. Throws when authentication fails. An AES key may be a KeyObject of
 * the same bytes: Node prepares raw key bytes several times slower, which counts at thousands of packets a second.
 */
export function openRtpPayload(
	mode: EncryptionMode,
	key: Uint8Array | KeyObject,
	counter: Uint8Array,
	sealed: Uint8Array,
	aad: Uint8Array,
): Buffer {
	if (mode === 'aead_xchacha20_poly1305_rtpsize') {
		const nonce = Buffer.alloc(24);
		nonce.set(counter, 0);
		return xchachaOpen(key instanceof Uint8Array ? key : key.export(), nonce, sealed, aad);
	}
	const nonce = Buffer.alloc(12);
	nonce.set(counter, 0);
	const body = Buffer.from(sealed);
	const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
	decipher.setAAD(aad);
	decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
	return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
}
