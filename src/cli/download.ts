import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Clip } from '../core/provider.ts';

/** Downloads finished takes as mp3 files, streamed to disk with a size cap; the file appears only when complete. */

export class DownloadError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'DownloadError';
	}
}

/** A file name a person recognises: the title, the take number and the start of the clip id. */
export function fileNameFor(clip: Clip, index: number): string {
	const slug = (clip.title ?? 'take')
		.normalize('NFKD')
		.replace(/[^\w\s-]/g, '')
		.trim()
		.replace(/\s+/g, '-')
		.toLowerCase()
		.slice(0, 60);
	const id = clip.id.replace(/[^\w-]/g, '').slice(0, 8);
	// A WAV (the studio's wav tool) keeps its own extension; everything else the providers serve is mp3.
	const extension = clip.audioUrl && /\.wav(\?|$)/i.test(clip.audioUrl) ? 'wav' : 'mp3';
	return `${slug || 'take'}-${index + 1}-${id || 'clip'}.${extension}`;
}

export async function downloadClip(
	url: string,
	directory: string,
	name: string,
	options: { maxBytes: number; timeoutMs: number },
): Promise<string> {
	await mkdir(directory, { recursive: true });
	const target = join(directory, name);
	const partial = `${target}.part`;
	try {
		// fetch follows the redirects CDNs like to send.
		const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: 'follow' });
		if (response.status !== 200 || response.body === null) {
			await response.body?.cancel();
			throw new DownloadError(`the audio file answered HTTP ${response.status}`);
		}
		let size = 0;
		const cap = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				size += chunk.length;
				if (size > options.maxBytes)
					callback(new DownloadError(`the audio file is larger than ${options.maxBytes} bytes`));
				else callback(null, chunk);
			},
		});
		await pipeline(Readable.fromWeb(response.body), cap, createWriteStream(partial));
		await rename(partial, target);
		return target;
	} catch (error) {
		await rm(partial, { force: true });
		if (error instanceof DownloadError) throw error;
		throw new DownloadError(
			`could not download ${new URL(url).host}: ${error instanceof Error ? error.message : String(error)}`,
			{
				cause: error,
			},
		);
	}
}
