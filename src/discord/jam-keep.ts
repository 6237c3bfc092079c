import { keptUntil } from '../core/jam-close.ts';
import type { Jam } from '../core/jam.ts';
import type { Store } from '../core/store.ts';
import { indexJamTask } from './jam-library.ts';

/**
 * How a jam is written to the store. An open jam stays until it closes; once its close is over it expires with its
 * songs (RETENTION_DAYS; src/core/jam-close.ts has the rule): the jam and its songs' `jam:task:` entries are written
 * with that TTL, and the store's prune sweeps them from SQLite (Redis expires them itself).
 */

export const jamKey = (threadId: string) => `jam:${threadId}`;

/** The songs made from the jam, each indexed to it: its parts and its full song. */
function songIds(jam: Jam): string[] {
	return [...jam.parts.map((p) => p.taskId), ...(jam.fullSongTaskId ? [jam.fullSongTaskId] : [])];
}

/** Saves the jam with the expiry it should have now; returns it as saved. */
export async function saveJam(store: Store, jam: Jam, retentionMs: number, now: number): Promise<Jam> {
	const expiresAt = keptUntil(jam, retentionMs, now);
	const { expiresAt: _before, ...rest } = jam;
	const saved: Jam = expiresAt === undefined ? rest : { ...rest, expiresAt };
	const options = expiresAt === undefined ? {} : { ttlMs: Math.max(1, expiresAt - now) };
	// The entries before the jam: a crash in between leaves the jam without its expiry, which its next read mends
	// (expiryOutdated), whereas the other order would leave entries nobody ever rewrites. Every save of an expiring
	// jam rewrites them all (a close writes it once or twice), so a part that started as the jam closed expires too.
	if (expiresAt !== undefined || jam.expiresAt !== undefined)
		for (const taskId of songIds(jam)) await indexJamTask(store, taskId, jam.threadId, options);
	await store.setValue(jamKey(jam.threadId), saved, options);
	return saved;
}
