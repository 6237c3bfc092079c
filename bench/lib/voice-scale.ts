import { setTimeout as sleep } from 'node:timers/promises';
import type { VoiceServer } from '../../test/doubles/discord/voice/server.ts';
import type { StallMonitor } from '../../test/doubles/discord/voice/stalls.ts';
import { type Lateness, lateness } from './lateness.ts';
import { processCpuSec } from './usage.ts';
import type { VoiceResult } from './voice-side.ts';
import type { WorkerHandle } from './worker.ts';

/**
 * How many guild players one side sustains: 1, 2, 4, … players at once, each step in a fresh worker. A step passes
 * when, in every guild, no frame of a `windowMs` window (after every guild has started and `warmupMs` more) arrives
 * more than LATE_MS late and none is an underrun. A failed step is tried once more (another tenant of this shared
 * machine can cause one late frame); the first step that fails twice ends the climb.
 */

export const LATE_MS = 60;

export interface ScaleOptions {
	steps: number[];
	warmupMs: number;
	windowMs: number;
	/** No new step starts after this long. */
	capMs: number;
}

export interface Step {
	players: number;
	pass: boolean;
	attempts: number;
	/** Worst figures over all guilds (frames: the fewest any guild had in the window). */
	worst: Lateness;
	/** Guilds with less than 90 % of the window's frames (never started in time, or cut off). */
	starved: number;
	/** Orchestrator CPU during the window, % of one core (the double decrypts every frame). */
	doubleCpuPct: number;
	/** The side's own CPU during the window, % of one core: what the players cost, whatever else runs. */
	sideCpuPct: number;
}

export async function stepUp(
	options: ScaleOptions,
	server: VoiceServer,
	stalls: StallMonitor,
	start: (players: number) => WorkerHandle<VoiceResult>,
): Promise<Step[]> {
	const steps: Step[] = [];
	const began = performance.now();
	for (const players of options.steps) {
		if (performance.now() - began > options.capMs) break;
		let step = await scaleStep(players, options, server, stalls, start(players));
		if (!step.pass) step = { ...(await scaleStep(players, options, server, stalls, start(players))), attempts: 2 };
		steps.push(step);
		if (!step.pass) break;
	}
	return steps;
}

/** The largest number of players that passed. */
export const sustained = (steps: readonly Step[]): number =>
	Math.max(0, ...steps.filter((s) => s.pass).map((s) => s.players));

async function scaleStep(
	players: number,
	options: ScaleOptions,
	server: VoiceServer,
	stalls: StallMonitor,
	worker: WorkerHandle<VoiceResult>,
): Promise<Step> {
	const plays = await new Promise<{ guildId: string }[]>((resolve, reject) => {
		worker.on('playing', (p) => resolve(p as { guildId: string }[]));
		worker.result.catch(reject);
	});
	const guilds = plays.map((p) => p.guildId);
	const joinDeadline = performance.now() + 20_000;
	while (guilds.some((g) => server.frames(g).length === 0) && performance.now() < joinDeadline) await sleep(50);
	await sleep(options.warmupMs);
	const cpu0 = process.cpuUsage();
	const side0 = processCpuSec(worker.pid);
	const from = performance.now();
	await sleep(options.windowMs);
	const to = performance.now();
	const cpu = process.cpuUsage(cpu0);
	const sideCpuSec = processCpuSec(worker.pid) - side0;
	worker.notify('stop');
	await worker.result;
	const measured = guilds.map((g) =>
		lateness(server.frames(g), from, to, (a, b) => stalls.stalledWithin(a, b), LATE_MS),
	);
	server.clearFrames();
	const worst = measured.reduce((w, m) => ({
		frames: Math.min(w.frames, m.frames),
		maxLateMs: Math.max(w.maxLateMs, m.maxLateMs),
		maxLateExcludingStallsMs: Math.max(w.maxLateExcludingStallsMs, m.maxLateExcludingStallsMs),
		framesLate: w.framesLate + m.framesLate,
		silence: w.silence + m.silence,
		lost: w.lost + m.lost,
	}));
	const starved = measured.filter((m) => m.frames < 0.9 * (options.windowMs / 20)).length;
	return {
		players,
		pass: worst.framesLate === 0 && worst.silence === 0 && starved === 0,
		attempts: 1,
		worst,
		starved,
		doubleCpuPct: ((cpu.user + cpu.system) / 1000 / (to - from)) * 100,
		sideCpuPct: ((sideCpuSec * 1000) / (to - from)) * 100,
	};
}
