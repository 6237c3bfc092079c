import { createSecretKey, type KeyObject } from 'node:crypto';
import {
	type ConnectionData,
	type VoiceConnection,
	type VoiceConnectionState,
	VoiceConnectionStatus,
} from '@discordjs/voice';

/**
 * @discordjs/voice seals every 20-ms packet with `createCipheriv('aes-256-gcm', secretKey, nonce)`, the key being
 * the raw bytes of SESSION_DESCRIPTION. Node's key preparation first probes whether raw bytes are a KeyObject or
 * a CryptoKey by catching two thrown errors, which made up about a quarter of the whole process's CPU with 256
 * players (bench/RESULTS.md, "Voice"): 16–20 µs per packet against under 5 µs with a KeyObject. The library
 * passes the key only to createCipheriv and createDecipheriv (receiving), which take a KeyObject as they take
 * bytes, so the key is swapped for a KeyObject of the same bytes once per session description. Transport
 * encryption is otherwise untouched, and DAVE (end-to-end, inside the transport) is not concerned.
 * XChaCha20 keeps its bytes: libsodium needs them.
 */

const AES_GCM = 'aead_aes256_gcm_rtpsize';

/** Keeps the connection's AES-GCM key a KeyObject for the connection's lifetime (every new session included). */
export function useKeyObjectCipherKey(connection: VoiceConnection): void {
	const swap = (state: VoiceConnectionState) => {
		if (state.status !== VoiceConnectionStatus.Ready) return;
		const networking = state.networking.state;
		if (!('connectionData' in networking)) return;
		const data: Partial<ConnectionData> = networking.connectionData;
		if (data.encryptionMode !== AES_GCM || !(data.secretKey instanceof Uint8Array)) return;
		// The declared type says Uint8Array; both of the library's uses take a KeyObject (see above).
		(data as { secretKey: Uint8Array | KeyObject }).secretKey = createSecretKey(data.secretKey);
	};
	connection.on('stateChange', (_, state) => swap(state));
	swap(connection.state);
}
