import { randomBytes } from 'node:crypto';
import type { FakeClip, RouteClass } from './types.ts';

/** The family-B fake's studio-tool tables and synchronous answers (suno-wire-formats.md §4.3). */

export const TOOL_ROUTES: Record<string, { method: string; route: RouteClass; op: string }> = {
	'/api/v1/vocal-removal/generate': { method: 'POST', route: 'submit', op: 'split' },
	'/api/v1/wav/generate': { method: 'POST', route: 'submit', op: 'wav' },
	'/api/v1/mp4/generate': { method: 'POST', route: 'submit', op: 'video' },
	'/api/v1/generate/replace-section': { method: 'POST', route: 'submit', op: 'replace' },
	'/api/v1/generate/add-vocals': { method: 'POST', route: 'submit', op: 'add-vocals' },
	'/api/v1/generate/add-instrumental': { method: 'POST', route: 'submit', op: 'add-instrumental' },
	'/api/v1/style/generate': { method: 'POST', route: 'submit', op: 'boost' },
	'/api/v1/generate/generate-persona': { method: 'POST', route: 'submit', op: 'persona' },
	'/api/v1/generate/get-timestamped-lyrics': { method: 'POST', route: 'other', op: 'timestamps' },
	'/api/v1/vocal-removal/record-info': { method: 'GET', route: 'fetch', op: 'fetch-split' },
	'/api/v1/wav/record-info': { method: 'GET', route: 'fetch', op: 'fetch-wav' },
	'/api/v1/mp4/record-info': { method: 'GET', route: 'fetch', op: 'fetch-video' },
};

/** Credits each tool takes from the fake account (made up: the services price them differently). */
export const TOOL_CREDITS: Record<string, number> = {
	split: 10,
	stems: 50,
	wav: 2,
	video: 4,
	replace: 5,
	'add-vocals': 10,
	'add-instrumental': 10,
	boost: 1,
	persona: 2,
	timestamps: 0,
};

export const STEMS = ['vocals', 'instrumental'];
export const ALL_STEMS = [
	...STEMS,
	'backing vocals',
	'drums',
	'bass',
	'guitar',
	'keyboard',
	'percussion',
	'strings',
	'synth',
	'fx',
	'brass',
];
export const STEM_KEYS: Record<string, [camel: string, snake: string]> = {
	vocals: ['vocalUrl', 'vocal_url'],
	instrumental: ['instrumentalUrl', 'instrumental_url'],
	'backing vocals': ['backingVocalsUrl', 'backing_vocals_url'],
	drums: ['drumsUrl', 'drums_url'],
	bass: ['bassUrl', 'bass_url'],
	guitar: ['guitarUrl', 'guitar_url'],
	keyboard: ['keyboardUrl', 'keyboard_url'],
	percussion: ['percussionUrl', 'percussion_url'],
	strings: ['stringsUrl', 'strings_url'],
	synth: ['synthUrl', 'synth_url'],
	fx: ['fxUrl', 'fx_url'],
	brass: ['brassUrl', 'brass_url'],
	woodwinds: ['woodwindsUrl', 'woodwinds_url'],
};
export const FAILED_FLAG: Record<string, string> = {
	split: 'GENERATE_AUDIO_FAILED',
	wav: 'GENERATE_WAV_FAILED',
	video: 'GENERATE_MP4_FAILED',
};
export const DONE_MSG: Record<string, string> = {
	split: 'vocal Removal generated successfully.',
	wav: 'success',
	video: 'MP4 generated successfully.',
};

/** Each word of the take's lyrics, spread evenly over the take (section tags are not sung). */
export function alignedWords(clip: FakeClip): Record<string, unknown> {
	const words = clip.lyrics
		.split('\n')
		.filter((line) => !/^\[.*\]$/.test(line.trim()))
		.flatMap((line) =>
			line
				.split(/\s+/)
				.filter(Boolean)
				.map((w, i, all) => (i === all.length - 1 ? `${w}\n` : w)),
		);
	const step = clip.durationSec / Math.max(1, words.length);
	const alignedWords = words.map((word, i) => ({
		word,
		success: true,
		startS: Number((i * step).toFixed(2)),
		endS: Number(((i + 1) * step).toFixed(2)),
		palign: 0,
	}));
	return { alignedWords, waveformData: [0, 0.5, 1], hootCer: 0.1, isStreamed: false };
}

/** style/generate's answer: the short style, expanded (made up, but long and recognisably built from it). */
export function boostAnswer(content: string, creditsRemaining: number): Record<string, unknown> {
	return {
		taskId: randomBytes(16).toString('hex'),
		param: content,
		result: `${content}, layered arrangement, warm analog synths, punchy drums, wide stereo mix, emotive lead vocal`,
		creditsConsumed: 1,
		creditsRemaining,
		successFlag: '1',
		errorCode: null,
		errorMessage: null,
		createTime: Date.now(),
	};
}
