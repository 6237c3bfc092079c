import type { FleetOptions } from '../core/fleet.ts';
import type { Store } from '../core/store.ts';
import type { Logger } from '../log.ts';
import { KeyvStore } from './keyv-store.ts';
import { createMemoryBackend } from './memory.ts';

export { KeyvStore } from './keyv-store.ts';

export interface OpenStoreOptions {
	log: Logger;
	/** Key prefix on Redis (several bots may share one server). */
	prefix?: string;
}

/**
 * Opens the store named by STORE_URL: `sqlite://<path>` (a relative path is relative to the working directory;
 * the folder is created), `redis://…` / `rediss://…`, or `memory://` for tests.
 */
export async function openStore(url: string, options: OpenStoreOptions): Promise<Store> {
	const store = await openKeyvStore(url, options);
	const indexed = await store.indexOlderSongs();
	if (indexed > 0) options.log.info({ songs: indexed }, 'indexed the library for search');
	return store;
}

async function openKeyvStore(url: string, options: OpenStoreOptions): Promise<KeyvStore> {
	// Each backend is loaded on first use: the Redis client alone adds about 10 MB to a process that runs on SQLite.
	if (url.startsWith('sqlite://')) {
		const { openSqliteBackend } = await import('./sqlite.ts');
		return new KeyvStore(await openSqliteBackend(url.slice('sqlite://'.length)));
	}
	if (url.startsWith('redis://') || url.startsWith('rediss://')) {
		const { openRedisBackend } = await import('./redis.ts');
		const redisOptions =
			options.prefix === undefined ? { log: options.log } : { log: options.log, prefix: options.prefix };
		return new KeyvStore(await openRedisBackend(url, redisOptions));
	}
	if (url === 'memory://') return new KeyvStore(createMemoryBackend());
	throw new Error('STORE_URL must start with sqlite://, redis://, rediss:// or be memory://');
}

/** An in-memory store (tests, dry runs). */
export function createMemoryStore(): Store {
	return new KeyvStore(createMemoryBackend());
}

/** How the processes sharing a store share its tasks: leases and the inbox of forwarded updates. */
export interface Coordination {
	leases: FleetOptions['leases'];
	inbox?: FleetOptions['inbox'];
	close(): Promise<void>;
}

/**
 * Leases and inbox on the Redis of STORE_URL (several processes), or undefined for SQLite and memory stores:
 * one process, whose tracker then keeps its leases in memory.
 */
export async function openCoordination(url: string, options: OpenStoreOptions): Promise<Coordination | undefined> {
	if (!url.startsWith('redis://') && !url.startsWith('rediss://')) return undefined;
	const { openRedisCoordination } = await import('./redis-coordination.ts');
	return openRedisCoordination(url, options.prefix === undefined ? { log: options.log } : options);
}
