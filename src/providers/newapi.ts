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
	StatusMap,
	SubmitOptions,
	Submitted,
	TaskKind,
	TaskRef,
	TaskSnapshot,
} from '../core/provider.ts';
import { type AdapterDeps, assignDefined, errorContext, is2xx, type Probe, type ProbeResult } from './adapter.ts';
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
import { protocolError, relayError } from './errors.ts';
import type { HttpResponse } from './http.ts';
import { limitsFor, modelsOf, wireModel } from './models.ts';
import { relayEnvelope, relayTask, snapshotFromBareData, snapshotFromRelay } from './relay-wire.ts';

/**
 * Family A: new-api / one-api relays and reseller gateways (`/suno/submit/*`, `/suno/fetch`),
 * suno-wire-formats.md §3. The base URL may carry a mount prefix (`https://gw/v1` → `/v1/suno/...`).
 */
export class NewApiProvider implements SongProvider, Probe {
	readonly family = 'newapi' as const;
	readonly capabilities: Capabilities;
	readonly #deps: AdapterDeps;
	/** Learnt when the gateway has no batch `POST /suno/fetch` (then one GET per task). */
	#noBatch = false;

	constructor(deps: AdapterDeps) {
		this.#deps = deps;
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
			callbacks: f.callbacks ?? true,
			credits: false,
			// A batch fetch is one indexed query at the gateway; 100 ids are about 4 KB of JSON.
			batchSize: f.batchSize ?? 100,
			models: modelsOf(deps.models),
			defaultModel: deps.defaultModel,
		};
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
		return this.#submit('upload', '/suno/uploads/audio-url', body, options, 'upload', undefined, true);
	}

	async cover(_request: CoverRequest, _options?: SubmitOptions): Promise<Submitted> {
		throw unsupported(this.family, 'cover');
	}

	async concat(source: { taskId?: string; clipId: string }, options: SubmitOptions = {}): Promise<Submitted> {
		if (!this.capabilities.concat) throw unsupported(this.family, 'concat');
		if (source.clipId.trim() === '') throw invalidInput('Choose the extended take to join into the full song.');
		const body = assignDefined({ clip_id: source.clipId, is_infill: false }, { notify_hook: options.callbackUrl });
		return this.#submit('concat', '/suno/submit/concat', body, options, 'concat', undefined, true);
	}

	async fetch(refs: readonly TaskRef[], options: { signal?: AbortSignal } = {}): Promise<Map<string, TaskSnapshot>> {
		const unique = uniqueRefs(refs);
		const kinds = new Map(unique.map((r) => [r.taskId, r.kind]));
		const result = await fetchGroups(chunk(unique, this.capabilities.batchSize), 2, (group) =>
			this.#noBatch ? this.#fetchEach(group, options.signal) : this.#fetchBatch(group, kinds, options.signal),
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
				this.#envelopeData(res, ctx);
			},
		);
		return {};
	}

	#common(body: Record<string, unknown>, request: AnyRequest, options: SubmitOptions): void {
		assignDefined(body, {
			title: request.title,
			tags: request.style,
			negative_tags: request.negativeStyle,
			notify_hook: options.callbackUrl,
		});
	}

	#envelopeData(res: HttpResponse, ctx: ReturnType<typeof errorContext>): unknown {
		if (!is2xx(res.status)) throw relayError(res, ctx);
		const envelope = relayEnvelope.safeParse(res.json);
		if (!res.isJson || !envelope.success) throw protocolError(res, ctx, 'body is not a {code,message,data} envelope');
		if (envelope.data.code !== 'success') throw relayError(res, ctx);
		return envelope.data.data;
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
			const data = this.#envelopeData(res, ctx);
			if (typeof data === 'string' && data.trim() !== '') return { taskId: data.trim() };
			const task = relayTask.safeParse(data);
			if (task.success) return { taskId: task.data.task_id, snapshot: snapshotFromRelay(task.data, kind, false) };
			throw protocolError(res, ctx, 'no task id in a successful submit');
		});
	}

	async #fetchBatch(refs: TaskRef[], kinds: Map<string, TaskKind>, signal?: AbortSignal): Promise<StatusMap> {
		const ctx = errorContext(this.#deps, this.family, 'fetch', false);
		const sameKind = refs.every((r) => r.kind === refs[0]?.kind) ? refs[0]?.kind : undefined;
		const body = assignDefined(
			{ ids: refs.map((r) => r.taskId) },
			{
				action: sameKind === 'music' ? 'MUSIC' : sameKind === 'lyrics' ? 'LYRICS' : undefined,
			},
		);
		const rows = await this.#deps.http.send(
			{ op: 'fetch', method: 'POST', path: '/suno/fetch', body, signal },
			(res) => {
				// A gateway without the batch route: fall back to one GET per task from now on.
				if ((res.status === 404 || res.status === 405) && !/task_not_exist/.test(res.text)) return undefined;
				const data = this.#envelopeData(res, ctx);
				if (!Array.isArray(data)) throw protocolError(res, ctx, 'batch fetch data is not an array');
				return data;
			},
		);
		if (rows === undefined) {
			this.#noBatch = true;
			return this.#fetchEach(refs, signal);
		}
		// Unknown or foreign ids are silently omitted by the gateway (§3.5). A row of ours we cannot read is no
		// news about that task, not a sign the gateway forgot it.
		const result: StatusMap = new Map();
		const unanswered = new Set<string>();
		for (const row of rows) {
			const task = relayTask.safeParse(row);
			if (task.success && kinds.has(task.data.task_id)) {
				result.set(task.data.task_id, snapshotFromRelay(task.data, kinds.get(task.data.task_id) ?? 'music', false));
			} else if (!task.success) {
				const id = (row as { task_id?: unknown } | null)?.task_id;
				if (typeof id === 'string' && kinds.has(id)) unanswered.add(id);
			}
		}
		return Object.assign(result, { unanswered });
	}

	#fetchEach(refs: TaskRef[], signal?: AbortSignal): Promise<StatusMap> {
		return fetchGroups(refs, this.#deps.concurrency, async (ref) => [await this.#fetchOne(ref, signal)]);
	}

	async #fetchOne(ref: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot> {
		const ctx = errorContext(this.#deps, this.family, 'fetch', false);
		const path = `/suno/fetch/${encodeURIComponent(ref.taskId)}`;
		return this.#deps.http.send({ op: 'fetch', method: 'GET', path, signal }, (res) => {
			const data = this.#envelopeData(res, ctx);
			if (data === null || data === undefined)
				throw new ProviderError({ kind: 'not_found', detail: `newapi fetch: ${ref.taskId} has no data` });
			const task = relayTask.safeParse(data);
			if (task.success) return snapshotFromRelay(task.data, ref.kind, false);
			// Suno-API answers with the task's bare data (clips or lyrics), §3.5.
			return snapshotFromBareData(ref.taskId, data, ref.kind);
		});
	}
}
