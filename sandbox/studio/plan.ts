/**
 * A tiny seeded songwriter: a key, mode and tempo chosen from the prompt's mood, a chord progression with its bass
 * line, and a melody whose motif and sound change with every take. Pure and deterministic: the same seeds give the
 * same song. synth.ts plays it.
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
		for (const [i, units] of phrase.rhythm.entries()) {
			const length = Math.abs(units) * eighth;
			if (units > 0) {
				let step = phrase.steps[i] as number;
				if (section === 1 && i === phrase.rhythm.length - 1) step = -step;
				degree = Math.max(0, Math.min(9, degree + step));
				// Strong beats snap to a tone of the chord, which is what makes it sound intentional.
				if (i === 0) degree = nearestChordTone(degree, chordRoot);
			}
			// The last bar is one long note on the octave of the root: the song ends at home.
			if (bar === bars - 1) {
				melody.push({ at: t, length: barSec, midi: note(7, 1) });
				break;
			}
			if (units > 0) melody.push({ at: t, length: length * 0.95, midi: note(degree, 1) });
			t += length;
		}
	}
	return melody;
}

function nearestChordTone(degree: number, chordRoot: number): number {
	const tones = [-7, 0, 7].flatMap((o) => [0, 2, 4].map((s) => chordRoot + s + o)).filter((d) => d >= 0 && d <= 9);
	return tones.reduce((best, d) => (Math.abs(d - degree) < Math.abs(best - degree) ? d : best), tones[0] ?? degree);
}
