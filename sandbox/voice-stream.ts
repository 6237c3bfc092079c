/**
 * What the bot plays in voice, as a live Ogg/Opus stream an <audio> element can play: the Opus frames the voice
 * server decrypted are wrapped, unchanged, into Ogg pages (RFC 7845). Between songs the stream carries Opus silence
 * in real time, so the browser's clock keeps running and the next song starts playing as soon as it arrives.
 */
import type { ServerResponse } from 'node:http';
import { opusPacketMs, SILENCE_FRAME } from '../test/doubles/discord/voice/frames.ts';
import type { VoiceServer } from '../test/doubles/discord/voice/server.ts';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n << 24;
	for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
	return c >>> 0;
});

/** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0. */
function oggCrc(page: Buffer): number {
	let crc = 0;
	for (const byte of page) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
	return crc;
}

/** One Ogg page holding whole packets. */
export function oggPage(packets: Buffer[], granule: bigint, serial: number, sequence: number, flags: number): Buffer {
	const lacing: number[] = [];
	for (const packet of packets) {
		let size = packet.length;
		while (size >= 255) {
			lacing.push(255);
			size -= 255;
		}
		lacing.push(size);
	}
	const header = Buffer.alloc(27 + lacing.length);
	header.write('OggS', 0, 'latin1');
	header[5] = flags;
	header.writeBigInt64LE(granule, 6);
	header.writeUInt32LE(serial, 14);
	header.writeUInt32LE(sequence, 18);
	header[26] = lacing.length;
	Buffer.from(lacing).copy(header, 27);
	const page = Buffer.concat([header, ...packets]);
	page.writeUInt32LE(oggCrc(page), 22);
	return page;
}

function opusHead(): Buffer {
	const head = Buffer.alloc(19);
	head.write('OpusHead', 0, 'latin1');
	head[8] = 1; // version
	head[9] = 2; // channels: Discord voice is stereo
	head.writeUInt16LE(0, 10); // pre-skip: the stream starts mid-way, nothing to skip
	head.writeUInt32LE(48_000, 12);
	return head;
}

function opusTags(): Buffer {
	const vendor = Buffer.from('songbot sandbox', 'utf8');
	const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
	tags.write('OpusTags', 0, 'latin1');
	tags.writeUInt32LE(vendor.length, 8);
	vendor.copy(tags, 12);
	return tags;
}

/** Silence kept buffered ahead of real time while the bot is quiet, in ms. */
const LEAD_MS = 200;
/** The bot counts as quiet once no frame arrived for this long. */
const QUIET_MS = 200;

/**
 * Streams the guild's voice from now on into `res` until the client goes away. The bot's frames pass through as
 * they arrive (it paces them itself); while it is quiet, silence keeps the stream going at real-time pace.
 */
export function streamVoice(voice: VoiceServer, guildId: string, res: ServerResponse): void {
	res.writeHead(200, { 'content-type': 'audio/ogg', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
	const serial = Math.floor(Math.random() * 0xffffffff);
	let sequence = 0;
	let granule = 0n;
	const write = (packets: Buffer[], flags = 0) => {
		for (const packet of packets) granule += BigInt(Math.round(opusPacketMs(packet) * 48));
		res.write(oggPage(packets, granule, serial, sequence++, flags));
	};
	res.write(oggPage([opusHead()], 0n, serial, sequence++, 0x02));
	res.write(oggPage([opusTags()], 0n, serial, sequence++, 0));
	let cursor = voice.frames(guildId).length;
	// Wall-clock time (performance.now) at which everything written so far will have been played.
	let position = performance.now();
	const tick = () => {
		const now = performance.now();
		const frames = voice.frames(guildId);
		if (frames.length < cursor) cursor = 0;
		const fresh = frames.slice(cursor).map((f) => f.opus);
		cursor = frames.length;
		const quiet = now - (frames.at(-1)?.arrivedAt ?? -Infinity) > QUIET_MS;
		const packets = [...fresh];
		position = Math.max(position, now) + fresh.length * 20;
		if (quiet) {
			const missing = Math.ceil((now + LEAD_MS - position) / 20);
			for (let i = 0; i < missing; i++) packets.push(SILENCE_FRAME);
			position += Math.max(0, missing) * 20;
		}
		// A page holds at most 255 lacing values: a few dozen small packets always fit.
		for (let i = 0; i < packets.length; i += 40) write(packets.slice(i, i + 40));
	};
	const timer = setInterval(tick, 50);
	tick();
	res.on('close', () => clearInterval(timer));
}
