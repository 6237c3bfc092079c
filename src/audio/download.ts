import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Dispatcher, request } from 'undici';
import { AudioRefusedError } from '../core/audio-refused.ts';
import type { AudioCache } from '../core/ports.ts';
import type { LocalAudio } from '../core/records.ts';
import { checkContentType, looksLikeAudio, SNIFF_BYTES } from './sniff.ts';
import { CacheBudget } from './budget.ts';
import { createGuardedAgent, isBlocked } from './guard.ts';

/**
 * The local audio cache: each finished take is downloaded once, streamed to disk with a size cap, and renamed
 * into place only when complete, so delivery, replays and voice never depend on provider URLs (which expire).
 */

export type AudioDownloadProblem = 'protocol' | 'too_large' | 'http' | 'redirects';

/** Why a take could not be cached; the message is safe to log (it never contains the URL). */
export class AudioDownloadError extends Error {
	readonly problem: AudioDownloadProblem;
	constructor(problem: AudioDownloadProblem, message: string) {
		super(message);
		this.name = 'AudioDownloadError';
		this.problem = problem;
	}
}

export interface DownloadOptions {
	maxBytes: number;
	/** Plain http is refused unless allowed (AUDIO_ALLOW_HTTP), including on redirects. */
	allowHttp: boolean;
	signal?: AbortSignal;
	/**
	 * undici dispatcher: the guarded agent (src/audio/guard.ts) that refuses private addresses. Without one, a
	 * guarded agent that allows no private address is used.
	 */
	dispatcher?: Dispatcher;
}

let strictAgent: Dispatcher | undefined;
const defaultDispatcher = () => (strictAgent ??= createGuardedAgent({ allowPrivate: false }));

const MAX_REDIRECTS = 5;
const AUDIO_EXTENSIONS = new Set(['.mp3', '.m4a', '.mp4', '.wav', '.ogg', '.opus', '.flac', '.aac']);

function checkProtocol(url: URL, allowHttp: boolean): void {
	if (url.protocol === 'https:' || (allowHttp && url.protocol === 'http:')) return;
	// The URL itself is not put in the message: provider URLs may carry signed tokens.
	throw new AudioDownloadError('protocol', `refusing to download audio over ${url.protocol.replace(':', '')}`);
}

/**
 * GETs a provider URL through the guard, following redirects (each hop checked again: protocol, address).
 * @throws AudioRefusedError('blocked') for an address inside the network, AudioDownloadError otherwise.
 */
export async function openAudio(start: string, options: DownloadOptions): Promise<Dispatcher.ResponseData> {
	let url = new URL(start);
	for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
		checkProtocol(url, options.allowHttp);
		const response = await request(url, {
			method: 'GET',
			headers: { accept: 'audio/*, */*;q=0.5' },
			dispatcher: options.dispatcher ?? defaultDispatcher(),
			...(options.signal ? { signal: options.signal } : {}),
		}).catch((error: unknown) => {
			if (isBlocked(error)) throw new AudioRefusedError('blocked', (error as Error).message);
			throw error;
		});
		const location = response.headers.location;
		if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
			await response.body.dump();
			url = new URL(location, url);
			continue;
		}
		if (response.statusCode < 200 || response.statusCode >= 300) {
			await response.body.dump();
			throw new AudioDownloadError('http', `audio download answered HTTP ${response.statusCode}`);
		}
		return response;
	}
	throw new AudioDownloadError('redirects', `more than ${MAX_REDIRECTS} redirects`);
}

/** Streams `url` to `dest` (atomically: a temporary file renamed into place); an existing `dest` is kept. */
export async function downloadAudio(url: string, dest: string, options: DownloadOptions): Promise<LocalAudio> {
	const existing = await stat(dest).catch(() => undefined);
	if (existing?.isFile()) return { path: dest, bytes: existing.size };
	const response = await openAudio(url, options);
	try {
		checkContentType(response.headers['content-type']);
	} catch (error) {
		// Dropped unread: nobody listens for the abort error destroying it raises.
		response.body.on('error', () => undefined).destroy();
		throw error;
	}
	const declared = Number(response.headers['content-length'] ?? Number.NaN);
	if (declared > options.maxBytes) {
		response.body.destroy();
		throw new AudioDownloadError('too_large', `audio is ${declared} bytes, more than the ${options.maxBytes} allowed`);
	}
	let bytes = 0;
	let head: Buffer | undefined = Buffer.alloc(0);
	const notAudio = () => new AudioRefusedError('not_audio', 'the download does not start like an audio file');
	// Size cap and a look at the first bytes: a page of HTML or JSON served as audio/mpeg is not posted.
	const limiter = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			bytes += chunk.length;
			if (head) {
				head = Buffer.concat([head, chunk]);
				if (head.length >= SNIFF_BYTES) {
					if (!looksLikeAudio(head)) return done(notAudio());
					head = undefined;
				}
			}
			if (bytes > options.maxBytes) {
				done(new AudioDownloadError('too_large', `audio is larger than the ${options.maxBytes} bytes allowed`));
			} else done(null, chunk);
		},
		flush(done) {
			done(head && !looksLikeAudio(head) ? notAudio() : null);
		},
	});
	const temporary = `${dest}.${randomBytes(6).toString('hex')}.part`;
	try {
		await pipeline(response.body, limiter, createWriteStream(temporary, { flags: 'wx' }));
		await rename(temporary, dest);
	} catch (error) {
		await unlink(temporary).catch(() => undefined);
		throw error;
	}
	return { path: dest, bytes };
}

/** Ids come from the provider: keep them to a safe alphabet before they become file names. */
function safeName(id: string): string {
	return id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || '_';
}

function extensionOf(url: string): string {
	try {
		const ext = extname(new URL(url).pathname).toLowerCase();
		return AUDIO_EXTENSIONS.has(ext) ? ext : '.mp3';
	} catch {
		return '.mp3';
	}
}

export interface AudioCacheOptions {
	/** DATA_DIR/audio */
	dir: string;
	/** AUDIO_MAX_MB × 1024 × 1024: the largest single file. */
	maxBytes: number;
	/** AUDIO_CACHE_MB × 1024 × 1024: what all files may take together (least recently used out); default no limit. */
	budgetBytes?: number;
	allowHttp: boolean;
	/** AUDIO_ALLOW_PRIVATE: fetch from loopback and private addresses too (local test setups only). */
	allowPrivate?: boolean;
	/** Replaces the guarded agent (tests trust their own certificate through one from createGuardedAgent). */
	dispatcher?: Dispatcher;
}

/** The AudioCache port on disk: `<dir>/<taskId>/<clipId>.<ext>`; concurrent requests share one download. */
export function createAudioCache(options: AudioCacheOptions): AudioCache & { readonly budget: CacheBudget } {
	const inFlight = new Map<string, Promise<LocalAudio>>();
	const dispatcher = options.dispatcher ?? createGuardedAgent({ allowPrivate: options.allowPrivate ?? false });
	const budget = new CacheBudget(options.dir, options.budgetBytes ?? Number.POSITIVE_INFINITY);
	return {
		budget,
		async ensure(taskId, clipId, url, signal) {
			const folder = join(options.dir, safeName(taskId));
			const dest = join(folder, `${safeName(clipId)}${extensionOf(url)}`);
			const running = inFlight.get(dest);
			if (running) return running;
			const work = (async () => {
				await budget.load();
				await mkdir(folder, { recursive: true });
				const file = await downloadAudio(url, dest, {
					maxBytes: options.maxBytes,
					allowHttp: options.allowHttp,
					dispatcher,
					...(signal ? { signal } : {}),
				});
				await budget.use(file.path, file.bytes);
				return file;
			})().finally(() => inFlight.delete(dest));
			inFlight.set(dest, work);
			return work;
		},
		async remove(taskId) {
			const folder = join(options.dir, safeName(taskId));
			await rm(folder, { recursive: true, force: true });
			budget.forget(folder);
		},
	};
}
