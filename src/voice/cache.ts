import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { asVoiceError } from './errors.ts';
import { DEFAULT_BITRATE_KBPS, type FfmpegOptions, opusOutputArgs, runFfmpeg } from './ffmpeg.ts';

/**
 * A bounded on-disk cache of takes transcoded to Ogg/Opus, so each take goes through ffmpeg once however often
 * it is played. Files are written to a temporary name and renamed into place (a crash never leaves a half file
 * under a real name); concurrent requests for the same take share one ffmpeg run; when the cache grows past its
 * byte budget the least recently played files are deleted (an open file keeps playing after its deletion).
 */

export interface TranscodeCacheOptions extends FfmpegOptions {
	/** Folder of the cache; created when missing. Nothing else should write there. */
	dir: string;
	/** Size budget in bytes; the newest file is kept even if it alone is larger. */
	maxBytes: number;
	/** Kill a transcode that takes longer than this; default 5 minutes. */
	timeoutMs?: number;
}

export interface TranscodeCacheStats {
	/** ffmpeg runs started. */
	transcodes: number;
	hits: number;
	evictions: number;
}

interface Entry {
	bytes: number;
	/** Logical clock of the last use: higher is more recent. Seeded from file mtimes at start-up. */
	lastUse: number;
}

const TMP_PREFIX = '.tmp-';

export class TranscodeCache {
	readonly stats: TranscodeCacheStats = { transcodes: 0, hits: 0, evictions: 0 };
	private readonly options: Required<TranscodeCacheOptions>;
	private readonly entries = new Map<string, Entry>();
	private readonly inflight = new Map<string, Promise<string>>();
	private clock = 0;
	private loaded: Promise<void> | undefined;

	constructor(options: TranscodeCacheOptions) {
		this.options = {
			ffmpegPath: 'ffmpeg',
			bitrateKbps: DEFAULT_BITRATE_KBPS,
			timeoutMs: 5 * 60_000,
			...options,
			dir: resolve(options.dir),
		};
	}

	/** Bytes the cache holds now. */
	get bytes(): number {
		let total = 0;
		for (const entry of this.entries.values()) total += entry.bytes;
		return total;
	}

	/**
	 * The path of the take's Ogg/Opus file, transcoding `source` on first use (a function is called only then,
	 * so a source that must be fetched first is fetched only when the cache does not have the take).
	 * @throws FfmpegMissingError when ffmpeg cannot be started; PlaybackError('transcode') when it fails.
	 */
	async get(id: string, source: string | (() => Promise<string>)): Promise<string> {
		this.loaded ??= this.load();
		await this.loaded;
		const name = this.fileName(id);
		const path = join(this.options.dir, name);
		const entry = this.entries.get(name);
		if (entry && (await exists(path))) {
			entry.lastUse = ++this.clock;
			this.stats.hits++;
			// Keeps the LRU order across restarts; the in-memory clock is what counts while running.
			utimes(path, new Date(), new Date()).catch(() => {});
			return path;
		}
		this.entries.delete(name);
		let job = this.inflight.get(name);
		if (!job) {
			job = this.transcode(name, source).finally(() => this.inflight.delete(name));
			this.inflight.set(name, job);
		}
		return job;
	}

	private fileName(id: string): string {
		const readable = id.replace(/[^\w-]/g, '_').slice(0, 48);
		const hash = createHash('sha256').update(`${id}\0${this.options.bitrateKbps}`).digest('hex').slice(0, 16);
		return `${readable}-${hash}.ogg`;
	}

	private async transcode(name: string, source: string | (() => Promise<string>)): Promise<string> {
		const tmp = join(this.options.dir, `${TMP_PREFIX}${randomUUID()}.ogg`);
		this.stats.transcodes++;
		try {
			const sourcePath = typeof source === 'string' ? source : await source();
			// `file:` keeps ffmpeg from reading a path as a protocol or an option.
			const input = `file:${resolve(sourcePath)}`;
			await runFfmpeg(['-i', input, ...opusOutputArgs(this.options.bitrateKbps), tmp], this.options);
			const { size } = await stat(tmp);
			if (size === 0) throw new Error('ffmpeg produced an empty file');
			const path = join(this.options.dir, name);
			await rename(tmp, path);
			this.entries.set(name, { bytes: size, lastUse: ++this.clock });
			await this.evict(name);
			return path;
		} catch (error) {
			await rm(tmp, { force: true });
			throw asVoiceError(error, 'transcode');
		}
	}

	/** Deletes least recently used files until the budget holds, never `keep`. */
	private async evict(keep?: string): Promise<void> {
		let total = this.bytes;
		const candidates = [...this.entries].filter(([name]) => name !== keep).sort((a, b) => a[1].lastUse - b[1].lastUse);
		for (const [name, entry] of candidates) {
			if (total <= this.options.maxBytes) break;
			this.entries.delete(name);
			total -= entry.bytes;
			this.stats.evictions++;
			await rm(join(this.options.dir, name), { force: true });
		}
	}

	/** Indexes what an earlier run left, oldest first, and removes its unfinished temporary files. */
	private async load(): Promise<void> {
		await mkdir(this.options.dir, { recursive: true });
		const found: { name: string; bytes: number; mtime: number }[] = [];
		for (const name of await readdir(this.options.dir)) {
			const path = join(this.options.dir, name);
			if (name.startsWith(TMP_PREFIX)) await rm(path, { force: true });
			else if (name.endsWith('.ogg')) {
				const info = await stat(path);
				found.push({ name, bytes: info.size, mtime: info.mtimeMs });
			}
		}
		for (const file of found.sort((a, b) => a.mtime - b.mtime)) {
			this.entries.set(file.name, { bytes: file.bytes, lastUse: ++this.clock });
		}
		await this.evict();
	}
}

async function exists(path: string): Promise<boolean> {
	try {
		await stat(path);
		return true;
	} catch {
		return false;
	}
}
