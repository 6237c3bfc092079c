import type { DiscordGatewayAdapterCreator } from '@discordjs/voice';
import { type Orchestrator, runWorker } from './ipc.ts';
import { childCpuSec, startUsage, type Usage } from './usage.ts';
import { linkVoice } from './voice-link.ts';

/**
 * The part the two voice workers share (bench/workers/voice-engine.ts, bench/baselines/voice-default.ts): they
 * differ only in how a take is played. Modes:
 * - `cpu`: one take played to its end in one guild; CPU (own + ffmpeg children) and peak RSS for the whole play;
 * - `latency`: `runs` plays one after another, each stopped once the double has its first packet;
 * - `scale`: `players` guilds play at once until the orchestrator, having measured, says `stop`.
 */

export interface VoiceInput {
	mode: 'cpu' | 'latency' | 'scale';
	takePath: string;
	takeSec: number;
	/** Ours: the transcode cache folder (the first worker of a run fills it). */
	cacheDir: string;
	certPem: string;
	/** Guild ids are `${guildPrefix}${n}`, unique per run and side. */
	guildPrefix: string;
	players: number;
	runs: number;
	/**
	 * Baseline only: the library's default pipeline, ffmpeg to PCM with Opus encoded in the process, or the
	 * cached Ogg/Opus file through the library alone (ours before issue 18).
	 */
	variant?: 'default' | 'pcm' | 'previous';
}

export interface VoiceResult {
	plays: { guildId: string; at: number }[];
	/** cpu mode: the play, from play() to the end of the take. */
	usage?: Usage;
	/** Ours: the one-time transcode to Ogg/Opus (ffmpeg CPU) before the first play, if this worker did it. */
	prepareCpuSec?: number;
	prepareWallSec?: number;
	ended: number;
	/** The audio pipeline the side used, in the library's words (e.g. "ffmpeg ogg → ogg/opus demuxer"). */
	pipeline: string;
}

export interface PlayHandle {
	/** Resolves when the take has played to its end. */
	ended: Promise<void>;
	stop(): void;
}

export interface VoiceSide {
	/** Work done once before playing (ours: make sure the take is in the transcode cache). */
	prepare(): Promise<void>;
	play(guildId: string, adapterCreator: DiscordGatewayAdapterCreator): PlayHandle;
	describe(): string;
	shutdown(): void;
}

/** Epoch milliseconds with sub-millisecond precision, comparable across processes. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

async function run(input: VoiceInput, orchestrator: Orchestrator, side: VoiceSide): Promise<VoiceResult> {
	const link = await linkVoice(orchestrator, input.certPem);
	const cpu0 = process.cpuUsage();
	const child0 = childCpuSec();
	const wall0 = performance.now();
	await side.prepare();
	const cpu = process.cpuUsage(cpu0);
	const result: VoiceResult = {
		plays: [],
		ended: 0,
		pipeline: '',
		prepareCpuSec: (cpu.user + cpu.system) / 1e6 + childCpuSec() - child0,
		prepareWallSec: (performance.now() - wall0) / 1000,
	};
	const guilds = Array.from(
		{ length: input.mode === 'latency' ? input.runs : input.players },
		(_, i) => `${input.guildPrefix}${i}`,
	);
	await link.prepare(guilds);
	const play = (guildId: string) => {
		const at = epochMs();
		const handle = side.play(guildId, link.adapterCreator(guildId));
		result.plays.push({ guildId, at });
		void handle.ended.then(() => result.ended++);
		return handle;
	};
	if (input.mode === 'cpu') {
		const usage = startUsage();
		const handle = play(guilds[0] as string);
		await handle.ended;
		handle.stop();
		result.usage = await usage.stop();
	} else if (input.mode === 'latency') {
		for (const guildId of guilds) {
			const handle = play(guildId);
			await orchestrator.call('firstFrame', { guildId });
			handle.stop();
		}
	} else {
		const handles = guilds.map(play);
		orchestrator.notify('playing', result.plays);
		await orchestrator.next('stop');
		for (const handle of handles) handle.stop();
	}
	side.shutdown();
	result.pipeline = side.describe();
	return result;
}

/** Runs a voice worker whose plays go through `side`. */
export function runVoiceWorker(makeSide: (input: VoiceInput) => VoiceSide): void {
	runWorker<VoiceInput, VoiceResult>((input, orchestrator) => run(input, orchestrator, makeSide(input)));
}
