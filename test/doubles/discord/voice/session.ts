import type { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { EncryptionMode } from './crypto.ts';

/**
 * The voice WebSocket protocol of the double, one socket at a time (discord-protocol.md §5.3, §5.7, §5.8):
 * HELLO → IDENTIFY → READY → SELECT_PROTOCOL → SESSION_DESCRIPTION, heartbeats, speaking, RESUME.
 * Every JSON message sent carries `seq`, because the client acknowledges it in heartbeats and RESUME.
 */

/** One voice session: created by IDENTIFY, survives socket closes that the client may RESUME. */
export interface VoiceSession {
	readonly id: number;
	readonly guildId: string;
	readonly channelId: string;
	readonly userId: string;
	readonly sessionId: string;
	readonly token: string;
	readonly ssrc: number;
	/** As advertised in IDENTIFY; `undefined` when the field was absent. */
	readonly maxDaveProtocolVersion: number | undefined;
	mode: EncryptionMode | undefined;
	secretKey: Buffer | undefined;
	/** identified: READY sent; ready: SESSION_DESCRIPTION sent (audio accepted); closed: socket gone. */
	status: 'identified' | 'ready' | 'closed';
	resumes: number;
	heartbeats: number;
	/** Codes the session's sockets closed with, in order. */
	closeCodes: number[];
	speaking: { speaking: number; at: number }[];
	/** The client's UDP address, as seen in IP discovery. */
	udpRemote: { address: string; port: number } | undefined;
	lastSeq: number;
	ws: WebSocket | undefined;
}

export type VoiceSessionInit = Pick<
	VoiceSession,
	'guildId' | 'channelId' | 'userId' | 'sessionId' | 'token' | 'maxDaveProtocolVersion'
>;

/** What the socket handler needs from the server around it. */
export interface SessionHost {
	readonly modes: readonly EncryptionMode[];
	readonly heartbeatIntervalMs: number;
	readonly udpPort: number;
	readonly closeWithoutDave: boolean;
	/** The grant behind a voice token, if it is still valid. */
	findGrant(token: string): { guildId: string; channelId: string; userId: string; sessionId: string } | undefined;
	/** Creates and registers a session with a fresh SSRC. */
	createSession(init: VoiceSessionInit): VoiceSession;
	findResumable(guildId: string, sessionId: string, token: string): VoiceSession | undefined;
	violation(message: string): void;
	changed(): void;
}

const envelope = z.object({ op: z.number().int(), d: z.unknown() });
const identify = z.object({
	server_id: z.string(),
	user_id: z.string(),
	session_id: z.string(),
	token: z.string(),
	max_dave_protocol_version: z.number().int().optional(),
});
const selectProtocol = z.object({
	protocol: z.string(),
	data: z.object({ address: z.string(), port: z.number().int(), mode: z.string() }),
});
const resume = z.object({ server_id: z.string(), session_id: z.string(), token: z.string() });
const heartbeat = z.object({ t: z.number() });
const speaking = z.object({ speaking: z.number().int() });

/** Handles one accepted voice WebSocket until it closes. */
export function handleVoiceSocket(ws: WebSocket, url: string, host: SessionHost): void {
	let session: VoiceSession | undefined;
	let seq = 0;
	const send = (op: number, d: unknown) => {
		seq++;
		if (session) session.lastSeq = seq;
		ws.send(JSON.stringify({ op, d, seq }));
	};
	const close = (code: number, reason: string) => ws.close(code, reason);

	if (!/[?&]v=8(&|$)/.test(url)) host.violation(`voice socket opened at ${url}, expected /?v=8`);
	send(8, { v: 8, heartbeat_interval: host.heartbeatIntervalMs });

	ws.on('message', (data, isBinary) => {
		// Binary frames are DAVE MLS messages; with dave_protocol_version 0 none is expected, and none needs an answer.
		if (isBinary) return;
		let packet: z.infer<typeof envelope>;
		try {
			packet = envelope.parse(JSON.parse(data.toString()));
		} catch {
			return close(4002, 'Failed to decode payload');
		}
		switch (packet.op) {
			case 0: {
				const d = identify.safeParse(packet.d);
				if (!d.success) return close(4002, 'Failed to decode payload');
				if (session) return close(4005, 'Already authenticated');
				const grant = host.findGrant(d.data.token);
				if (
					!grant ||
					grant.guildId !== d.data.server_id ||
					grant.userId !== d.data.user_id ||
					grant.sessionId !== d.data.session_id
				) {
					return close(4004, 'Authentication failed');
				}
				const dave = d.data.max_dave_protocol_version;
				if (dave === undefined || dave < 1) {
					host.violation(`IDENTIFY advertised max_dave_protocol_version=${dave} (DAVE support required)`);
					if (host.closeWithoutDave) return close(4017, 'E2EE/DAVE protocol required');
				}
				session = host.createSession({ ...grant, token: d.data.token, maxDaveProtocolVersion: dave });
				session.ws = ws;
				send(2, { ssrc: session.ssrc, ip: '127.0.0.1', port: host.udpPort, modes: host.modes });
				break;
			}
			case 1: {
				const d = selectProtocol.safeParse(packet.d);
				if (!d.success) return close(4002, 'Failed to decode payload');
				if (!session) return close(4003, 'Not authenticated');
				const mode = host.modes.find((m) => m === d.data.data.mode);
				if (d.data.protocol !== 'udp' || !mode) return close(4016, 'Unknown encryption mode');
				session.mode = mode;
				session.secretKey = randomBytes(32);
				session.status = 'ready';
				send(4, { mode, secret_key: [...session.secretKey], dave_protocol_version: 0 });
				break;
			}
			case 3: {
				const d = heartbeat.safeParse(packet.d);
				if (!d.success) return close(4002, 'Failed to decode payload');
				if (session) session.heartbeats++;
				send(6, { t: d.data.t });
				break;
			}
			case 5: {
				const d = speaking.safeParse(packet.d);
				if (!d.success) return close(4002, 'Failed to decode payload');
				if (!session) return close(4003, 'Not authenticated');
				session.speaking.push({ speaking: d.data.speaking, at: performance.now() });
				break;
			}
			case 7: {
				const d = resume.safeParse(packet.d);
				if (!d.success) return close(4002, 'Failed to decode payload');
				const found = host.findResumable(d.data.server_id, d.data.session_id, d.data.token);
				if (!found) return close(4006, 'Session is no longer valid');
				session = found;
				seq = found.lastSeq;
				found.ws = ws;
				found.status = 'ready';
				found.resumes++;
				send(9, null);
				break;
			}
			default:
			// DAVE JSON ops (23 transition ready, 31 invalid commit) and anything newer: nothing to do at v0.
		}
		host.changed();
	});

	ws.on('close', (code) => {
		if (session && session.ws === ws) {
			session.ws = undefined;
			session.status = 'closed';
			session.closeCodes.push(code);
		}
		host.changed();
	});
	ws.on('error', () => ws.terminate());
}
