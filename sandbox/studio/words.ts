/**
 * Made-up words for the simulated provider: titles and lyrics built from the person's own prompt, so a take about
 * "a sleepy cat on a rainy sunday" is called *Sleepy Cat* and sings about cats and rain. Deterministic per seed.
 */

const STOP = new Set(
	(
		'a an the and or but of for with about on in at to from by into over under my our your their his her its ' +
		'this that these those is are was were be been it me we you they i he she them us song songs track tune music ' +
		'make write some very really just like style feat featuring please want would should could one two three ' +
		'verse chorus bridge intro outro all any every more most so too up down out'
	).split(' '),
);

/** A small seeded PRNG (mulberry32): the same seed always gives the same sequence. */
export function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** FNV-1a: a stable 32-bit seed from any text. */
export function hash(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return h >>> 0;
}

export function pick<T>(rand: () => number, list: readonly T[]): T {
	return list[Math.floor(rand() * list.length) % list.length] as T;
}

/** Genre and mood words describe the sound, not the subject: they go to the style, not into the lyrics. */
const GENRES = new Set(
	(
		'lo-fi lofi pop rock jazz folk punk metal edm disco funk soul blues country rap hip-hop trap synth synth-pop ' +
		'indie acoustic ambient chill chillwave upbeat cheerful happy sad slow fast dance ballad lullaby anthem ' +
		'instrumental vocals vocal electronic orchestral piano guitar beat beats groove'
	).split(' '),
);

/**
 * The subjects of the prompt: runs of meaningful words between stop words, e.g. "a lo-fi song about a sleepy cat on
 * a rainy sunday" gives ["sleepy cat", "rainy sunday"]. At most three words each, without duplicates.
 */
export function keywords(text: string): string[] {
	const tokens = text
		.toLowerCase()
		.replace(/\[[^\]]*\]/g, ' ')
		.split(/[^\p{L}\p{N}'-]+/u)
		.map((w) => w.replace(/^['-]+|['-]+$/g, ''));
	const phrases: string[] = [];
	let run: string[] = [];
	const flush = () => {
		if (run.length > 0) phrases.push(run.slice(-3).join(' '));
		run = [];
	};
	for (const word of tokens) {
		const meaningful = word.length >= 3 && !STOP.has(word) && !GENRES.has(word) && !/^\d+$/.test(word);
		if (meaningful) run.push(word);
		else if (word !== '') flush();
	}
	flush();
	return [...new Set(phrases)];
}

const cap = (phrase: string): string =>
	phrase.replace(/(^|[\s-])(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());

const first = (line: string): string => line.charAt(0).toUpperCase() + line.slice(1);

const TITLES = [
	(a: string) => `The ${cap(a)} Song`,
	(a: string, b: string) => `${cap(a)} in the ${cap(b)}`,
	(a: string) => `Ballad of the ${cap(a)}`,
	(a: string, b: string) => `${cap(a)} & ${cap(b)}`,
	(a: string) => `${cap(a)} (All Night Long)`,
	(a: string, b: string) => `Where the ${cap(a)} Meets the ${cap(b)}`,
];

/** A title from the prompt's own words. */
export function titleFrom(prompt: string, seed: number): string {
	const rand = random(seed);
	const words = keywords(prompt);
	if (words.length === 0) return pick(rand, ['Untitled Jam', 'Sandbox Serenade', 'A Little Tune', 'Demo Tape']);
	const a = pick(rand, words.slice(0, 3));
	const rest = words.filter((w) => w !== a);
	if (rest.length === 0 && rand() < 0.5) return cap(a).slice(0, 80);
	const b = rest.length > 0 ? pick(rand, rest.slice(0, 3)) : pick(rand, ['night', 'heart', 'road', 'light']);
	return pick(rand, TITLES)(a, b).slice(0, 80);
}

const LINES = [
	(w: string) => `I keep on thinking of the ${w}`,
	(w: string) => `Under the ${w} we sing along`,
	(w: string) => `Every little ${w} is calling me home`,
	(w: string, v: string) => `Oh the ${w} and the ${v}`,
	(w: string) => `We were dancing with the ${w} all night`,
	(w: string) => `Tell me where the ${w} goes`,
	(w: string, v: string) => `${first(w)} in my pocket, ${v} in my eyes`,
	(w: string) => `Hold on to the ${w} a little longer`,
	(w: string) => `Nobody sings about the ${w} like we do`,
	(w: string, v: string) => `From the ${w} to the ${v} and back again`,
	(w: string) => `Whisper it softly, ${w}`,
	(w: string) => `The ${w} was all we ever knew`,
];

const HOOKS = [
	(w: string) => `${first(w)}, ${w}, don't fade away`,
	(w: string) => `Oh-oh, ${w}, stay with me tonight`,
	(w: string) => `Sing it loud for the ${w}`,
	(w: string) => `La la la, the ${w} is here to stay`,
];

/** Lyrics with a verse, a chorus and a second verse, made of the prompt's words. */
export function lyricsFrom(prompt: string, seed: number): string {
	const rand = random(seed);
	const found = keywords(prompt);
	const words = found.length > 0 ? found : ['night', 'heart', 'road', 'light', 'summer'];
	const word = () => pick(rand, words);
	const line = () => {
		const w = word();
		const others = words.filter((x) => x !== w);
		return pick(rand, LINES)(w, others.length > 0 ? pick(rand, others) : 'night');
	};
	const hook = pick(rand, HOOKS)(words[0] as string);
	const verse = () => [line(), line(), line(), line()];
	const chorus = [hook, line(), hook, line()];
	return ['[Verse 1]', ...verse(), '', '[Chorus]', ...chorus, '', '[Verse 2]', ...verse(), '', '[Chorus]', ...chorus]
		.join('\n')
		.trim();
}

/** A style when the person gave none, in the mood of the prompt. */
export function styleFrom(prompt: string, seed: number): string {
	const rand = random(seed);
	const minor = isMinor(prompt);
	return pick(
		rand,
		minor
			? ['dreamy lo-fi, soft piano', 'melancholic indie, warm synths', 'late-night chillwave']
			: ['sunny indie pop, bright keys', 'upbeat synth-pop', 'feel-good acoustic pop'],
	);
}

/** Sad, dark or night-time prompts get a minor key, unless they also ask for something cheerful. */
export function isMinor(prompt: string): boolean {
	if (/upbeat|happy|cheer|summer|sunny|dance|party|joy|celebrat/i.test(prompt)) return false;
	return /sad|rain|night|dark|lonely|blue|melanchol|winter|cry|lost|ghost|moon|storm|goodbye|miss/i.test(prompt);
}
