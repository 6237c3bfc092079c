import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVoiceServer, type VoiceServer } from '../test/doubles/discord/voice/server.ts';
import { StallMonitor } from '../test/doubles/discord/voice/stalls.ts';
import type { VoiceGrant } from '../test/doubles/discord/voice-backend.ts';
import type { Row, ScenarioResult } from './lib/report-types.ts';
import { median, sig } from './lib/stats.ts';
import { makeTake } from './lib/take.ts';
import type { GrantRequest } from './lib/voice-link.ts';
import { LATE_MS, type ScaleOptions, type Step, stepUp, sustained } from './lib/voice-scale.ts';
import type { VoiceInput, VoiceResult } from './lib/voice-side.ts';
import { startWorker } from './lib/worker.ts';

/**
 * Scenario 2: the same take through our cached Ogg/Opus path (bench/workers/voice-engine.ts) and through
 * @discordjs/voice's default `createAudioResource(mp3)`, its PCM + in-process Opus pipeline and, for issue 18, the
 * cached file through the library alone (ours before; bench/baselines/voice-default.ts), each side in its own process, against the voice server of the Discord double
 * running here. Order: play→first-packet latency (ours first, which also fills the transcode cache), CPU and RSS of
 * one whole play (all sides at once: each is light), then how many simultaneous guild players each side sustains.
 */

export interface VoiceOptions {
	takeSec: number;
	latencyRuns: number;
	scale: ScaleOptions;
	resultsDir: string;
}

type Side = 'ours' | 'default' | 'pcm' | 'previous';
const SIDES: readonly Side[] = ['ours', 'default', 'pcm', 'previous'];
const ENTRY = {
	ours: new URL('./workers/voice-engine.ts', import.meta.url),
	baseline: new URL('./baselines/voice-default.ts', import.meta.url),
};
const LABEL: Record<Side, string> = {
	ours: 'ours',
	default: 'default path',
	pcm: 'PCM + opusscript path',
	previous: 'previous path (ours before issue 18)',
};
const PLAYERS_TARGET = 256;

interface Raw {
	options: VoiceOptions;
	latencyMs: Record<Side, number[]>;
	cpu: Record<Side, VoiceResult & { heardSec: number }>;
	transcode: { cpuSec: number; wallSec: number };
	scale: Record<Side, Step[]>;
	violations: readonly string[];
}

export async function voice(options: VoiceOptions): Promise<ScenarioResult> {
	const takePath = makeTake(options.resultsDir, options.takeSec);
	const server = await startVoiceServer();
	const stalls = new StallMonitor();
	const cacheDir = mkdtempSync(join(tmpdir(), 'songbot-bench-voice-'));
	let runs = 0;
	const start = (side: Side, input: Pick<VoiceInput, 'mode' | 'players' | 'runs'>, timeoutMs: number) => {
		const worker = startWorker<VoiceResult>(
			side === 'ours' ? ENTRY.ours : ENTRY.baseline,
			{
				...input,
				...(side === 'ours' ? {} : { variant: side }),
				takePath,
				takeSec: options.takeSec,
				cacheDir,
				certPem: server.certPem,
				guildPrefix: `${SIDES.indexOf(side) + 7}${String(++runs).padStart(4, '0')}000`,
			} satisfies VoiceInput,
			{
				name: `voice ${side} ${input.mode}`,
				timeoutMs,
				calls: {
					grant: (request) => server.grant(request as GrantRequest) satisfies VoiceGrant,
					firstFrame: (payload) => firstFrameAt(server, (payload as { guildId: string }).guildId),
				},
			},
		);
		worker.on('revoke', (p) => server.revoke((p as GrantRequest).guildId, (p as GrantRequest).userId));
		return worker;
	};

	try {
		const latencyMs = { ours: [], default: [], pcm: [], previous: [] } as Record<Side, number[]>;
		let transcode = { cpuSec: Number.NaN, wallSec: Number.NaN };
		for (const side of SIDES) {
			const result = await start(side, { mode: 'latency', players: 1, runs: options.latencyRuns }, 120_000).result;
			if (side === 'ours')
				transcode = { cpuSec: result.prepareCpuSec ?? Number.NaN, wallSec: result.prepareWallSec ?? Number.NaN };
			for (const play of result.plays) latencyMs[side].push(firstArrival(server, play.guildId) - play.at);
		}
		server.clearFrames();
		const timeoutMs = options.takeSec * 1000 + 120_000;
		const results = await Promise.all(
			SIDES.map((side) => start(side, { mode: 'cpu', players: 1, runs: 0 }, timeoutMs).result),
		);
		const cpu = Object.fromEntries(
			SIDES.map((side, i) => {
				const result = results[i] as VoiceResult;
				const heardSec = server.stats(result.plays[0]?.guildId ?? '').audioFrames * 0.02;
				return [side, { ...result, heardSec }];
			}),
		) as Raw['cpu'];
		server.clearFrames();
		const scale = { ours: [], default: [], pcm: [], previous: [] } as Record<Side, Step[]>;
		for (const side of SIDES) {
			scale[side] = await stepUp(options.scale, server, stalls, (players) =>
				start(side, { mode: 'scale', players, runs: 0 }, 120_000),
			);
		}
		const raw: Raw = { options, latencyMs, cpu, transcode, scale, violations: [...server.violations] };
		return { name: 'voice', rows: rows(raw), notes: notes(raw), raw };
	} finally {
		stalls.stop();
		await server.close();
		rmSync(cacheDir, { recursive: true, force: true });
	}
}

async function firstFrameAt(server: VoiceServer, guildId: string): Promise<number> {
	await server.waitFor(() => server.frames(guildId).length > 0, { timeoutMs: 20_000, what: `a frame of ${guildId}` });
	return firstArrival(server, guildId);
}

/** Epoch ms at which the guild's first frame reached the double (the workers stamp play() the same way). */
function firstArrival(server: VoiceServer, guildId: string): number {
	const first = server.frames(guildId)[0];
	return first ? performance.timeOrigin + first.arrivedAt : Number.NaN;
}

function rows(raw: Raw): Row[] {
	const { takeSec } = raw.options;
	const scenario = `Voice, one ${takeSec >= 60 ? `${sig(takeSec / 60, 2)}-minute` : `${takeSec}-s`} take`;
	const perMinute = (side: Side) => {
		const usage = raw.cpu[side].usage;
		return usage ? (usage.cpuSec + usage.childCpuSec) / (takeSec / 60) : Number.NaN;
	};
	const rss = (side: Side) => raw.cpu[side].usage?.maxRssMb ?? Number.NaN;
	const worst = (side: Side) => Math.max(...raw.latencyMs[side]);
	const ours = perMinute('ours');
	const cpuTarget = (side: Side) => ({ text: '≤ 1/20 of the default path', met: perMinute(side) / ours >= 20 });
	const row = (metric: string, unit: string, o: number, b: number | null, extra: Partial<Row> = {}): Row => ({
		scenario,
		metric,
		unit,
		ours: sig(o),
		baseline: b === null ? null : sig(b),
		better: 'lower',
		...extra,
	});
	const players = `simultaneous players, no frame > ${LATE_MS} ms late`;
	const common = commonStep(raw.scale.ours, raw.scale.previous);
	return [
		row('CPU per minute of audio (bot + ffmpeg), vs default path', 'CPU s', ours, perMinute('default'), {
			target: cpuTarget('default'),
		}),
		row('CPU per minute of audio, vs PCM + opusscript path', 'CPU s', ours, perMinute('pcm'), {
			target: cpuTarget('pcm'),
		}),
		row(`CPU per minute of audio, vs ${LABEL.previous}`, 'CPU s', ours, perMinute('previous')),
		row('one-time transcode to Ogg/Opus (first play of a take)', 'CPU s', raw.transcode.cpuSec, null),
		row('peak RSS while playing, vs default path', 'MB', rss('ours'), rss('default')),
		row('peak RSS while playing, vs PCM + opusscript path', 'MB', rss('ours'), rss('pcm')),
		row(
			`play() → first RTP packet, median of ${raw.latencyMs.ours.length}`,
			'ms',
			median(raw.latencyMs.ours),
			median(raw.latencyMs.default),
		),
		row(`play() → first RTP packet, worst of ${raw.latencyMs.ours.length}`, 'ms', worst('ours'), worst('default'), {
			target: { text: '≤ 300 ms (cached take)', met: worst('ours') <= 300 },
		}),
		row(`${players}, vs default path`, 'players', sustained(raw.scale.ours), sustained(raw.scale.default), {
			better: 'higher',
		}),
		row(`${players}, vs PCM + opusscript path`, 'players', sustained(raw.scale.ours), sustained(raw.scale.pcm), {
			better: 'higher',
		}),
		row(`${players}, vs ${LABEL.previous}`, 'players', sustained(raw.scale.ours), sustained(raw.scale.previous), {
			better: 'higher',
			target: { text: `≥ ${PLAYERS_TARGET} players`, met: sustained(raw.scale.ours) >= PLAYERS_TARGET },
		}),
		...(common
			? [
					row(
						`CPU per player while ${common.players} play, vs ${LABEL.previous}`,
						'% of a core',
						common.ours.sideCpuPct / common.players,
						common.previous.sideCpuPct / common.players,
					),
				]
			: []),
	];
}

/**
 * The largest number of players both sides ran with all players playing (a step may fail on lateness and still
 * measure CPU; one where players never started would flatter the side).
 */
function commonStep(ours: readonly Step[], previous: readonly Step[]) {
	const full = (s: Step) => s.starved === 0;
	const both = ours
		.filter(full)
		.map((o) => ({ players: o.players, ours: o, previous: previous.find((p) => p.players === o.players && full(p)) }))
		.filter((c): c is { players: number; ours: Step; previous: Step } => c.previous !== undefined);
	return both.at(-1);
}

function notes(raw: Raw): string[] {
	const out: string[] = [];
	for (const side of SIDES) {
		const r = raw.cpu[side];
		const u = r.usage;
		out.push(
			`Voice, ${LABEL[side]} (${r.pipeline}): ${r.heardSec.toFixed(1)} s of ${raw.options.takeSec} s heard at the double; ` +
				`own CPU ${u?.cpuSec.toFixed(2)} s (kernel ${u?.systemCpuSec.toFixed(2)} s), ffmpeg ${u?.childCpuSec.toFixed(2)} s; ` +
				`first packet ${raw.latencyMs[side].map((ms) => ms.toFixed(0)).join(', ')} ms.`,
		);
		const steps = raw.scale[side].map(
			(s) =>
				`${s.players}: ${s.pass ? 'ok' : 'FAIL'}${s.attempts > 1 ? ' (2nd try)' : ''}, worst ${s.worst.maxLateExcludingStallsMs.toFixed(0)} ms late ` +
				`(raw ${s.worst.maxLateMs.toFixed(0)}), ${s.worst.framesLate} late, ${s.worst.silence} underruns, ${s.worst.lost} lost, ` +
				`${s.starved} not started or cut off, side ${s.sideCpuPct.toFixed(0)} % CPU, double ${s.doubleCpuPct.toFixed(0)} % CPU`,
		);
		out.push(`Voice players, ${LABEL[side]}: ${steps.join('; ')}.`);
	}
	if (raw.violations.length > 0) out.push(`Voice double protocol violations: ${raw.violations.slice(0, 3).join('; ')}`);
	return out;
}
