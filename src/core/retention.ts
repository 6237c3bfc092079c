import type { Logger } from '../log.ts';
import type { AudioCache } from './ports.ts';
import type { Store } from './store.ts';

const RETENTION_EVERY_MS = 6 * 3_600_000;

export interface RetentionDeps {
	store: Pick<Store, 'prune'>;
	audio: AudioCache;
	/** Finished songs older than this are pruned (with their audio); 0 keeps them forever. */
	retentionMs: number;
	log: Logger;
	now: () => number;
}

/** Prunes old songs and expired saved state at start and every 6 hours. */
export function createRetention(deps: RetentionDeps) {
	const { store, log } = deps;
	let every: ReturnType<typeof setInterval> | undefined;

	async function pruneOld(): Promise<void> {
		// With retention off no song is old, but expired saved state is still swept (prune(0) removes no song).
		const pruned = await store.prune(deps.retentionMs > 0 ? deps.now() - deps.retentionMs : 0);
		// Intents (and songs that never had a take) have no audio.
		for (const record of pruned) if (record.clips.length > 0) await deps.audio.remove(record.id);
		if (pruned.length > 0) log.info({ pruned: pruned.length }, 'old songs pruned');
	}

	const run = () => pruneOld().catch((error: unknown) => log.warn({ err: error }, 'pruning failed'));

	return {
		async start(): Promise<void> {
			await run();
			every = setInterval(() => void run(), RETENTION_EVERY_MS);
		},
		stop(): void {
			if (every) clearInterval(every);
			every = undefined;
		},
	};
}
