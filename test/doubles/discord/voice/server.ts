import { Buffer } from 'node:buffer';
import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { VoiceBackend, VoiceGrant } from '../voice-backend.ts';
import { ENCRYPTION_MODES, type EncryptionMode, openRtpPayload } from './crypto.ts';
import { type FrameStats, frameStats, parseRtpHeader, type ReceivedFrame } from './frames.ts';
import { handleVoiceSocket, type SessionHost, type VoiceSession } from './session.ts';
import { StallMonitor } from './stalls.ts';

/**
 * The voice server of the local Discord double: `wss://127.0.0.1:PORT/?v=8` over TLS with the throwaway
 * certificate, UDP IP discovery and RTP decryption, and a record of every Opus frame a bot sent so tests can
 * measure what was played. Implements {@link VoiceBackend} for the gateway side.
 */

/** Capped by net.core.rmem_max (4 MB on the bench machine; the kernel doubles what it grants). */
const UDP_RECV_BUFFER_BYTES = 4 * 1024 * 1024;

const fixtures = new URL('../../../fixtures/tls/', import.meta.url);

export interface VoiceServerOptions {
	/** Encryption modes offered in READY, in order (the client takes the first it supports). Default: both. */
	modes?: readonly EncryptionMode[];
	/** HELLO heartbeat interval. Default 13 750 ms, as Discord sends. */
	heartbeatIntervalMs?: number;
	/** Close with 4017 when IDENTIFY lacks DAVE support, as Discord does since March 2026. Default false (record only). */
	closeWithoutDave?: boolean;
	/** PEM certificate and key; default test/fixtures/tls. */
	certPem?: string;
	keyPem?: string;
}

export interface VoiceServer extends VoiceBackend {
	/** `127.0.0.1:PORT` as VOICE_SERVER_UPDATE sends it. */
	readonly endpoint: string;
	readonly udpPort: number;
	/** The certificate the bot process must trust (`tls.setDefaultCACertificates`). */
	readonly certPem: string;
	/** Protocol rules a client broke (missing DAVE, undecryptable packet, …); empty for a well-behaved bot. */
	readonly violations: readonly string[];
	/** Datagrams ignored while UDP was being dropped. */
	readonly droppedDatagrams: number;
	/** Voice sessions in creation order, optionally of one guild. */
	sessions(guildId?: string): readonly VoiceSession[];
	/** Decrypted frames of a guild in arrival order, across sessions and resumes. */
	frames(guildId: string): readonly ReceivedFrame[];
	/** Measures a guild's frames; gaps are also given less the time this process was descheduled (stalls.ts). */
	stats(guildId: string, options?: { skip?: number }): FrameStats;
	clearFrames(guildId?: string): void;
	/** Resolves once `predicate` holds, re-checked on every protocol event and frame; rejects after `timeoutMs`. */
	waitFor(predicate: () => boolean, options?: { timeoutMs?: number; what?: string }): Promise<void>;
	/** Fault: closes the open voice sockets of a guild with `code` (4014, 4015, 4006, …); returns how many. */
	closeSockets(guildId: string, code: number): number;
	/** Fault: while true, every datagram (discovery, audio) is ignored. */
	dropUdp(drop: boolean): void;
	close(): Promise<void>;
}

interface GrantRecord {
	guildId: string;
	channelId: string;
	userId: string;
	sessionId: string;
}

/** Starts the voice server on ephemeral ports of 127.0.0.1 (HTTPS/WSS and UDP); `close()` it after the tests. */
export async function startVoiceServer(options: VoiceServerOptions = {}): Promise<VoiceServer> {
	const certPem = options.certPem ?? readFileSync(new URL('cert.pem', fixtures), 'utf8');
	const keyPem = options.keyPem ?? readFileSync(new URL('key.pem', fixtures), 'utf8');
	const modes = [...(options.modes ?? ENCRYPTION_MODES)];
	const grants = new Map<string, GrantRecord>();
	const sessions: VoiceSession[] = [];
	const bySsrc = new Map<number, VoiceSession>();
	const frames = new Map<string, ReceivedFrame[]>();
	const violations: string[] = [];
	const events = new EventEmitter();
	events.setMaxListeners(0);
	let dropping = false;
	let droppedDatagrams = 0;
	let nextSsrc = 1000 + Math.floor(Math.random() * 1000);

	const https = createServer({ cert: certPem, key: keyPem }, (_req, res) => res.writeHead(404).end());
	const wss = new WebSocketServer({ server: https });
	// Discord gives each voice server a socket of its own; this one socket receives every guild's packets, which
	// the bot sends in one burst per 20-ms cycle: with the default buffer (208 KB) a burst of a few hundred
	// overflowed it and the kernel dropped them (Udp RcvbufErrors), charging the double's limit to the bot.
	const udp = createSocket({ type: 'udp4', recvBufferSize: UDP_RECV_BUFFER_BYTES });
	https.listen(0, '127.0.0.1');
	udp.bind(0, '127.0.0.1');
	await Promise.all([once(https, 'listening'), once(udp, 'listening')]);
	const port = (https.address() as AddressInfo).port;
	const udpPort = udp.address().port;
	const changed = () => events.emit('change');
	const stalls = new StallMonitor();

	const host: SessionHost = {
		modes,
		heartbeatIntervalMs: options.heartbeatIntervalMs ?? 13_750,
		udpPort,
		closeWithoutDave: options.closeWithoutDave ?? false,
		findGrant: (token) => grants.get(token),
		createSession(init) {
			const session: VoiceSession = {
				...init,
				id: sessions.length + 1,
				ssrc: nextSsrc++,
				mode: undefined,
				secretKey: undefined,
				status: 'identified',
				resumes: 0,
				heartbeats: 0,
				closeCodes: [],
				speaking: [],
				udpRemote: undefined,
				lastSeq: 0,
				ws: undefined,
			};
			sessions.push(session);
			bySsrc.set(session.ssrc, session);
			return session;
		},
		findResumable: (guildId, sessionId, token) =>
			sessions.findLast(
				(s) => s.guildId === guildId && s.sessionId === sessionId && s.token === token && s.secretKey !== undefined,
			),
		violation: (message) => {
			violations.push(message);
			changed();
		},
		changed,
	};
	wss.on('connection', (ws, req) => handleVoiceSocket(ws, req.url ?? '', host));

	udp.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
		if (dropping) {
			droppedDatagrams++;
			return;
		}
		// The client's keepalive is 8 bytes and wants no answer.
		if (msg.length <= 8) return;
		if (msg.length === 74 && msg.readUInt16BE(0) === 1) return discover(msg, rinfo);
		const header = parseRtpHeader(msg);
		const session = header && bySsrc.get(header.ssrc);
		if (!header || !session?.secretKey || !session.mode) {
			return host.violation(`datagram of ${msg.length} bytes from ${rinfo.port} is not audio of a described session`);
		}
		let plain: Buffer;
		try {
			const sealed = msg.subarray(header.aadLength, msg.length - 4);
			plain = openRtpPayload(
				session.mode,
				session.mode === 'aead_aes256_gcm_rtpsize' ? aesKey(session.secretKey) : session.secretKey,
				msg.subarray(-4),
				sealed,
				msg.subarray(0, header.aadLength),
			);
		} catch {
			return host.violation(`RTP packet seq ${header.sequence} of ssrc ${header.ssrc} failed to decrypt`);
		}
		const list = frames.get(session.guildId) ?? [];
		frames.set(session.guildId, list);
		list.push({
			guildId: session.guildId,
			userId: session.userId,
			ssrc: header.ssrc,
			sequence: header.sequence,
			timestamp: header.timestamp,
			arrivedAt: performance.now(),
			opus: plain.subarray(header.extensionBodyLength),
		});
		changed();
	});

	const aesKeys = new WeakMap<Buffer, KeyObject>();
	const aesKey = (bytes: Buffer): KeyObject => {
		const key = aesKeys.get(bytes) ?? createSecretKey(bytes);
		aesKeys.set(bytes, key);
		return key;
	};

	// IP discovery (§5.4): echo the sender's address as a NUL-terminated string and its port in the last 2 bytes.
	function discover(msg: Buffer, rinfo: RemoteInfo): void {
		const ssrc = msg.readUInt32BE(4);
		const session = bySsrc.get(ssrc);
		if (!session) {
			host.violation(`IP discovery for unknown ssrc ${ssrc}`);
			return;
		}
		session.udpRemote = { address: rinfo.address, port: rinfo.port };
		const reply = Buffer.alloc(74);
		reply.writeUInt16BE(2, 0);
		reply.writeUInt16BE(70, 2);
		reply.writeUInt32BE(ssrc, 4);
		reply.write(rinfo.address, 8, 'latin1');
		reply.writeUInt16BE(rinfo.port, 72);
		udp.send(reply, rinfo.port, rinfo.address);
		changed();
	}

	const closeWs = (session: VoiceSession, code: number) => {
		if (!session.ws) return false;
		session.ws.close(code);
		return true;
	};

	return {
		endpoint: `127.0.0.1:${port}`,
		udpPort,
		certPem,
		violations,
		get droppedDatagrams() {
			return droppedDatagrams;
		},
		grant(request): VoiceGrant {
			for (const [token, g] of grants) {
				if (g.guildId === request.guildId && g.userId === request.userId) grants.delete(token);
			}
			const token = randomBytes(16).toString('hex');
			grants.set(token, { ...request });
			return { token, endpoint: `127.0.0.1:${port}` };
		},
		revoke(guildId, userId) {
			for (const [token, g] of grants) if (g.guildId === guildId && g.userId === userId) grants.delete(token);
			// Discord drops the voice connection of a user who left or was removed with 4014 ("disconnected").
			for (const s of sessions) if (s.guildId === guildId && s.userId === userId) closeWs(s, 4014);
		},
		sessions: (guildId) => sessions.filter((s) => guildId === undefined || s.guildId === guildId),
		frames: (guildId) => frames.get(guildId) ?? [],
		stats: (guildId, statOptions) =>
			frameStats(frames.get(guildId) ?? [], {
				...statOptions,
				stalledWithin: (from, to) => stalls.stalledWithin(from, to),
			}),
		clearFrames(guildId) {
			if (guildId === undefined) frames.clear();
			else frames.delete(guildId);
		},
		waitFor(predicate, waitOptions = {}) {
			const timeoutMs = waitOptions.timeoutMs ?? 10_000;
			return new Promise<void>((resolve, reject) => {
				if (predicate()) return resolve();
				const check = () => {
					if (!predicate()) return;
					cleanup();
					resolve();
				};
				const timer = setTimeout(() => {
					cleanup();
					reject(
						new Error(`voice double: timed out after ${timeoutMs} ms waiting for ${waitOptions.what ?? 'a condition'}`),
					);
				}, timeoutMs);
				const cleanup = () => {
					clearTimeout(timer);
					events.off('change', check);
				};
				events.on('change', check);
			});
		},
		closeSockets: (guildId, code) => sessions.filter((s) => s.guildId === guildId && closeWs(s, code)).length,
		dropUdp(drop) {
			dropping = drop;
		},
		async close() {
			stalls.stop();
			for (const client of wss.clients) client.terminate();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
			https.closeAllConnections();
			await new Promise<void>((resolve) => https.close(() => resolve()));
			await new Promise<void>((resolve) => udp.close(() => resolve()));
		},
	};
}
