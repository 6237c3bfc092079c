import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { TranscodeCache } from '../../src/voice/cache.ts';
import { createTakeAudio } from '../../src/voice/index.ts';
import { createGuardedAgent } from '../../src/audio/guard.ts';
import { VoiceManager, type VoiceManagerOptions } from '../../src/voice/manager.ts';
import type { PlayerEvents, Take } from '../../src/voice/types.ts';
import { createTestVoiceGateway, type TestVoiceGateway } from '../doubles/discord/voice/adapter.ts';
import { isSilence } from '../doubles/discord/voice/frames.ts';
import { demuxOggOpus } from '../doubles/discord/voice/ogg.ts';
import { startVoiceServer, type VoiceServer } from '../doubles/discord/voice/server.ts';
import { trustCertificate } from '../doubles/discord/voice/trust.ts';

/**
 * The voice engine under test against the voice server of the Discord double, with a test gateway adapter in
 * place of discord.js (no gateway needed): what the bot sends is decrypted and measured at the double.
 */

export const BOT_ID = '100000000000000009';
export const CHANNEL = '300000000000000001';
export const OTHER_CHANNEL = '300000000000000002';
export const fixture = (name: string) => new URL(`../fixtures/audio/${name}`, import.meta.url).pathname;

export interface VoiceHarness {
	server: VoiceServer;
	gateway: TestVoiceGateway;
	cache: TranscodeCache;
	dir: string;
	/** A fresh guild id per call, so tests never share a connection. */
	guild(): string;
	manager(options?: Partial<VoiceManagerOptions>): VoiceManager;
	/** A short mp3 take made with ffmpeg (a sine of `seconds`). */
	makeTake(id: string, seconds: number, frequency?: number): Take;
	fileTake(id: string, file: string): Take;
	/** The Opus packets of a take as cached, i.e. what the bot should send for it. */
	cachedPackets(take: Take): Promise<string[]>;
	/** The non-silence frames the double received for a guild, as hex. */
	audioFrames(guildId: string): string[];
	close(): Promise<void>;
}

export async function startVoiceHarness(): Promise<VoiceHarness> {
	const server = await startVoiceServer();
	trustCertificate(server.certPem);
	const gateway = createTestVoiceGateway(server, BOT_ID);
	const dir = mkdtempSync(join(tmpdir(), 'voice-engine-'));
	const cache = new TranscodeCache({ dir: join(dir, 'cache'), maxBytes: 50_000_000 });
	const managers: VoiceManager[] = [];
	let guildSeq = 0;
	const base = `2${String(process.pid).padStart(8, '0')}`;

	return {
		server,
		gateway,
		cache,
		dir,
		guild: () => `${base}${String(guildSeq++).padStart(9, '0')}`,
		manager(options = {}) {
			const manager = new VoiceManager({
				// The test servers are on 127.0.0.1 over http.
				audio: createTakeAudio({ cache, allowHttp: true, dispatcher: createGuardedAgent({ allowPrivate: true }) }),
				leaveAfterEndMs: 60_000,
				leaveWhenEmptyMs: 60_000,
				...options,
			});
			managers.push(manager);
			return manager;
		},
		makeTake(id, seconds, frequency = 440) {
			const path = join(dir, `${id}.mp3`);
			const source = `sine=frequency=${frequency}:duration=${seconds}`;
			execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-ac', '2', '-b:a', '64k', path]);
			return { id, title: `Take ${id}`, durationSec: seconds, source: { kind: 'file', path } };
		},
		fileTake: (id, file) => ({ id, title: `Take ${id}`, source: { kind: 'file', path: fixture(file) } }),
		async cachedPackets(take) {
			if (take.source.kind !== 'file') throw new Error('only file takes are cached');
			const path = await cache.get(take.id, take.source.path);
			return demuxOggOpus(readFileSync(path)).packets.map((p) => p.toString('hex'));
		},
		audioFrames: (guildId) =>
			server
				.frames(guildId)
				.filter((f) => !isSilence(f))
				.map((f) => f.opus.toString('hex')),
		async close() {
			for (const manager of managers) manager.destroy();
			await server.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Records the events of a manager in order, for assertions on what a user would have been shown. */
export function recordEvents(manager: VoiceManager) {
	const log: { name: keyof PlayerEvents; take?: string; reason?: string; error?: Error; status?: string }[] = [];
	manager.on('trackStart', (e) => log.push({ name: 'trackStart', take: e.entry.take.id }));
	manager.on('trackEnd', (e) => log.push({ name: 'trackEnd', take: e.entry.take.id, reason: e.reason }));
	manager.on('trackError', (e) => log.push({ name: 'trackError', take: e.entry.take.id, error: e.error }));
	manager.on('leave', (e) => log.push({ name: 'leave', reason: e.reason }));
	manager.on('reconnecting', () => log.push({ name: 'reconnecting' }));
	manager.on('update', (s) => log.push({ name: 'update', status: s.status }));
	const without = (name: keyof PlayerEvents) => log.filter((e) => e.name !== name);
	return { log, lifecycle: () => without('update') };
}

/** Resolves on the first event of `name` that matches. */
export function nextEvent<K extends keyof PlayerEvents>(
	manager: VoiceManager,
	name: K,
	match: (...args: PlayerEvents[K]) => boolean = () => true,
	timeoutMs = 15_000,
): Promise<PlayerEvents[K]> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ${String(name)} event within ${timeoutMs} ms`)), timeoutMs);
		const listener = (...args: PlayerEvents[K]) => {
			if (!match(...args)) return;
			clearTimeout(timer);
			manager.off(name, listener as never);
			resolve(args);
		};
		// EventEmitter's listener type is a conditional type TypeScript cannot resolve for a generic K.
		manager.on(name, listener as never);
	});
}
