import { ProviderError } from '../core/errors.ts';
import type {
	Capabilities,
	CoverRequest,
	ExtendRequest,
	Family,
	GenerateRequest,
	InputLimits,
	ModelId,
	StatusMap,
	TaskRef,
	TaskSnapshot,
} from '../core/provider.ts';

/** Pieces every adapter shares: input checks before anything is sent, and batched fetching. */

export type AnyRequest = GenerateRequest | ExtendRequest | CoverRequest;

const OPERATION_NAMES: Record<string, string> = {
	extend: 'extending songs',
	lyrics: 'writing lyrics',
	upload: 'uploading audio',
	cover: 'covers (new style over a take)',
	concat: 'joining an extension into the full song',
	negativeStyle: 'styles to avoid',
	vocalGender: 'choosing the vocal gender',
	persona: 'house singers (personas)',
};

export function unsupported(family: Family, operation: string): ProviderError {
	return new ProviderError({
		kind: 'unsupported',
		userMessage: `This music provider does not offer ${OPERATION_NAMES[operation] ?? operation}.`,
		detail: `${family} has no ${operation} operation`,
	});
}

export function invalidInput(userMessage: string, detail?: string): ProviderError {
	return new ProviderError({ kind: 'invalid_input', userMessage, detail: detail ?? userMessage });
}

/** Throws invalid_input when `value` is longer than `max` characters (code points, as users count them). */
export function checkLength(label: string, value: string | undefined, max: number, model: ModelId): void {
	if (value === undefined) return;
	const length = [...value].length;
	if (length > max) {
		throw invalidInput(`The ${label} is too long for model ${model}: ${length} characters, at most ${max}.`);
	}
}

function isGenerate(request: AnyRequest): request is GenerateRequest {
	return 'mode' in request;
}
function isExtend(request: AnyRequest): request is ExtendRequest {
	return 'source' in request;
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

/** The checks all families share; family rules run after these (`extra`). */
export function validateCommon(
	family: Family,
	capabilities: Capabilities,
	limits: (model: ModelId) => InputLimits,
	request: AnyRequest,
): void {
	if (!capabilities.models.includes(request.model)) {
		throw invalidInput(
			`Unknown model "${String(request.model)}". This provider offers: ${capabilities.models.join(', ')}.`,
		);
	}
	if (request.negativeStyle !== undefined && request.negativeStyle.trim() !== '' && !capabilities.negativeStyle) {
		throw unsupported(family, 'negativeStyle');
	}
	if (request.personaId !== undefined && capabilities.persona !== true) throw unsupported(family, 'persona');
	if (request.vocalGender !== undefined) {
		if (!capabilities.vocalGender) throw unsupported(family, 'vocalGender');
		if (request.vocalGender !== 'f' && request.vocalGender !== 'm')
			throw invalidInput('The vocal gender must be f or m.');
	}
	const max = limits(request.model);
	checkLength('lyrics', request.lyrics, max.lyrics, request.model);
	checkLength('style', request.style, max.style, request.model);
	checkLength('title', request.title, max.title, request.model);
	checkLength('list of styles to avoid', request.negativeStyle, max.negativeStyle, request.model);
	if (isGenerate(request)) {
		if (request.mode === 'describe') {
			if (request.description.trim() === '') throw invalidInput('Describe the song you want.');
			checkLength('description', request.description, max.description, request.model);
		} else if (!request.instrumental && (request.lyrics ?? '').trim() === '') {
			throw invalidInput('Write some lyrics, or make the song instrumental.');
		}
	} else if (isExtend(request)) {
		if (request.source.clipId.trim() === '') throw invalidInput('Choose the take to extend.');
		const at = request.continueAtSec;
		if (at !== undefined && (!Number.isFinite(at) || at <= 0)) {
			throw invalidInput('The point to continue from must be a number of seconds after the start.');
		}
	} else if (!isHttpUrl(request.sourceAudioUrl)) {
		throw invalidInput('The source audio must be an http(s) URL.');
	}
}

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
	return out;
}

/**
 * Runs `one` per group with bounded concurrency and merges the snapshots. A group that fails with
 * not_found is simply absent (the provider said so); the ids of a group that fails otherwise are listed in
 * `unanswered` ("no news this tick", never "not found") unless every group failed, in which case the first
 * non-not_found error is thrown so callers see an outage (auth, credits, unreachable) instead of an empty answer.
 */
export async function fetchGroups<G extends TaskRef | readonly TaskRef[]>(
	groups: readonly G[],
	concurrency: number,
	one: (group: G) => Promise<readonly TaskSnapshot[] | StatusMap>,
): Promise<StatusMap> {
	const result = new Map<string, TaskSnapshot>();
	const unanswered = new Set<string>();
	const errors: unknown[] = [];
	let succeeded = 0;
	let next = 0;
	const worker = async () => {
		while (next < groups.length) {
			const group = groups[next++] as G;
			try {
				const answer = await one(group);
				for (const snapshot of answer.values()) result.set(snapshot.taskId, snapshot);
				if ('unanswered' in answer) for (const id of answer.unanswered ?? []) unanswered.add(id);
				succeeded++;
			} catch (error) {
				// Aborts and bugs are not "no news": they end the whole call.
				if (!(error instanceof ProviderError)) throw error;
				if (error.kind === 'not_found') succeeded++;
				else {
					errors.push(error);
					for (const ref of Array.isArray(group) ? group : [group]) unanswered.add((ref as TaskRef).taskId);
				}
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), groups.length) }, worker));
	if (succeeded === 0 && errors.length > 0) throw errors[0];
	return Object.assign(result, { unanswered });
}

/** The refs of one fetch call, de-duplicated by task id. */
export function uniqueRefs(refs: readonly TaskRef[]): TaskRef[] {
	const seen = new Map<string, TaskRef>();
	for (const ref of refs) if (!seen.has(ref.taskId)) seen.set(ref.taskId, ref);
	return [...seen.values()];
}
