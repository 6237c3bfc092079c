/**
 * Plays a song plan (plan.ts) into interleaved 16-bit stereo PCM: a soft pad on the chords, a plucked bass, the
 * melody in the take's timbre, a quiet kick and shaker, then fades, gentle saturation and normalisation. ffmpeg
 * encodes the result (render.ts). Pure: the same plan gives the same samples.
 */
import type { Note, SongPlan } from './plan.ts';
import { random } from './words.ts';

const hz = (midi: number): number => 440 * 2 ** ((midi - 69) / 12);

/** Renders the plan to interleaved 16-bit stereo PCM at `rate` Hz. */
export function renderPcm(plan: SongPlan, rate = 44_100): Int16Array {
	const frames = Math.ceil(plan.durationSec * rate);
	const left = new Float32Array(frames);
	const right = new Float32Array(frames);
	const add = (n: Note, gainL: number, gainR: number, voice: (t: number, f: number) => number, tail: number) => {
		const start = Math.floor(n.at * rate);
		const end = Math.min(frames, Math.floor((n.at + n.length + tail) * rate));
		const f = hz(n.midi);
		for (let i = start; i < end; i++) {
			const t = (i - start) / rate;
			const release = t > n.length ? Math.max(0, 1 - (t - n.length) / tail) : 1;
			const s = voice(t, f) * release;
			left[i] = (left[i] as number) + s * gainL;
			right[i] = (right[i] as number) + s * gainR;
		}
	};
	const TAU = 2 * Math.PI;
	for (const chord of plan.chords)
		for (const n of chord) {
			add(
				n,
				0.05,
				0.05,
				(t, f) => Math.min(1, t / 0.35) * (Math.sin(TAU * f * t) + 0.4 * Math.sin(TAU * f * 2.003 * t)),
				0.5,
			);
		}
	for (const n of plan.bass)
		add(
			n,
			0.2,
			0.2,
			(t, f) => Math.min(1, t / 0.01) * Math.exp(-t / 0.5) * (Math.sin(TAU * f * t) + 0.25 * Math.sin(TAU * 2 * f * t)),
			0.08,
		);
	const timbres = [
		(t: number, f: number) =>
			Math.min(1, t / 0.008) *
			Math.exp(-t / 0.7) *
			(Math.sin(TAU * f * t) +
				0.35 * Math.exp(-t / 0.25) * Math.sin(TAU * 2 * f * t) +
				0.1 * Math.sin(TAU * 3 * f * t)),
		(t: number, f: number) =>
			Math.min(1, t / 0.004) *
			Math.exp(-t / 0.28) *
			(Math.sin(TAU * f * t) + 0.5 * Math.exp(-t / 0.05) * Math.sin(TAU * 4 * f * t)),
		(t: number, f: number) =>
			Math.min(1, t / 0.06) *
			(1 + 0.004 * Math.sin(TAU * 5 * t)) *
			(Math.sin(TAU * f * t) + 0.15 * Math.sin(TAU * 2 * f * t)),
	];
	const lead = timbres[plan.timbre] ?? timbres[0]!;
	for (const n of plan.melody) add(n, 0.17, 0.21, lead, 0.12);
	if (plan.drums) addDrums(plan, rate, left, right);
	return master(left, right, rate);
}

/** A soft kick on beats one and three and a quiet shaker on the eighths. */
function addDrums(plan: SongPlan, rate: number, left: Float32Array, right: Float32Array): void {
	const beat = 60 / plan.bpm;
	const noise = random(plan.bpm * 7919 + plan.root);
	const hit = (at: number, length: number, sample: (t: number) => number) => {
		const start = Math.floor(at * rate);
		for (let i = start; i < Math.min(left.length, start + Math.floor(length * rate)); i++) {
			const s = sample((i - start) / rate);
			left[i] = (left[i] as number) + s;
			right[i] = (right[i] as number) + s;
		}
	};
	const beats = plan.bars * 4 - 4;
	for (let b = 0; b < beats; b++) {
		if (b % 2 === 0)
			hit(
				b * beat,
				0.25,
				(t) => 0.35 * Math.exp(-t / 0.07) * Math.sin(2 * Math.PI * (45 * t + 90 * 0.04 * (1 - Math.exp(-t / 0.04)))),
			);
		for (const half of [0, 0.5]) {
			let previous = 0;
			hit((b + half) * beat, 0.06, (t) => {
				const white = noise() * 2 - 1;
				const high = white - previous;
				previous = white;
				return 0.018 * (half ? 1 : 0.6) * Math.exp(-t / 0.02) * high;
			});
		}
	}
}

/** Fades, a gentle saturation and normalisation to just under full scale. */
function master(left: Float32Array, right: Float32Array, rate: number): Int16Array {
	const frames = left.length;
	const fadeIn = 0.05 * rate;
	const fadeOut = 1.5 * rate;
	let peak = 1e-9;
	for (let i = 0; i < frames; i++) {
		const fade = Math.min(1, i / fadeIn, (frames - i) / fadeOut);
		left[i] = Math.tanh((left[i] as number) * fade * 1.2);
		right[i] = Math.tanh((right[i] as number) * fade * 1.2);
		peak = Math.max(peak, Math.abs(left[i] as number), Math.abs(right[i] as number));
	}
	const gain = (0.89 / peak) * 32_767;
	const pcm = new Int16Array(frames * 2);
	for (let i = 0; i < frames; i++) {
		pcm[2 * i] = Math.round((left[i] as number) * gain);
		pcm[2 * i + 1] = Math.round((right[i] as number) * gain);
	}
	return pcm;
}
