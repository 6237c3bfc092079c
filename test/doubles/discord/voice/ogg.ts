import { Buffer } from 'node:buffer';

/**
 * A minimal Ogg demuxer for tests: the Opus packets of an Ogg/Opus file in order, so frames decrypted at the
 * double can be compared byte for byte with what the file holds. Independent of prism-media on purpose.
 */

export interface OggOpus {
	/** The OpusHead packet (channel count at byte 9, input sample rate at bytes 12–15 little-endian). */
	head: Buffer;
	/** Audio packets, without OpusHead and OpusTags. */
	packets: Buffer[];
}

export function demuxOggOpus(file: Buffer): OggOpus {
	const packets: Buffer[] = [];
	let pending: Buffer[] = [];
	let offset = 0;
	while (offset < file.length) {
		if (file.toString('latin1', offset, offset + 4) !== 'OggS') throw new Error(`no Ogg page at byte ${offset}`);
		const segmentCount = file[offset + 26]!;
		const lacing = file.subarray(offset + 27, offset + 27 + segmentCount);
		let body = offset + 27 + segmentCount;
		for (const size of lacing) {
			pending.push(file.subarray(body, body + size));
			body += size;
			// A lacing value below 255 ends a packet; 255 means it continues (possibly on the next page).
			if (size < 255) {
				packets.push(Buffer.concat(pending));
				pending = [];
			}
		}
		offset = body;
	}
	const [head, tags, ...audio] = packets;
	if (head?.toString('latin1', 0, 8) !== 'OpusHead') throw new Error('not an Ogg/Opus file');
	if (tags?.toString('latin1', 0, 8) !== 'OpusTags') throw new Error('OpusTags missing');
	return { head, packets: audio };
}
