import type { ProviderErrorKind } from '../core/errors.ts';
import type { ClipState, TaskKind, TaskStatus } from '../core/provider.ts';

/**
 * Pure mapping rules shared by the three families (suno-wire-formats.md §2 and §7): statuses, clip
 * states, timestamps, numbers that arrive as strings. Nothing here knows about HTTP.
 */

/** A non-empty trimmed string, or undefined. */
export function nonEmpty(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

/** A finite number from a number or a numeric string (`"104.88"`, `219`); undefined otherwise. */
export function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const parsed = Number(value.trim());
	return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * Epoch milliseconds from seconds, milliseconds, ISO 8601 or `"YYYY-MM-DD HH:mm:ss"` (treated as UTC).
 * A number above 1e12 is already milliseconds (§2.4); 0 and negatives mean "not set".
 */
export function toMs(value: unknown): number | undefined {
	const numeric = toNumber(value);
	if (numeric !== undefined) {
		if (numeric <= 0) return undefined;
		return numeric > 1e12 ? Math.round(numeric) : Math.round(numeric * 1000);
	}
	const text = nonEmpty(value);
	if (text === undefined) return undefined;
	const plain = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
	const parsed = Date.parse(plain);
	return Number.isNaN(parsed) ? undefined : parsed;
}

/** Progress from `"72%"`, `"72"` or `72`, clamped to 0–100. */
export function parseProgress(value: unknown): number | undefined {
	const text = typeof value === 'string' ? value.replace('%', '') : value;
	const numeric = toNumber(text);
	return numeric === undefined ? undefined : Math.min(100, Math.max(0, numeric));
}

const QUEUED = new Set(['NOT_START', 'SUBMITTED', 'QUEUED', 'QUEUEING', 'PENDING', 'WAITING', 'CREATED']);
const SUCCEEDED = new Set(['SUCCESS', 'SUCCEEDED', 'COMPLETE', 'COMPLETED']);

/**
 * The defensive task-status matcher (§2.2): FAIL/ERROR → failed, the success words → succeeded,
 * known waiting words → queued, FIRST_SUCCESS → partial, anything else (IN_PROGRESS, TEXT_SUCCESS,
 * UNKNOWN, a word nobody documented) → running, i.e. keep polling under the caller's overall timeout.
 * Clip states then refine it: a complete clip makes a live task partial, a streaming clip makes a
 * queued task running. CALLBACK_EXCEPTION only means the webhook failed: finished audio wins.
 */
export function deriveTaskStatus(raw: string | null | undefined, clipStates: readonly ClipState[]): TaskStatus {
	const value = (raw ?? '').trim().toUpperCase();
	const anyComplete = clipStates.includes('complete');
	let status: TaskStatus;
	if (value === 'CALLBACK_EXCEPTION') status = anyComplete ? 'succeeded' : 'failed';
	else if (value.includes('FAIL') || value.includes('ERROR')) status = 'failed';
	else if (SUCCEEDED.has(value)) status = 'succeeded';
	else if (value === 'FIRST_SUCCESS') status = 'partial';
	else if (QUEUED.has(value)) status = 'queued';
	else status = 'running';
	if ((status === 'queued' || status === 'running') && anyComplete) return 'partial';
	if (status === 'queued' && clipStates.includes('streaming')) return 'running';
	return status;
}

/**
 * Clip state from a raw Suno clip `status` (§2.3), or a reseller's flattened `state`. Undefined when
 * neither says anything usable, so the caller falls back to the URLs.
 */
export function clipStateFromWords(status?: string | null, state?: string | null): ClipState | undefined {
	for (const word of [status, state]) {
		const value = (word ?? '').trim().toLowerCase();
		if (value === '') continue;
		if (value.includes('fail') || value.includes('error')) return 'error';
		if (['complete', 'completed', 'succeeded', 'success'].includes(value)) return 'complete';
		if (['streaming', 'running', 'processing'].includes(value)) return 'streaming';
		if (['submitted', 'queued', 'pending', 'waiting'].includes(value)) return 'pending';
	}
	return undefined;
}

/** Families without a per-clip status (B, C): a final URL means complete, a stream URL streaming. */
export function clipStateFromUrls(audioUrl: string | undefined, streamUrl: string | undefined): ClipState {
	if (audioUrl !== undefined) return 'complete';
	if (streamUrl !== undefined) return 'streaming';
	return 'pending';
}

const CONTENT_POLICY =
	/sensitive|moderat|content polic|policy|copyright|violat|inappropriate|prohibited|artist name|敏感|违规|违禁/i;
const TIMED_OUT = /time ?out|timed out|超时/i;

/** Maps free failure text (fail_reason, errorMessage, error_type) to a kind the UI can act on. */
export function failureKindFromText(...texts: readonly (string | null | undefined)[]): ProviderErrorKind | undefined {
	const joined = texts.filter((t): t is string => typeof t === 'string').join(' ');
	if (CONTENT_POLICY.test(joined)) return 'content_policy';
	if (TIMED_OUT.test(joined)) return 'timeout';
	return undefined;
}

/** Family A's `action` (and the like) to a task kind; the caller's own kind wins when unknown. */
export function kindFromAction(action: string | null | undefined, fallback: TaskKind): TaskKind {
	switch ((action ?? '').toUpperCase()) {
		case 'MUSIC':
		case 'GENERATIONS':
			return 'music';
		case 'LYRICS':
			return 'lyrics';
		case 'UPLOAD':
			return 'upload';
		case 'CONCAT':
			return 'concat';
		default:
			return fallback;
	}
}

/** `audio_url` values that mean "no audio" even though they are non-empty (§3.7: `…/None.mp3`). */
export function usableUrl(value: unknown): string | undefined {
	const url = nonEmpty(value);
	if (url === undefined || /\/None\.mp3$/i.test(url)) return undefined;
	return url;
}
