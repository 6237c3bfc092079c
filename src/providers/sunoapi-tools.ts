import type { ModelId, SubmitOptions, Submitted } from '../core/provider.ts';
import {
	type OwnAudioRequest,
	PERSONA_WINDOW,
	type Persona,
	type PersonaRequest,
	type ReplaceSectionRequest,
	SECTION_LIMITS,
	type SplitRequest,
	type StudioTools,
	type TakeRef,
	type TimedWord,
	type ToolFlags,
	type ToolName,
} from '../core/studio.ts';
import { assignDefined } from './adapter.ts';
import { checkLength, invalidInput, unsupported } from './common.ts';
import type { ErrorContext } from './errors.ts';
import type { HttpResponse } from './http.ts';
import { limitsFor } from './models.ts';
import { nonEmpty } from './normalise.ts';
import { personaAnswer, personaOf, styleBoost, timestampedLyrics, wordsOf } from './sunoapi-tools-wire.ts';

/** What the family-B adapter lends its studio: its submit, a synchronous call, and its wire spellings. */
export interface SunoCalls {
	submit(op: string, path: string, body: Record<string, unknown>, options: SubmitOptions): Promise<Submitted>;
	/** A call answered at once: `read` gets the envelope's `data`; `charged` calls are never re-sent. */
	call<T>(
		op: string,
		path: string,
		body: Record<string, unknown>,
		charged: boolean,
		signal: AbortSignal | undefined,
		read: (data: unknown, res: HttpResponse, ctx: ErrorContext) => T,
	): Promise<T>;
	callbackUrl(options: SubmitOptions): string;
	wireModel(model: ModelId): string;
	protocol(res: HttpResponse, ctx: ErrorContext, why: string): Error;
}

/** The longest style a boost is asked for (sunoapi.org documents no limit; a short style is the point). */
const BOOST_INPUT_MAX = 1000;

/** User-visible refusals of the studio tools, before anything is sent (for the message catalog). */
const TEXT = {
	sectionOrder: 'Pick a section that starts before it ends.',
	sectionLength: (length: number) =>
		`A section to fix is ${SECTION_LIMITS.minSec} to ${SECTION_LIMITS.maxSec} seconds long; this one is ${length.toFixed(1)}.`,
	sectionHalf: 'The section to fix must lie inside the take and be at most half of it.',
	sectionWords: 'Write the words of the section.',
	styleAndTitle: 'The take needs a style and a title.',
	vocalsWords: 'Write the words to sing over your audio.',
	boostEmpty: 'Write a short style to boost, e.g. "sad synthwave".',
	boostLong: `The style to boost is too long: at most ${BOOST_INPUT_MAX} characters.`,
	boostFailed: (why: string | null | undefined) => `The provider could not boost this style${why ? `: ${why}` : ''}.`,
	personaNames: 'Give the singer a name and a description.',
	personaWindow: `The singer is learnt from ${PERSONA_WINDOW.minSec} to ${PERSONA_WINDOW.maxSec} seconds of vocals; pick a window that long.`,
	pickTake: 'Choose the take to work on.',
	audioUrl: 'The audio must be an http(s) URL.',
	title: 'Give the song a title.',
	style: 'Say which style to add.',
} as const;

/** Family B's studio tools (suno-wire-formats.md §4.3), each refused when the operator turned it off. */
export class SunoApiStudio implements StudioTools {
	readonly #calls: SunoCalls;
	readonly #flags: ToolFlags;

	constructor(calls: SunoCalls, flags: ToolFlags) {
		this.#calls = calls;
		this.#flags = flags;
	}

	async split(request: SplitRequest, options: SubmitOptions = {}): Promise<Submitted> {
		this.#offered(request.stems ? 'stems' : 'split');
		const body = this.#take(request.source, options);
		body.type = request.stems ? 'split_stem' : 'separate_vocal';
		return this.#calls.submit('split', '/api/v1/vocal-removal/generate', body, options);
	}

	async wav(source: TakeRef, options: SubmitOptions = {}): Promise<Submitted> {
		this.#offered('wav');
		return this.#calls.submit('wav', '/api/v1/wav/generate', this.#take(source, options), options);
	}

	async video(source: TakeRef, options: SubmitOptions & { author?: string } = {}): Promise<Submitted> {
		this.#offered('video');
		const body = assignDefined(this.#take(source, options), { author: nonEmpty(options.author)?.slice(0, 50) });
		return this.#calls.submit('video', '/api/v1/mp4/generate', body, options);
	}

	async replaceSection(request: ReplaceSectionRequest, options: SubmitOptions = {}): Promise<Submitted> {
		this.#offered('replace');
		const { fromSec, toSec, durationSec } = request;
		const length = toSec - fromSec;
		if (!(Number.isFinite(fromSec) && Number.isFinite(toSec) && fromSec >= 0 && length > 0)) {
			throw invalidInput(TEXT.sectionOrder);
		}
		if (length < SECTION_LIMITS.minSec || length > SECTION_LIMITS.maxSec) {
			throw invalidInput(TEXT.sectionLength(length));
		}
		if (durationSec !== undefined && (toSec > durationSec || length > durationSec / 2)) {
			throw invalidInput(TEXT.sectionHalf);
		}
		if (!nonEmpty(request.lyrics)) throw invalidInput(TEXT.sectionWords);
		if (!nonEmpty(request.style) || !nonEmpty(request.title)) throw invalidInput(TEXT.styleAndTitle);
		const body = this.#take(request.source, options);
		assignDefined(body, {
			prompt: request.lyrics,
			tags: request.style,
			title: request.title,
			infillStartS: round2(fromSec),
			infillEndS: round2(toSec),
			negativeTags: nonEmpty(request.negativeStyle),
		});
		return this.#calls.submit('replace', '/api/v1/generate/replace-section', body, options);
	}

	async addVocals(request: OwnAudioRequest, options: SubmitOptions = {}): Promise<Submitted> {
		this.#offered('addVocals');
		if (!nonEmpty(request.lyrics)) throw invalidInput(TEXT.vocalsWords);
		const body = this.#ownAudio(request, options);
		assignDefined(body, { prompt: request.lyrics, style: request.style });
		return this.#calls.submit('add-vocals', '/api/v1/generate/add-vocals', body, options);
	}

	async addInstrumental(request: OwnAudioRequest, options: SubmitOptions = {}): Promise<Submitted> {
		this.#offered('addInstrumental');
		const body = this.#ownAudio(request, options);
		body.tags = request.style;
		return this.#calls.submit('add-instrumental', '/api/v1/generate/add-instrumental', body, options);
	}

	async boostStyle(style: string, options: { signal?: AbortSignal } = {}): Promise<string> {
		this.#offered('boost');
		const content = style.trim();
		if (content === '') throw invalidInput(TEXT.boostEmpty);
		if ([...content].length > BOOST_INPUT_MAX) {
			throw invalidInput(TEXT.boostLong);
		}
		return this.#calls.call('boost', '/api/v1/style/generate', { content }, true, options.signal, (data, res, ctx) => {
			const parsed = styleBoost.safeParse(data);
			if (!parsed.success) throw this.#calls.protocol(res, ctx, 'style/generate data has an unexpected shape');
			const result = nonEmpty(parsed.data.result);
			if (String(parsed.data.successFlag ?? '1') === '2' || result === undefined) {
				throw invalidInput(TEXT.boostFailed(parsed.data.errorMessage));
			}
			return result;
		});
	}

	async timestampedLyrics(source: TakeRef, options: { signal?: AbortSignal } = {}): Promise<TimedWord[]> {
		this.#offered('timestamps');
		const body = { taskId: source.taskId, audioId: source.clipId };
		const path = '/api/v1/generate/get-timestamped-lyrics';
		return this.#calls.call('timestamps', path, body, false, options.signal, (data, res, ctx) => {
			const parsed = timestampedLyrics.safeParse(data);
			if (!parsed.success) throw this.#calls.protocol(res, ctx, 'timestamped lyrics have an unexpected shape');
			return wordsOf(parsed.data);
		});
	}

	async persona(request: PersonaRequest, options: { signal?: AbortSignal } = {}): Promise<Persona> {
		this.#offered('persona');
		const name = request.name.trim();
		const description = request.description.trim();
		if (name === '' || description === '') throw invalidInput(TEXT.personaNames);
		const start = request.vocalStartSec ?? 0;
		const end = request.vocalEndSec ?? start + PERSONA_WINDOW.maxSec;
		const window = end - start;
		if (!(start >= 0 && window >= PERSONA_WINDOW.minSec && window <= PERSONA_WINDOW.maxSec)) {
			throw invalidInput(TEXT.personaWindow);
		}
		const body = assignDefined(
			{ taskId: request.source.taskId, audioId: request.source.clipId, name, description },
			{ vocalStart: round2(start), vocalEnd: round2(end), style: nonEmpty(request.style) },
		);
		const path = '/api/v1/generate/generate-persona';
		return this.#calls.call('persona', path, body, true, options.signal, (data, res, ctx) => {
			const parsed = personaAnswer.safeParse(data);
			if (!parsed.success) throw this.#calls.protocol(res, ctx, 'generate-persona data has no personaId');
			return personaOf(parsed.data, { name, description });
		});
	}

	#offered(tool: ToolName): void {
		if (this.#flags[tool] !== true) throw unsupported('sunoapi', TOOL_OPERATIONS[tool]);
	}

	#take(source: TakeRef, options: SubmitOptions): Record<string, unknown> {
		if (!nonEmpty(source.taskId) || !nonEmpty(source.clipId)) throw invalidInput(TEXT.pickTake);
		return { taskId: source.taskId, audioId: source.clipId, callBackUrl: this.#calls.callbackUrl(options) };
	}

	#ownAudio(request: OwnAudioRequest, options: SubmitOptions): Record<string, unknown> {
		if (!/^https?:\/\//i.test(request.sourceAudioUrl)) throw invalidInput(TEXT.audioUrl);
		if (!nonEmpty(request.title)) throw invalidInput(TEXT.title);
		if (!nonEmpty(request.style)) throw invalidInput(TEXT.style);
		const limits = limitsFor(request.model);
		checkLength('title', request.title, limits.title, request.model);
		checkLength('style', request.style, limits.style, request.model);
		checkLength('lyrics', request.lyrics, limits.lyrics, request.model);
		// Both endpoints require negativeTags, even empty (§4.3).
		return {
			uploadUrl: request.sourceAudioUrl,
			title: request.title,
			negativeTags: request.negativeStyle ?? '',
			model: this.#calls.wireModel(request.model),
			callBackUrl: this.#calls.callbackUrl(options),
		};
	}
}

/** The words `unsupported` uses for each tool ("This music provider does not offer ..."). */
export const TOOL_OPERATIONS: Record<ToolName, string> = {
	split: 'splitting a take into vocals and instrumental',
	stems: 'splitting a take into stems',
	wav: 'WAV downloads',
	video: 'music videos',
	boost: 'boosting a style',
	replace: 'fixing a section of a take',
	persona: 'house singers (personas)',
	timestamps: 'timed lyrics',
	addVocals: 'adding vocals to your own audio',
	addInstrumental: 'adding an instrumental to your own audio',
};

function round2(value: number): number {
	return Math.round(value * 100) / 100;
}
