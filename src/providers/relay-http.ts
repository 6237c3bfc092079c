import { ProviderError } from '../core/errors.ts';
import type { StatusMap, TaskKind, TaskRef, TaskSnapshot } from '../core/provider.ts';
import { type AdapterDeps, assignDefined, errorContext, type FeatureProbe, is2xx } from './adapter.ts';
import { fetchGroups } from './common.ts';
import { type ErrorContext, protocolError, relayError, UNSUPPORTED_TEXT } from './errors.ts';
import type { FeatureMemory } from './features.ts';
import type { HttpResponse } from './http.ts';
import { relayEnvelope, relayTask, snapshotFromBareData, snapshotFromRelay } from './relay-wire.ts';

/** Family A over HTTP: the envelope every answer comes in, polling (batch or one by one), the feature probe. */

export function relayEnvelopeData(res: HttpResponse, ctx: ErrorContext): unknown {
	if (!is2xx(res.status)) throw relayError(res, ctx);
	// A stock new-api has no upload route: its web app answers the unknown path with its HTML page and 200.
	if (ctx.optional && !res.isJson && /<(!doctype|html)/i.test(res.text)) {
		throw new ProviderError({
			kind: 'unsupported',
			userMessage: UNSUPPORTED_TEXT[ctx.op] ?? 'This music provider does not offer that.',
			detail: `${ctx.family} ${ctx.op}: HTTP ${res.status} with an HTML page: the gateway has no such route`,
			status: res.status,
		});
	}
	const envelope = relayEnvelope.safeParse(res.json);
	if (!res.isJson || !envelope.success) throw protocolError(res, ctx, 'body is not a {code,message,data} envelope');
	if (envelope.data.code !== 'success') throw relayError(res, ctx);
	return envelope.data.data;
}

/** Polls family-A tasks: one batch `POST /suno/fetch`, or one GET per task on gateways without it (learnt). */
export class RelayFetcher {
	readonly #deps: AdapterDeps;
	#noBatch = false;

	constructor(deps: AdapterDeps) {
		this.#deps = deps;
	}

	fetch(refs: TaskRef[], kinds: Map<string, TaskKind>, signal?: AbortSignal): Promise<StatusMap> {
		return this.#noBatch ? this.#each(refs, signal) : this.#batch(refs, kinds, signal);
	}

	async #batch(refs: TaskRef[], kinds: Map<string, TaskKind>, signal?: AbortSignal): Promise<StatusMap> {
		const ctx = errorContext(this.#deps, 'newapi', 'fetch', false);
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
				const data = relayEnvelopeData(res, ctx);
				if (!Array.isArray(data)) throw protocolError(res, ctx, 'batch fetch data is not an array');
				return data;
			},
		);
		if (rows === undefined) {
			this.#noBatch = true;
			return this.#each(refs, signal);
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

	#each(refs: TaskRef[], signal?: AbortSignal): Promise<StatusMap> {
		return fetchGroups(refs, this.#deps.concurrency, async (ref) => [await this.#one(ref, signal)]);
	}

	async #one(ref: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot> {
		const ctx = errorContext(this.#deps, 'newapi', 'fetch', false);
		const path = `/suno/fetch/${encodeURIComponent(ref.taskId)}`;
		return this.#deps.http.send({ op: 'fetch', method: 'GET', path, signal }, (res) => {
			const data = relayEnvelopeData(res, ctx);
			if (data === null || data === undefined)
				throw new ProviderError({ kind: 'not_found', detail: `newapi fetch: ${ref.taskId} has no data` });
			const task = relayTask.safeParse(data);
			if (task.success) return snapshotFromRelay(task.data, ref.kind, false);
			// Suno-API answers with the task's bare data (clips or lyrics), §3.5.
			return snapshotFromBareData(ref.taskId, data, ref.kind);
		});
	}
}

/**
 * Asks for concat and upload with requests a gateway refuses before charging (an empty clip id, an
 * empty URL): a validation error means the route exists; invalid_action, "no channel for suno_concat"
 * or the relay's web page means it does not. What it finds is learnt like a refusal.
 */
export async function probeRelayFeatures(
	deps: AdapterDeps,
	learnt: FeatureMemory,
	signal?: AbortSignal,
): Promise<FeatureProbe> {
	const found: FeatureProbe = {};
	const probes: [name: 'concat' | 'upload', path: string, body: Record<string, unknown>][] = [
		['concat', '/suno/submit/concat', { clip_id: '', is_infill: false }],
		['upload', '/suno/uploads/audio-url', { url: '' }],
	];
	for (const [name, path, body] of probes) {
		const ctx = errorContext(deps, 'newapi', name, false, true);
		const call = { op: `probe-${name}`, method: 'POST' as const, path, body, signal };
		try {
			await deps.http.send(call, (res) => relayEnvelopeData(res, ctx));
			found[name] = true;
		} catch (error) {
			if (!(error instanceof ProviderError)) throw error;
			if (error.kind === 'unsupported') found[name] = false;
			else if (error.kind === 'invalid_input' || error.kind === 'not_found') found[name] = true;
			else continue;
		}
		learnt.learn(name, found[name] as boolean);
	}
	return found;
}
