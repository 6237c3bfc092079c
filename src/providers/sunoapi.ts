import { ProviderError } from '../core/errors.ts';
import type {
	CallbackUpdate,
	Capabilities,
	CoverRequest,
	ExtendRequest,
	GenerateRequest,
	InputLimits,
	ModelId,
	SongProvider,
	SubmitOptions,
	Submitted,
	TaskKind,
	TaskRef,
	TaskSnapshot,
} from '../core/provider.ts';
import { type AdapterDeps, assignDefined, type FeatureProbe, type Probe, type ProbeResult } from './adapter.ts';
import {
	type AnyRequest,
	checkLength,
	fetchGroups,
	invalidInput,
	uniqueRefs,
	unsupported,
	validateCommon,
} from './common.ts';
import { protocolError } from './errors.ts';
import { FeatureMemory } from './features.ts';
import { limitsFor, modelsOf, wireModel } from './models.ts';
import { nonEmpty } from './normalise.ts';
import { fetchSunoTask, sunoCalls, sunoCredits, UPLOAD_PREFIX, uploadSnapshot } from './sunoapi-http.ts';
import { type SunoCalls, SunoApiStudio } from './sunoapi-tools.ts';
import { isToolKind, snapshotFromToolCallback, studioFlags, toolCallback } from './sunoapi-tools-wire.ts';
import { callbackBody, snapshotFromCallback } from './sunoapi-wire.ts';
import { VARIANT_NAMES } from './variants.ts';

const LYRICS_PROMPT_WORDS = 200;

/**
 * Family B: sunoapi.org and its clones (`/api/v1/...`), suno-wire-formats.md §4. This file builds the requests;
 * how they are sent and answered (outcomes in the body `code` over HTTP 200) is sunoapi-http.ts, their shapes
 * sunoapi-wire.ts. `callBackUrl` is required even when the bot only polls.
 */
export class SunoApiProvider implements SongProvider, Probe {
	readonly family = 'sunoapi' as const;
	readonly capabilities: Capabilities;
	readonly learnt: FeatureMemory;
	readonly studio: SunoApiStudio;
	readonly #deps: AdapterDeps;
	readonly #calls: Pick<SunoCalls, 'submit' | 'call'>;

	constructor(deps: AdapterDeps) {
		this.#deps = deps;
		this.#calls = sunoCalls(deps);
		const f = deps.features;
		this.capabilities = {
			extend: true,
			lyrics: true,
			upload: f.upload ?? true,
			cover: f.cover ?? true,
			concat: false,
			negativeStyle: f.negativeStyle ?? true,
			vocalGender: true,
			callbacks: f.callbacks ?? true,
			credits: true,
			batchSize: 1,
			models: modelsOf(deps.models),
			defaultModel: deps.defaultModel,
			modelAliases: deps.modelAliases,
			...studioFlags(f),
		};
		this.learnt = new FeatureMemory(this.capabilities, f);
		this.studio = new SunoApiStudio(
			{
				...this.#calls,
				callbackUrl: (options) => this.#callbackUrl(options),
				wireModel: (model) => wireModel(this.family, deps.models, model),
				protocol: protocolError,
			},
			this.capabilities,
		);
	}

	get variant(): string {
		return VARIANT_NAMES[this.#deps.variant ?? 'sunoapi'];
	}

	/** Nothing to probe: what this family offers is documented, and SUNO_FEATURES can still turn a feature off. */
	async probeFeatures(): Promise<FeatureProbe> {
		return {};
	}

	limits(model: ModelId): InputLimits {
		return limitsFor(model);
	}

	validate(request: AnyRequest): void {
		validateCommon(this.family, this.capabilities, (m) => this.limits(m), request);
		const custom = 'mode' in request ? request.mode === 'custom' : hasCustomFields(request);
		if ('sourceAudioUrl' in request && !custom) throw invalidInput('Give the cover a style and a title.');
		if (custom) {
			// Custom mode needs style and title, plus lyrics unless instrumental (§4.2, §4.3).
			if (!nonEmpty(request.style)) throw invalidInput('This provider needs a style in custom mode.');
			if (!nonEmpty(request.title)) throw invalidInput('This provider needs a title in custom mode.');
			if (!request.instrumental && !nonEmpty(request.lyrics))
				throw invalidInput('Write some lyrics, or make the song instrumental.');
			if ('source' in request && request.continueAtSec === undefined) {
				throw invalidInput('Say where the extension should start (seconds into the take).');
			}
		}
	}

	async generate(request: GenerateRequest, options: SubmitOptions = {}): Promise<Submitted> {
		this.validate(request);
		const body = this.#base(request, options);
		if (request.mode === 'describe') Object.assign(body, { customMode: false, prompt: request.description });
		else
			assignDefined(body, {
				customMode: true,
				prompt: nonEmpty(request.lyrics),
				style: request.style,
				title: request.title,
				personaId: nonEmpty(request.personaId),
			});
		return this.#calls.submit('generate', '/api/v1/generate', body, options);
	}

	async extend(request: ExtendRequest, options: SubmitOptions = {}): Promise<Submitted> {
		this.validate(request);
		const custom = hasCustomFields(request);
		const body = this.#base(request, options);
		assignDefined(body, {
			defaultParamFlag: custom,
			continueAt: request.continueAtSec,
			prompt: nonEmpty(request.lyrics),
			style: request.style,
			title: request.title,
		});
		if (request.uploaded) {
			body.uploadUrl = request.source.clipId.startsWith(UPLOAD_PREFIX)
				? request.source.clipId.slice(UPLOAD_PREFIX.length)
				: request.source.clipId;
			return this.#calls.submit('upload-extend', '/api/v1/generate/upload-extend', body, options);
		}
		body.audioId = request.source.clipId;
		return this.#calls.submit('extend', '/api/v1/generate/extend', body, options);
	}

	async lyrics(prompt: string, options: SubmitOptions = {}): Promise<Submitted> {
		if (prompt.trim() === '') throw invalidInput('Say what the lyrics should be about.');
		checkLength('lyrics theme', prompt, limitsFor(this.#deps.defaultModel).lyricsPrompt, this.#deps.defaultModel);
		const words = prompt.trim().split(/\s+/).length;
		if (words > LYRICS_PROMPT_WORDS) {
			throw invalidInput(`The lyrics theme is too long: ${words} words, at most ${LYRICS_PROMPT_WORDS}.`);
		}
		const body = { prompt, callBackUrl: this.#callbackUrl(options) };
		return this.#calls.submit('lyrics', '/api/v1/lyrics', body, options);
	}

	/**
	 * No request: the URL itself is what upload-extend and upload-cover take. The answer is a finished
	 * "upload" task whose one clip id is the URL, so `extend({uploaded: true, source: {clipId}})` works
	 * as it does for family A, and fetching the task again needs no request either.
	 */
	async upload(audioUrl: string, _options?: SubmitOptions): Promise<Submitted> {
		if (!this.capabilities.upload) throw unsupported(this.family, 'upload');
		if (!/^https?:\/\//i.test(audioUrl)) throw invalidInput('The audio to upload must be an http(s) URL.');
		const taskId = `${UPLOAD_PREFIX}${audioUrl}`;
		return { taskId, snapshot: uploadSnapshot(taskId) };
	}

	async cover(request: CoverRequest, options: SubmitOptions = {}): Promise<Submitted> {
		if (!this.capabilities.cover) throw unsupported(this.family, 'cover');
		this.validate(request);
		const body = this.#base(request, options);
		assignDefined(body, {
			uploadUrl: request.sourceAudioUrl,
			customMode: true,
			prompt: nonEmpty(request.lyrics),
			style: request.style,
			title: request.title,
		});
		return this.#calls.submit('cover', '/api/v1/generate/upload-cover', body, options);
	}

	async concat(): Promise<Submitted> {
		throw unsupported(this.family, 'concat');
	}

	async fetch(refs: readonly TaskRef[], options: { signal?: AbortSignal } = {}): Promise<Map<string, TaskSnapshot>> {
		const result = await fetchGroups(uniqueRefs(refs), this.#deps.concurrency, async (ref) => [
			await fetchSunoTask(this.#deps, ref, options.signal),
		]);
		options.signal?.throwIfAborted();
		return result;
	}

	async credits(options: { signal?: AbortSignal } = {}): Promise<number | undefined> {
		return sunoCredits(this.#deps, options.signal);
	}

	/** `expected`: the kind of the stored task, which tells a failed tool callback (it names no tool) apart. */
	parseCallback(body: unknown, expected?: TaskKind): CallbackUpdate[] {
		const parsed = callbackBody.safeParse(body);
		let snapshot = parsed.success ? snapshotFromCallback(parsed.data) : undefined;
		if (snapshot === undefined) {
			const tool = toolCallback.safeParse(body);
			if (tool.success) snapshot = snapshotFromToolCallback(tool.data, isToolKind(expected) ? expected : undefined);
		}
		if (snapshot === undefined) {
			throw new ProviderError({ kind: 'protocol', detail: 'sunoapi callback: not a music, lyrics or tool callback' });
		}
		return [{ snapshot }];
	}

	async probe(options: { signal?: AbortSignal } = {}): Promise<ProbeResult> {
		return { credits: (await this.credits(options)) as number };
	}

	#base(request: AnyRequest, options: SubmitOptions): Record<string, unknown> {
		return assignDefined(
			{
				model: wireModel(this.family, this.#deps.models, request.model),
				instrumental: request.instrumental === true,
				callBackUrl: this.#callbackUrl(options),
			},
			{ negativeTags: nonEmpty(request.negativeStyle), vocalGender: request.vocalGender },
		);
	}

	/** Required on every submit (§4.2): where the bot listens, else a placeholder while it only polls. */
	#callbackUrl(options: SubmitOptions): string {
		return options.callbackUrl ?? this.#deps.placeholderCallbackUrl;
	}
}

function hasCustomFields(request: AnyRequest): boolean {
	return [request.lyrics, request.style, request.title].some((v) => nonEmpty(v) !== undefined);
}
