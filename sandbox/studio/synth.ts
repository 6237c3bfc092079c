/**
 * A tiny seeded songwriter and synthesiser: a chord progression in a key chosen from the prompt, a bass line, a pad,
 * soft drums, and a melody whose motif and timbre change with every take. Produces interleaved stereo PCM that
 * ffmpeg turns into an mp3 (render.ts). Pure and deterministic: the same seeds give the same samples.
 */
import { isMinor, pick, random } from './words.ts';

const SCALES = {
	major: [0, 2, 4, 5, 7, 9, 11],
	mixolydian: [0, 2, 4, 5, 7, 9, 10],
	minor: [0, 2, 3, 5, 7, 8, 10],
	dorian: [0, 2, 3, 5, 7, 9, 10],
};
const MAJOR_PROGRESSIONS = [
	[0, 4, 5, 3],
	[0, 5, 3, 4],
	[3, 0, 4, 5],
	[0, 3, 0, 4],
];
const MINOR_PROGRESSIONS = [
	[0, 5, 2, 6],
	[0, 3, 4, 0],
	[0, 6, 5, 6],
	[5, 6, 0, 0],
];
/** Rhythms of one bar in eighth notes; negative values are rests. */
const RHYTHMS = [
	[2, 2, 2, 2],
	[1, 1, 2, 1, 1, 2],
	[3, 1, 2, 2],
	[2, 1, 1, 4],
	[1, 1, 1, 1, 2, -2],
	[4, 2, 2],
	[-1, 1, 2, 1, 1, 2],
];

export interface Note {
	/** Start and length in seconds. */
	at: number;
	length: number;
	midi: number;
}

export interface SongPlan {
	bpm: number;
	/** MIDI note of the key's root (around middle C). */
	root: number;
	scale: readonly number[];
	bars: number;
	durationSec: number;
	/** 0: electric piano, 1: marimba-like pluck, 2: soft flute. */
	timbre: number;
	drums: boolean;
	chords: Note[][];
	bass: Note[];
	melody: Note[];
}

/** The song: `promptSeed` fixes key, mode and tempo (the prompt's mood); `takeSeed` the melody and sound. */
export function planSong(prompt: string, promptSeed: number, takeSeed: number): SongPlan {
	const base = random(promptSeed);
	const take = random(takeSeed);
	const minor = isMinor(prompt);
	const calm = /lo-?fi|chill|sleep|slow|ballad|calm|lullaby|ambient|soft|dream/i.test(prompt);
	const lively = /dance|party|fast|rock|punk|energ|edm|disco|run|happy|summer/i.test(prompt);
	const scale = minor ? (base() < 0.6 ? SCALES.minor : SCALES.dorian) : base() < 0.7 ? SCALES.major : SCALES.mixolydian;
	const root = 55 + Math.floor(base() * 9);
	const tempo = calm ? 74 + base() * 12 : lively ? 116 + base() * 14 : 92 + base() * 18;
	const bpm = Math.round(tempo + (take() - 0.5) * 10);
	const beat = 60 / bpm;
	const barSec = beat * 4;
	const bars = Math.max(8, Math.min(16, Math.round(26 / barSec / 4) * 4));
	const progression = pick(base, minor ? MINOR_PROGRESSIONS : MAJOR_PROGRESSIONS);
	const note = (degree: number, octave = 0): number => {
		const wrapped = ((degree % 7) + 7) % 7;
		return root + 12 * (octave + Math.floor(degree / 7)) + (scale[wrapped] as number);
	};
	const chords: Note[][] = [];
	const bass: Note[] = [];
	for (let bar = 0; bar < bars; bar++) {
		const degree = bar === bars - 1 ? 0 : (progression[bar % progression.length] as number);
		const at = bar * barSec;
		chords.push([0, 2, 4].map((step) => ({ at, length: barSec, midi: note(degree + step) })));
		const pattern = bpm > 110 ? [0, 1, 2, 3] : [0, 2, 2.5];
		for (const beatAt of pattern) bass.push({ at: at + beatAt * beat, length: beat * 0.9, midi: note(degree, -2) });
	}
	const melody = writeMelody(take, bars, barSec, progression, note);
	return {
		bpm,
		root,
		scale,
		bars,
		durationSec: bars * barSec + 1.5,
		timbre: Math.floor(take() * 3),
		drums: !calm || take() < 0.5,
		chords,
		bass,
		melody,
	};
}

/** A two-bar motif, repeated with variations (A A' B A), landing on the root at the end. */
function writeMelody(
	rand: () => number,
	bars: number,
	barSec: number,
	progression: readonly number[],
	note: (degree: number, octave?: number) => number,
): Note[] {
	const eighth = barSec / 8;
	const motif = (): { rhythm: number[]; steps: number[] }[] =>
		[0, 1].map(() => {
			const rhythm = pick(rand, RHYTHMS);
			return { rhythm, steps: rhythm.map(() => pick(rand, [-2, -1, -1, 0, 1, 1, 2, 3])) };
		});
	const a = motif();
	const b = motif();
	const melody: Note[] = [];
	let degree = 4;
	for (let bar = 0; bar < bars; bar++) {
		const section = Math.floor(bar / 2) % 4;
		const phrase = (section === 2 ? b : a)[bar % 2] as { rhythm: number[]; steps: number[] };
		const chordRoot = bar === bars - 1 ? 0 : (progression[bar % progression.length] as number);
		let t = bar * barSec;
		phrase.rhythm.forEach((units, i) => {
			const length = Math.abs(units) * eighth;
			if (units > 0) {
				let step = phrase.steps[i] as number;
				if (section === 1 && i === phrase.rhythm.length - 1) step = -step;
				degree = Math.max(0, Math.min(9, degree + step));
				// Strong beats snap to a tone of the chord, which is what makes it sound intentional.
				if (i === 0) degree = nearestChordTone(degree, chordRoot);
				const last = bar === bars - 1 && i === 0;
				melody.push({ at: t, length: last ? barSec : length * 0.95, midi: note(last ? 7 : degree, 1) });
			}
			t += length;
			if (bar === bars - 1 && i === 0) t = Infinity;
		});
	}
	return melody.filter((n) => Number.isFinite(n.at));
}

function nearestChordTone(degree: number, chordRoot: number): number {
	const tones = [-7, 0, 7].flatMap((o) => [0, 2, 4].map((s) => chordRoot + s + o)).filter((d) => d >= 0 && d <= 9);
	return tones.reduce((best, d) => (Math.abs(d - degree) < Math.abs(best - degree) ? d : best), tones[0] ?? degree);
}

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
			add(n, 0.05, 0.05, (t, f) => Math.min(1, t / 0.35) * (Math.sin(TAU * f * t) + 0.4 * Math.sin(TAU * f * 2.003 * t)), 0.5);
		}
	for (const n of plan.bass)
		add(n, 0.2, 0.2, (t, f) => Math.min(1, t / 0.01) * Math.exp(-t / 0.5) * (Math.sin(TAU * f * t) + 0.25 * Math.sin(TAU * 2 * f * t)), 0.08);
	const timbres = [
		(t: number, f: number) =>
			Math.min(1, t / 0.008) *
			Math.exp(-t / 0.7) *
			(Math.sin(TAU * f * t) + 0.35 * Math.exp(-t / 0.25) * Math.sin(TAU * 2 * f * t) + 0.1 * Math.sin(TAU * 3 * f * t)),
		(t: number, f: number) =>
			Math.min(1, t / 0.004) * Math.exp(-t / 0.28) * (Math.sin(TAU * f * t) + 0.5 * Math.exp(-t / 0.05) * Math.sin(TAU * 4 * f * t)),
		(t: number, f: number) =>
			Math.min(1, t / 0.06) * (1 + 0.004 * Math.sin(TAU * 5 * t)) * (Math.sin(TAU * f * t) + 0.15 * Math.sin(TAU * 2 * f * t)),
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
			hit(b * beat, 0.25, (t) => 0.35 * Math.exp(-t / 0.07) * Math.sin(2 * Math.PI * (45 * t + 90 * 0.04 * (1 - Math.exp(-t / 0.04)))));
		for (const half of [0, 0.5]) {
			let previous = 0;
			hit((b + half) * beat, 0.06, (t) => {
				const white = noise() * 2 - 1;
				const high = white - previous;
				previous = white;
				return 0.025 * (half ? 1 : 0.6) * Math.exp(-t / 0.02) * high;
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
