/**
 * The sandbox's music provider: the family-B fake (or family A's) (test/doubles/providers) on a wall-clock timeline, so a song walks
 * queued → lyrics → streaming → done over tens of seconds, with a studio that makes the content from the request:
 * titles and lyrics from the prompt's words, a cover, and a melody synthesised per take and encoded by ffmpeg.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
	type FakeClip,
	type FakeProvider,
	type FakeStudio,
	type FakeTask,
	startFakeProvider,
} from '../test/doubles/providers/index.ts';
import { renderCover, renderMp3 } from './studio/render.ts';
import { planSong } from './studio/plan.ts';
import { renderPcm } from './studio/synth.ts';
import { hash, isMinor, lyricsFrom, styleFrom, titleFrom } from './studio/words.ts';

const RATE = 44_100;

/** The provider families the sandbox can simulate. */
export type SandboxFamily = 'sunoapi' | 'newapi';

export interface SimulatedProviderOptions {
	/** Folder for the rendered takes and covers. */
	dir: string;
	/** Time between two stages of a task; a song has five stages. Default 5000 ms. */
	stepMs?: number;
	/** Which provider API it speaks; default `sunoapi` (family B: it has every studio tool). */
	family?: SandboxFamily;
	/** Told when a take cannot be rendered (the fake then serves its fixture). */
	onError?: (error: unknown) => void;
}

interface Made {
	prompt: string;
	promptSeed: number;
	title: string;
	files: Map<'mp3' | 'png', Promise<string | undefined>>;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** What a song request asks for, in either family's words (family A's new-api body, family B's sunoapi body). */
interface MusicAsk {
	description: string;
	lyrics: string;
	tags: string;
	title: string;
	instrumental: boolean;
	/** The clip an extension continues. */
	continueFrom: string;
}

function requestOf(task: FakeTask): MusicAsk {
	const r = task.request;
	if ('gpt_description_prompt' in r || 'mv' in r || 'continue_clip_id' in r)
		return {
			description: text(r.gpt_description_prompt),
			lyrics: text(r.prompt),
			tags: text(r.tags),
			title: text(r.title),
			instrumental: r.make_instrumental === true,
			continueFrom: text(r.continue_clip_id),
		};
	// Family B: the prompt is the lyrics in custom mode (and an extension with its own words), else a description.
	const custom = r.customMode === true || r.defaultParamFlag === true;
	return {
		description: custom ? '' : text(r.prompt),
		lyrics: custom ? text(r.prompt) : '',
		tags: text(r.style) || text(r.tags),
		title: text(r.title),
		instrumental: r.instrumental === true,
		continueFrom: task.sourceClipId ?? text(r.audioId),
	};
}

/** Makes titles, lyrics, audio and covers; remembers each clip's seeds so an extension keeps its key and tempo. */
export function createStudio(dir: string, onError: (error: unknown) => void = () => {}): FakeStudio {
	const made = new Map<string, Made>();
	const ready = mkdir(dir, { recursive: true });
	const job = (work: () => Promise<unknown>, path: string): Promise<string | undefined> =>
		ready
			.then(work)
			.then(() => path)
			.catch((error: unknown) => {
				onError(error);
				return undefined;
			});

	const composeMusic = (task: FakeTask): void => {
		const r = requestOf(task);
		const source = made.get(r.continueFrom);
		const description = r.description;
		const lyrics = r.lyrics;
		const prompt = source?.prompt ?? ([description, lyrics, r.tags].join(' ').trim() || task.id);
		const promptSeed = source?.promptSeed ?? hash(prompt);
		const title = r.title || source?.title || titleFrom(description || lyrics || prompt, promptSeed);
		const style = r.tags || styleFrom(prompt, promptSeed);
		const sung = r.instrumental ? '' : lyrics || lyricsFrom(description || prompt, promptSeed);
		for (const clip of task.clips) {
			if (clip.audio === 'broken') continue;
			const takeSeed = hash(clip.id);
			const plan = planSong(prompt, promptSeed, takeSeed);
			Object.assign(clip, { title, tags: style, lyrics: sung, durationSec: Math.round(plan.durationSec * 100) / 100 });
			const mp3 = join(dir, `${clip.id}.mp3`);
			const png = join(dir, `${clip.id}.png`);
			// Rendering starts now, in the background: the take is long done by the time the bot downloads it.
			const files = new Map([
				['mp3' as const, job(() => renderMp3(renderPcm(plan, RATE), RATE, mp3, title), mp3)],
				['png' as const, job(() => renderCover(takeSeed, isMinor(prompt), png), png)],
			]);
			made.set(clip.id, { prompt, promptSeed, title, files });
		}
	};

	return {
		compose(task) {
			if (task.kind === 'music') return composeMusic(task);
			if (task.kind !== 'lyrics') return;
			const theme = text(task.request.prompt) || 'a song';
			task.lyrics = [0, 1].map((n) => ({
				title: titleFrom(theme, hash(theme) + n),
				text: lyricsFrom(theme, hash(`${task.id}:${n}`)),
			}));
		},
		async file(clip: FakeClip, kind) {
			const path = await made.get(clip.id)?.files.get(kind);
			return path ? readFile(path) : undefined;
		},
	};
}

/**
 * Starts the simulated provider on 127.0.0.1: family B (sunoapi.org) by default, the family with the studio tools
 * (split, WAV, video, …: the fake's tool endpoints), or family A (new-api flavour).
 */
export async function startSimulatedProvider(options: SimulatedProviderOptions): Promise<FakeProvider> {
	return startFakeProvider({
		family: options.family ?? 'sunoapi',
		timeline: { type: 'clock', stepMs: options.stepMs ?? 5_000 },
		studio: createStudio(options.dir, options.onError),
		// Plenty of make-believe credits: the sandbox's limits are the bot's own quotas, not the provider's.
		credits: 1_000_000,
	});
}
