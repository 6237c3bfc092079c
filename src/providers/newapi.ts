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
import {
	type AdapterDeps,
	assignDefined,
	errorContext,
	type FeatureProbe,
	type Probe,
	type ProbeResult,
} from './adapter.ts';
import {
	type AnyRequest,
	checkLength,
	chunk,
	fetchGroups,
	invalidInput,
	uniqueRefs,
	unsupported,
	validateCommon,
} from './common.ts';
import { protocolError } from './errors.ts';
import { FeatureMemory } from './features.ts';
import { limitsFor, modelsOf, wireModel } from './models.ts';
import { probeRelayFeatures, RelayFetcher, relayEnvelopeData } from './relay-http.ts';
import { relayEnvelope, relayTask, snapshotFromRelay } from './relay-wire.ts';

/**
 * Family A: new-api / one-api relays and reseller gateways (`/suno/submit/*`, `/suno/fetch`),
 * suno-wire-formats.md §3. The base URL may carry a mount prefix (`https://gw/v1` → `/v1/suno/...`).
 */
export class NewApiProvider implements SongProvider, Probe {
	readonly family = 'newapi' as const;
	readonly capabilities: Capabilities;
	readonly learnt: FeatureMemory;
	readonly #deps: AdapterDeps;
	readonly #fetcher: RelayFetcher;

	constructor(deps: AdapterDeps) {
		this.#deps = deps;
		this.#fetcher = new RelayFetcher(deps);
		const f = deps.features;
		this.capabilities = {
			extend: true,
			lyrics: true,
			// Upload, concat and notify_hook are reseller extras; a stock new-api answers invalid_action.
			upload: f.upload ?? true,
			cover: false,
			concat: f.concat ?? true,
			negativeStyle: f.negativeStyle ?? true,
			vocalGender: false,
			// Stock new-api, one-hub and Suno-API drop notify_hook without a word, so nothing tells us it is
			// ignored: off unless the operator declares it (SUNO_FEATURES=callbacks) for a reseller that sends them.
			callbacks: f.callbacks ?? false,
			credits: false,
			// A batch fetch is one indexed query at the gateway; 100 ids are about 4 KB of JSON.
			batchSize: f.batchSize ?? 100,
			models: modelsOf(deps.models),
			defaultModel: deps.defaultModel,
			modelAliases: deps.modelAliases,
		};
		this.learnt = new FeatureMemory(this.capabilities, f);
	}

	/** Stock new-api and one-hub relay only music and lyrics; resellers add concat and uploads. */
	get variant(): string {
		const { concat, upload } = this.capabilities;
		if (!concat && !upload) return 'new-api/one-hub relay (music and lyrics only)';
		if (concat && upload) return 'reseller gateway (music, lyrics, uploads, full songs)';
		return `relay gateway (music, lyrics${upload ? ', uploads' : ''}${concat ? ', full songs' : ''})`;
	}

	limits(model: ModelId): InputLimits {
		return limitsFor(model);
	}

	validate(request: AnyRequest): void {
		validateCommon(this.family, this.capabilities, (m) => this.limits(m), request);
		if ('source' in request && !request.uploaded && !request.source.taskId) {
			// new-api routes a continuation to the channel of the task that made the clip (§3.4).
			throw invalidInput('This provider needs the task that produced the take to extend it.');
		}
	}

	async generate(request: GenerateRequest, options: SubmitOptions = {}): Promise<Submitted> {
		this.validate(request);
		const body: Record<string, unknown> = {
			mv: wireModel(this.family, this.#deps.models, request.model),
			make_instrumental: request.instrumental === true,
		};
		if (request.mode === 'describe') Object.assign(body, { gpt_description_prompt: request.description, prompt: '' });
		else body.prompt = request.lyrics ?? '';
		this.#common(body, request, options);
		return this.#submit('generate', '/suno/submit/music', body, options, 'music');
	}

	async extend(request: ExtendRequest, options: SubmitOptions = {}): Promise<Submitted> {
		this.validate(request);
		let mv = wireModel(this.family, this.#deps.models, request.model);
		const body: Record<string, unknown> = {
			prompt: request.lyrics ?? '',
			make_instrumental: request.instrumental === true,
		};
		if (request.uploaded && this.#deps.uploadExtendForm === 'task') body.task = 'upload_extend';
		else body.task = 'extend';
		if (request.uploaded && this.#deps.uploadExtendForm === 'upload-model') {
			mv = request.model === 'v3.5' ? 'chirp-v3-5-upload' : 'chirp-v4-upload';
		}
		assignDefined(body, {
			mv,
			continue_clip_id: request.source.clipId,
			// omitempty drops 0 on the gateway, so validation already refused continueAtSec <= 0.
			continue_at: request.continueAtSec,
			task_id: request.source.taskId,
		});
		this.#common(body, request, options);
		return this.#submit('extend', '/suno/submit/music', body, options, 'music');
	}

	async lyrics(prompt: string, options: SubmitOptions = {}): Promise<Submitted> {
		if (prompt.trim() === '') throw invalidInput('Say what the lyrics should be about.');
		checkLength('lyrics theme', prompt, limitsFor(this.#deps.defaultModel).lyricsPrompt, this.#deps.defaultModel);
		const body = assignDefined({ prompt }, { notify_hook: options.callbackUrl });
		return this.#submit('lyrics', '/suno/submit/lyrics', body, options, 'lyrics', this.#deps.lyricsSubmitTimeoutMs);
	}

	async upload(audioUrl: string, options: SubmitOptions = {}): Promise<Submitted> {
		if (!this.capabilities.upload) throw unsupported(this.family, 'upload');
		if (!/^https?:\/\//i.test(audioUrl)) throw invalidInput('The audio to upload must be an http(s) URL.');
		const body = assignDefined({ url: audioUrl }, { notify_hook: options.callbackUrl });
		return this.#optional('upload', () =>
			this.#submit('upload', '/suno/uploads/audio-url', body, options, 'upload', undefined, true),
		);
	}

	async cover(_request: CoverRequest, _options?: SubmitOptions): Promise<Submitted> {
		throw unsupported(this.family, 'cover');
	}

	async concat(source: { taskId?: string; clipId: string }, options: SubmitOptions = {}): Promise<Submitted> {
		if (!this.capabilities.concat) throw unsupported(this.family, 'concat');
		if (source.clipId.trim() === '') throw invalidInput('Choose the extended take to join into the full song.');
		const body = assignDefined({ clip_id: source.clipId, is_infill: false }, { notify_hook: options.callbackUrl });
		return this.#optional('concat', () =>
			this.#submit('concat', '/suno/submit/concat', body, options, 'concat', undefined, true),
		);
	}

	async fetch(refs: readonly TaskRef[], options: { signal?: AbortSignal } = {}): Promise<Map<string, TaskSnapshot>> {
		const unique = uniqueRefs(refs);
		const kinds = new Map(unique.map((r) => [r.taskId, r.kind]));
		const result = await fetchGroups(chunk(unique, this.capabilities.batchSize), 2, (group) =>
			this.#fetcher.fetch(group, kinds, options.signal),
		);
		options.signal?.throwIfAborted();
		return result;
	}

	async credits(): Promise<number | undefined> {
		return undefined;
	}

	/** Accepts the bare TaskDto or a `{code, data}` wrapper (of one task or several), §3.11. */
	parseCallback(body: unknown): CallbackUpdate[] {
		const direct = relayTask.safeParse(body);
		let rows: unknown[];
		if (direct.success) rows = [body];
		else {
			const envelope = relayEnvelope.safeParse(body);
			const data = envelope.success ? envelope.data.data : undefined;
			rows = Array.isArray(data) ? data : data !== undefined && data !== null ? [data] : [];
		}
		const tasks = rows.flatMap((row) => {
			const parsed = relayTask.safeParse(row);
			return parsed.success ? [parsed.data] : [];
		});
		if (tasks.length === 0) {
			throw new ProviderError({ kind: 'protocol', detail: 'newapi notify_hook: body is not a task' });
		}
		return tasks.map((task) => ({ snapshot: snapshotFromRelay(task, undefined, false) }));
	}

	/** An empty batch fetch: cheap, authenticated, and present on every family-A gateway. */
	async probe(options: { signal?: AbortSignal } = {}): Promise<ProbeResult> {
		const ctx = errorContext(this.#deps, this.family, 'probe', false);
		await this.#deps.http.send(
			{ op: 'probe', method: 'POST', path: '/suno/fetch', body: { ids: [] }, signal: options.signal },
			(res) => {
				relayEnvelopeData(res, ctx);
			},
		);
		return {};
	}

	/** See `probeRelayFeatures`: concat and upload, asked without charging; what it finds is learnt. */
	async probeFeatures(options: { signal?: AbortSignal } = {}): Promise<FeatureProbe> {
		return probeRelayFeatures(this.#deps, this.learnt, options.signal);
	}

	/** A refused optional feature is learnt (and then hidden), its first refusal explained in words. */
	async #optional(name: 'concat' | 'upload', submit: () => Promise<Submitted>): Promise<Submitted> {
		try {
			const submitted = await submit();
			this.learnt.learn(name, true);
			return submitted;
		} catch (error) {
			if (error instanceof ProviderError && error.kind === 'unsupported') this.learnt.learn(name, false);
			throw error;
		}
	}

	#common(body: Record<string, unknown>, request: AnyRequest, options: SubmitOptions): void {
		assignDefined(body, {
			title: request.title,
			tags: request.style,
			negative_tags: request.negativeStyle,
			notify_hook: options.callbackUrl,
		});
	}

	async #submit(
		op: string,
		path: string,
		body: Record<string, unknown>,
		options: SubmitOptions,
		kind: TaskKind,
		timeoutMs?: number,
		optional = false,
	): Promise<Submitted> {
		const ctx = errorContext(this.#deps, this.family, op, true, optional);
		const call = {
			op,
			method: 'POST' as const,
			path,
			body,
			submit: true,
			signal: options.signal,
			...(timeoutMs ? { timeoutMs } : {}),
		};
		return this.#deps.http.send(call, (res) => {
			const data = relayEnvelopeData(res, ctx);
			if (typeof data === 'string' && data.trim() !== '') return { taskId: data.trim() };
			const task = relayTask.safeParse(data);
			if (task.success) return { taskId: task.data.task_id, snapshot: snapshotFromRelay(task.data, kind, false) };
			throw protocolError(res, ctx, 'no task id in a successful submit');
		});
	}
}
