import { ProviderError } from '../core/errors.ts';
import type {
	CallbackUpdate,
	Capabilities,
	GenerateRequest,
	InputLimits,
	ModelId,
	SongProvider,
	SubmitOptions,
	Submitted,
	TaskRef,
	TaskSnapshot,
} from '../core/provider.ts';
import {
	type AdapterDeps,
	assignDefined,
	errorContext,
	is2xx,
	type FeatureProbe,
	type Probe,
	type ProbeResult,
} from './adapter.ts';
import { FeatureMemory } from './features.ts';
import { type AnyRequest, fetchGroups, uniqueRefs, unsupported, validateCommon } from './common.ts';
import { type ErrorContext, protocolError, relayError } from './errors.ts';
import type { HttpResponse } from './http.ts';
import { limitsFor, modelsOf, wireModel } from './models.ts';
import { nonEmpty } from './normalise.ts';
import { legacyBody, relayEnvelope, relayTask, snapshotFromLegacy, snapshotFromRelay } from './relay-wire.ts';

type QueryRoute = 'tasks' | 'query';

/**
 * Family C: `/v1/music/generations` and its task query (suno-wire-formats.md §6). Only documentation
 * exists: the query path is `/v1/music/tasks/{id}` or `/v1/music/query?task_id=`, so the adapter
 * tries the first, falls back to the second on a route-level 404, and remembers what worked.
 */
export class V1MusicProvider implements SongProvider, Probe {
	readonly family = 'v1music' as const;
	readonly capabilities: Capabilities;
	readonly learnt: FeatureMemory;
	readonly #deps: AdapterDeps;
	#route: QueryRoute = 'tasks';

	constructor(deps: AdapterDeps) {
		this.#deps = deps;
		this.capabilities = {
			extend: false,
			lyrics: false,
			upload: false,
			cover: false,
			concat: false,
			negativeStyle: false,
			vocalGender: true,
			callbacks: false,
			credits: false,
			batchSize: 1,
			models: modelsOf(deps.models),
			defaultModel: deps.defaultModel,
			modelAliases: deps.modelAliases,
		};
		this.learnt = new FeatureMemory(this.capabilities, deps.features);
	}

	get variant(): string {
		return 'v1music gateway';
	}

	/** Nothing to probe: what this family offers is documented, and SUNO_FEATURES can still turn a feature off. */
	async probeFeatures(): Promise<FeatureProbe> {
		return {};
	}

	limits(model: ModelId): InputLimits {
		return limitsFor(model);
	}

	validate(request: AnyRequest): void {
		if ('source' in request) throw unsupported(this.family, 'extend');
		if ('sourceAudioUrl' in request) throw unsupported(this.family, 'cover');
		validateCommon(this.family, this.capabilities, (m) => this.limits(m), request);
	}

	async generate(request: GenerateRequest, options: SubmitOptions = {}): Promise<Submitted> {
		this.validate(request);
		const custom = request.mode === 'custom';
		// `prompt` is always required: the description, or the lyrics (the style stands in for an instrumental).
		const prompt = custom ? (nonEmpty(request.lyrics) ?? request.style ?? request.title ?? '') : request.description;
		const body = assignDefined(
			{
				prompt,
				model: wireModel(this.family, this.#deps.models, request.model),
				custom_mode: custom,
				instrumental: request.instrumental === true,
			},
			{
				style: custom ? request.style : undefined,
				title: custom ? request.title : undefined,
				vocal_gender: request.instrumental ? undefined : request.vocalGender,
			},
		);
		const ctx = errorContext(this.#deps, this.family, 'generate', true);
		const call = {
			op: 'generate',
			method: 'POST' as const,
			path: '/v1/music/generations',
			body,
			submit: true,
			signal: options.signal,
		};
		return this.#deps.http.send(call, (res) => {
			const snapshot = this.#snapshot(res, ctx, 'music');
			if (snapshot === undefined || snapshot.taskId === '')
				throw protocolError(res, ctx, 'no task in a successful submit');
			return { taskId: snapshot.taskId, snapshot };
		});
	}

	async extend(): Promise<Submitted> {
		throw unsupported(this.family, 'extend');
	}
	async lyrics(): Promise<Submitted> {
		throw unsupported(this.family, 'lyrics');
	}
	async upload(): Promise<Submitted> {
		throw unsupported(this.family, 'upload');
	}
	async cover(): Promise<Submitted> {
		throw unsupported(this.family, 'cover');
	}
	async concat(): Promise<Submitted> {
		throw unsupported(this.family, 'concat');
	}

	async fetch(refs: readonly TaskRef[], options: { signal?: AbortSignal } = {}): Promise<Map<string, TaskSnapshot>> {
		const result = await fetchGroups(uniqueRefs(refs), this.#deps.concurrency, async (ref) => [
			await this.#fetchOne(ref, options.signal),
		]);
		options.signal?.throwIfAborted();
		return result;
	}

	async credits(): Promise<number | undefined> {
		return undefined;
	}

	/** No callbacks are documented; a relay-shaped body (like family A's) is accepted defensively. */
	parseCallback(body: unknown): CallbackUpdate[] {
		const direct = relayTask.safeParse(body);
		const wrapped = relayEnvelope.safeParse(body);
		const task = direct.success ? direct : relayTask.safeParse(wrapped.success ? wrapped.data.data : undefined);
		if (!task.success) throw new ProviderError({ kind: 'protocol', detail: 'v1music callback: body is not a task' });
		return [{ snapshot: snapshotFromRelay(task.data, undefined, true) }];
	}

	/** Queries a task id nobody has: "not found" from the task route proves reachability and the key. */
	async probe(options: { signal?: AbortSignal } = {}): Promise<ProbeResult> {
		try {
			await this.#fetchOne({ taskId: 'songbot-doctor-probe', kind: 'music' }, options.signal);
		} catch (error) {
			if (!(error instanceof ProviderError && error.kind === 'not_found')) throw error;
		}
		return {};
	}

	/** The task envelope, or the legacy `{created, data[]}` body (§6.2), as a snapshot. */
	#snapshot(res: HttpResponse, ctx: ErrorContext, kind: 'music'): TaskSnapshot | undefined {
		if (!is2xx(res.status)) throw relayError(res, ctx);
		if (!res.isJson) throw protocolError(res, ctx, 'body is not JSON');
		const legacy = legacyBody.safeParse(res.json);
		if (legacy.success && (res.json as { created?: unknown }).created !== undefined) {
			return legacy.data.data.length > 0 ? snapshotFromLegacy(legacy.data) : undefined;
		}
		const envelope = relayEnvelope.safeParse(res.json);
		if (!envelope.success) throw protocolError(res, ctx, 'body is not a task envelope');
		if (envelope.data.code !== 'success') throw relayError(res, ctx);
		if (envelope.data.data === null || envelope.data.data === undefined) return undefined;
		const task = relayTask.safeParse(envelope.data.data);
		if (!task.success) throw protocolError(res, ctx, 'data is not a task');
		return snapshotFromRelay(task.data, kind, true);
	}

	async #fetchOne(ref: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot> {
		const first = this.#route;
		const answer = await this.#query(first, ref, signal);
		if (answer !== 'no-route') return answer;
		const other: QueryRoute = first === 'tasks' ? 'query' : 'tasks';
		const second = await this.#query(other, ref, signal);
		if (second === 'no-route') {
			throw new ProviderError({
				kind: 'unavailable',
				retryable: false,
				userMessage:
					'The music provider has no task API at this address. The bot operator needs to check SUNO_BASE_URL.',
				detail: 'v1music fetch: both /v1/music/tasks/{id} and /v1/music/query answered 404 without JSON',
			});
		}
		this.#route = other;
		return second;
	}

	async #query(route: QueryRoute, ref: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot | 'no-route'> {
		const ctx = errorContext(this.#deps, this.family, 'fetch', false);
		const id = encodeURIComponent(ref.taskId);
		const call =
			route === 'tasks'
				? { op: 'fetch', method: 'GET' as const, path: `/v1/music/tasks/${id}`, signal }
				: { op: 'fetch', method: 'GET' as const, path: '/v1/music/query', query: { task_id: ref.taskId }, signal };
		return this.#deps.http.send(call, (res) => {
			// A 404 that is not a JSON "task not exist" answer means the gateway lacks this route.
			if (res.status === 404 && !(res.isJson && /not[ _]?(exist|found)/i.test(res.text))) return 'no-route' as const;
			const snapshot = this.#snapshot(res, ctx, 'music');
			if (snapshot === undefined)
				throw new ProviderError({ kind: 'not_found', detail: `v1music fetch: no task ${ref.taskId}` });
			return snapshot;
		});
	}
}
