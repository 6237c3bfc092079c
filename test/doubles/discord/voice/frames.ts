import { Buffer } from 'node:buffer';

/**
 * RTP parsing (discord-protocol.md §5.5) and what tests measure about the frames a bot sent:
 * how many, how evenly they arrived, how much of it was silence.
 */

/** The Opus frame of silence @discordjs/voice sends when a stream ends or pauses. */
export const SILENCE_FRAME = Buffer.from([0xf8, 0xff, 0xfe]);
/** Discord voice is 48 kHz Opus in 20 ms frames. */
export const FRAME_MS = 20;

export interface RtpHeader {
	sequence: number;
	timestamp: number;
	ssrc: number;
	payloadType: number;
	/** Bytes of header that travel in clear and are the AAD: 12 + 4·CC, + 4 when an extension follows. */
	aadLength: number;
	/** Bytes of extension body at the start of the decrypted payload (encrypted in the `*_rtpsize` modes). */
	extensionBodyLength: number;
}

/** Parses an RTP version 2 header, or returns undefined for anything else. */
export function parseRtpHeader(packet: Buffer): RtpHeader | undefined {
	if (packet.length < 12 || packet[0]! >> 6 !== 2) return undefined;
	const csrcCount = packet[0]! & 0x0f;
	const hasExtension = (packet[0]! & 0x10) !== 0;
	let aadLength = 12 + 4 * csrcCount;
	let extensionBodyLength = 0;
	if (hasExtension) {
		if (packet.length < aadLength + 4) return undefined;
		extensionBodyLength = packet.readUInt16BE(aadLength + 2) * 4;
		aadLength += 4;
	}
	return {
		sequence: packet.readUInt16BE(2),
		timestamp: packet.readUInt32BE(4),
		ssrc: packet.readUInt32BE(8),
		payloadType: packet[1]! & 0x7f,
		aadLength,
		extensionBodyLength,
	};
}

/** One Opus frame as the double received and decrypted it. */
export interface ReceivedFrame {
	guildId: string;
	userId: string;
	ssrc: number;
	sequence: number;
	timestamp: number;
	/** Arrival time at the double, `performance.now()` milliseconds. */
	arrivedAt: number;
	opus: Buffer;
}

export function isSilence(frame: ReceivedFrame): boolean {
	return frame.opus.equals(SILENCE_FRAME);
}

export interface FrameStats {
	frames: number;
	/** Frames that are not the 3-byte silence frame. */
	audioFrames: number;
	silenceFrames: number;
	/** Audio frames × 20 ms: how much sound was played. */
	durationMs: number;
	/** Arrival time from the first to the last frame counted. */
	spanMs: number;
	/** Arrival gaps between consecutive frames. */
	gapsMs: number[];
	longestGapMs: number;
	/** The longest gap less the time the process was descheduled during it (see stalls.ts): the bot's share. */
	longestGapExcludingStallsMs: number;
	/** Places where the RTP sequence number did not go up by exactly one (lost, reordered or a new stream). */
	sequenceBreaks: number;
}

/**
 * Measures a run of frames. `skip` leading frames are left out: the first packets after a connection becomes
 * ready can bunch up while the player catches up, which says nothing about steady playback.
 */
export function frameStats(
	all: readonly ReceivedFrame[],
	options: { skip?: number; stalledWithin?: (from: number, to: number) => number } = {},
): FrameStats {
	const frames = all.slice(options.skip ?? 0);
	const gapsMs: number[] = [];
	let longestGapExcludingStallsMs = 0;
	let sequenceBreaks = 0;
	for (let i = 1; i < frames.length; i++) {
		const prev = frames[i - 1]!;
		const frame = frames[i]!;
		const gap = frame.arrivedAt - prev.arrivedAt;
		gapsMs.push(gap);
		const stalled = options.stalledWithin?.(prev.arrivedAt, frame.arrivedAt) ?? 0;
		longestGapExcludingStallsMs = Math.max(longestGapExcludingStallsMs, gap - stalled);
		if (frame.ssrc !== prev.ssrc || frame.sequence !== ((prev.sequence + 1) & 0xffff)) sequenceBreaks++;
	}
	const silenceFrames = frames.filter(isSilence).length;
	const audioFrames = frames.length - silenceFrames;
	return {
		frames: frames.length,
		audioFrames,
		silenceFrames,
		durationMs: audioFrames * FRAME_MS,
		spanMs: frames.length > 0 ? frames.at(-1)!.arrivedAt - frames[0]!.arrivedAt : 0,
		gapsMs,
		longestGapMs: gapsMs.length > 0 ? Math.max(...gapsMs) : 0,
		longestGapExcludingStallsMs,
		sequenceBreaks,
	};
}

/** Duration of one Opus packet from its TOC byte (RFC 6716 §3.1), in milliseconds. */
export function opusPacketMs(packet: Buffer): number {
	const toc = packet[0] ?? 0;
	const config = toc >> 3;
	const frameMs =
		config < 12 ? [10, 20, 40, 60][config % 4]! : config < 16 ? [10, 20][config % 2]! : [2.5, 5, 10, 20][config % 4]!;
	const code = toc & 3;
	const frames = code === 0 ? 1 : code < 3 ? 2 : (packet[1] ?? 0) & 0x3f;
	return frameMs * frames;
}
