import { ProviderError } from '../core/errors.ts';
import type { TaskRef, TaskSnapshot } from '../core/provider.ts';
import { type AdapterDeps, errorContext } from './adapter.ts';
import { type ErrorContext, protocolError, sunoError } from './errors.ts';
import type { HttpResponse } from './http.ts';
import { nonEmpty, toNumber } from './normalise.ts';
import type { SunoCalls } from './sunoapi-tools.ts';
import { isToolKind, snapshotFromToolRecord, TOOL_RECORDS, type ToolRecord, toolRecord } from './sunoapi-tools-wire.ts';
import { type RecordInfo, recordInfo, snapshotFromRecord, sunoEnvelope } from './sunoapi-wire.ts';

/**
 * Family B over HTTP: the `{code,msg,data}` envelope every answer comes in, submits and calls answered at once,
 * polling one task, the credit balance. Kept apart from the adapter (sunoapi.ts), which builds the requests, as
 * relay-http.ts is from newapi.ts: the studio tools (sunoapi-tools.ts) go through the same calls.
 */

/** Family B's upload-extend and upload-cover take the audio URL itself, so `upload` needs no request. */
export const UPLOAD_PREFIX = 'upload:';

/** Outcomes travel in the body `code` over HTTP 200: anything but 200 there is the provider's refusal. */
export function sunoEnvelopeData(res: HttpResponse, ctx: ErrorContext): unknown {
	const envelope = sunoEnvelope.safeParse(res.json);
	if (!res.isJson || !envelope.success || envelope.data.code === undefined || envelope.data.code === null) {
		if (res.status >= 400) throw sunoError(res, ctx);
		throw protocolError(res, ctx, 'body is not a {code,msg,data} envelope');
	}
	if (toNumber(envelope.data.code) !== 200) throw sunoError(res, ctx);
	return envelope.data.data;
}

/** The two ways a family-B request is sent: a submit that answers a task id, a call answered at once. */
export function sunoCalls(deps: AdapterDeps): Pick<SunoCalls, 'submit' | 'call'> {
	return {
		submit: async (op, path, body, options) => {
			const ctx = errorContext(deps, 'sunoapi', op, true);
			return deps.http.send({ op, method: 'POST', path, body, submit: true, signal: options.signal }, (res) => {
				const data = sunoEnvelopeData(res, ctx) as { taskId?: unknown; task_id?: unknown } | null;
				const taskId = nonEmpty(data?.taskId) ?? nonEmpty(data?.task_id);
				if (taskId === undefined) throw protocolError(res, ctx, 'no taskId in a successful submit');
				return { taskId };
			});
		},
		call: async (op, path, body, charged, signal, read) => {
			const ctx = errorContext(deps, 'sunoapi', op, charged);
			const call = { op, method: 'POST' as const, path, body, submit: charged, signal };
			return deps.http.send(call, (res) => read(sunoEnvelopeData(res, ctx), res, ctx));
		},
	};
}

/** One task's record-info: songs and lyrics have theirs, each studio tool its own (§4.3); uploads need none. */
export async function fetchSunoTask(deps: AdapterDeps, ref: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot> {
	if (ref.taskId.startsWith(UPLOAD_PREFIX)) return uploadSnapshot(ref.taskId);
	const ctx = errorContext(deps, 'sunoapi', 'fetch', false);
	const tool = isToolKind(ref.kind) ? ref.kind : undefined;
	const path = tool
		? TOOL_RECORDS[tool]
		: ref.kind === 'lyrics'
			? '/api/v1/lyrics/record-info'
			: '/api/v1/generate/record-info';
	const call = { op: 'fetch', method: 'GET' as const, path, query: { taskId: ref.taskId }, signal };
	return deps.http.send(call, (res) => {
		const data = sunoEnvelopeData(res, ctx);
		if (data === null || data === undefined) {
			throw new ProviderError({ kind: 'not_found', detail: `sunoapi fetch: no record for ${ref.taskId}` });
		}
		const record = (tool ? toolRecord : recordInfo).safeParse(data);
		if (!record.success) throw protocolError(res, ctx, `${tool ?? 'record'}-info data has an unexpected shape`);
		return tool
			? snapshotFromToolRecord(tool, ref.taskId, record.data as ToolRecord)
			: snapshotFromRecord(ref.taskId, record.data as RecordInfo, ref.kind);
	});
}

export async function sunoCredits(deps: AdapterDeps, signal?: AbortSignal): Promise<number> {
	const ctx = errorContext(deps, 'sunoapi', 'credits', false);
	const call = { op: 'credits', method: 'GET' as const, path: '/api/v1/generate/credit', signal };
	return deps.http.send(call, (res) => {
		const credits = toNumber(sunoEnvelopeData(res, ctx));
		if (credits === undefined) throw protocolError(res, ctx, 'credit data is not a number');
		return credits;
	});
}

/** An upload is a finished task whose one clip id is the URL (see SunoApiProvider.upload). */
export function uploadSnapshot(taskId: string): TaskSnapshot {
	const url = taskId.slice(UPLOAD_PREFIX.length);
	return { taskId, kind: 'upload', status: 'succeeded', clips: [{ id: taskId, state: 'complete', audioUrl: url }] };
}
