import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The size budget of the downloaded-audio cache (AUDIO_CACHE_MB): files are remembered with their last use and,
 * when the total passes the budget, the least recently used are deleted. A take whose file is gone is fetched
 * again when needed: the voice player from the bot's own posted attachment, delivery from the provider.
 */
export class CacheBudget {
	readonly #dir: string;
	readonly #maxBytes: number;
	readonly #files = new Map<string, { bytes: number; lastUse: number }>();
	#clock = 0;
	#loaded: Promise<void> | undefined;
	evictions = 0;

	constructor(dir: string, maxBytes: number) {
		this.#dir = dir;
		this.#maxBytes = maxBytes;
	}

	/** Bytes the cache holds, as far as it knows. */
	get bytes(): number {
		let total = 0;
		for (const file of this.#files.values()) total += file.bytes;
		return total;
	}

	/** Indexes what an earlier run left (oldest first by mtime) and deletes its unfinished `.part` files, once. */
	load(): Promise<void> {
		this.#loaded ??= this.#scan();
		return this.#loaded;
	}

	/** The file was read or written now; the newest file is never evicted, even when alone over the budget. */
	async use(path: string, bytes: number): Promise<void> {
		await this.load();
		this.#files.set(path, { bytes, lastUse: ++this.#clock });
		await this.#evict(path);
	}

	/** Forgets files under `folder` (the caller deleted them). */
	forget(folder: string): void {
		for (const path of this.#files.keys()) if (path.startsWith(`${folder}/`)) this.#files.delete(path);
	}

	async #evict(keep: string): Promise<void> {
		let total = this.bytes;
		const oldest = [...this.#files].filter(([path]) => path !== keep).sort((a, b) => a[1].lastUse - b[1].lastUse);
		for (const [path, file] of oldest) {
			if (total <= this.#maxBytes) break;
			this.#files.delete(path);
			total -= file.bytes;
			this.evictions++;
			await rm(path, { force: true });
			// The task's folder goes with its last file (rmdir refuses a folder that is not empty).
			await rmdir(dirname(path)).catch(() => undefined);
		}
	}

	async #scan(): Promise<void> {
		const found: { path: string; bytes: number; mtime: number }[] = [];
		const folders = await readdir(this.#dir, { withFileTypes: true }).catch(() => []);
		for (const folder of folders) {
			if (!folder.isDirectory()) continue;
			const base = join(this.#dir, folder.name);
			for (const name of await readdir(base).catch(() => [])) {
				const path = join(base, name);
				if (name.endsWith('.part')) await rm(path, { force: true });
				else {
					const info = await stat(path).catch(() => undefined);
					if (info?.isFile()) found.push({ path, bytes: info.size, mtime: info.mtimeMs });
				}
			}
		}
		for (const file of found.sort((a, b) => a.mtime - b.mtime))
			this.#files.set(file.path, { bytes: file.bytes, lastUse: ++this.#clock });
	}
}
