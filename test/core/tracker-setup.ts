import { createTracker, type TrackerOptions } from '../../src/core/tracker.ts';
import { createLogger } from '../../src/log.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { MemoryAudio, MemorySink, ScriptedProvider } from './scripted.ts';

/** The tracker over a scripted provider, an in-memory store, sink and audio cache (for fake timers). */

export const log = createLogger({ level: 'silent', secrets: [], pretty: false });
export const options: TrackerOptions = {
	timing: { fastMs: 5_000, slowMs: 30_000, safetyMs: 60_000, callbacks: false },
	deadlines: { stallMs: 600_000, taskTimeoutMs: 3_600_000 },
	retentionMs: 0,
	deliveryRetry: { maxAttempts: 4, baseDelayMs: 5_000, maxDelayMs: 60_000 },
};
export const who = {
	requester: { userId: '1', name: 'ana' },
	place: { guildId: 'g1', channelId: 'c1', messageId: 'tm1' },
};
export const song = {
	action: 'generate' as const,
	request: { mode: 'custom' as const, model: 'v5' as const, lyrics: 'la' },
};

export function setup(overrides: Partial<TrackerOptions> = {}, batchSize = 100) {
	const provider = new ScriptedProvider('newapi', batchSize);
	const store = createMemoryStore();
	const sink = new MemorySink();
	const audio = new MemoryAudio();
	const tracker = createTracker({
		provider,
		store,
		sink,
		audio,
		log,
		options: { ...options, ...overrides },
		random: () => 0.5,
	});
	return { provider, store, sink, audio, tracker };
}
