import type { IncomingHttpHeaders } from 'node:http';

/**
 * Public types of the fake music providers (suno-wire-formats.md §9). One engine keeps tasks, the
 * timeline, faults and the record of requests; a family driver speaks the wire format.
 */

export type FakeFamily = 'newapi' | 'sunoapi' | 'v1music';

/**
 * Flavours per family:
 * - newapi: `newapi` (stock new-api, default), `onehub` (404 not-found), `sunoapi-go` (Suno-API: bare-data
 *   GET, UUID ids, slow lyrics submit), `reseller` (notify_hook, uploads, concat, flattened clips,
 *   string durations, lyrics as an array), `hybrid` (new-api over sunoapi.org: B statuses, camelCase clips, ms times).
 * - sunoapi: `sunoapi` (default), `kie` (body 402 for credits, 429 for throttling, 422 without callBackUrl,
 *   lyricsData, snake_case lyrics callbacks, signed callbacks with `webhookKey`), `apibox` (api.box: sunoapi.org's
 *   codes, failure stage `failed`), `http-status` (real HTTP status = body code on errors).
 * - v1music: `v1music` (default), `legacy` (synchronous `{created, data[]}` answers).
 */
export type NewApiMode = 'newapi' | 'onehub' | 'sunoapi-go' | 'reseller' | 'hybrid';
export type SunoApiMode = 'sunoapi' | 'kie' | 'apibox' | 'http-status';
export type V1MusicMode = 'v1music' | 'legacy';
export type FakeMode = NewApiMode | SunoApiMode | V1MusicMode;

/** Internal lifecycle every family renders in its own words. */
export type Stage = 'submitted' | 'queued' | 'text' | 'streaming' | 'first' | 'done' | 'failed';

/**
 * How a new task ends: `success` (two takes), `partial` (take 1 done, take 2 fails), `content_policy`
 * (refused after queueing), `failure` (fails while streaming), `stuck` (never gets past streaming),
 * `callback_exception` (family B: finished audio with status CALLBACK_EXCEPTION).
 */
export type Outcome = 'success' | 'partial' | 'content_policy' | 'failure' | 'stuck' | 'callback_exception';

/**
 * What moves tasks forward: only explicit calls (`manual`), every N polls of that task (`polls`,
 * default every 1), or wall-clock time (`clock`, for the sandbox).
 */
export type Timeline = { type: 'manual' } | { type: 'polls'; every?: number } | { type: 'clock'; stepMs: number };

export type RouteClass = 'submit' | 'fetch' | 'credits' | 'file' | 'callback' | 'other';

/** A fault rendered in the family's own error shape. */
export type FaultKind =
	| 'auth'
	| 'credits'
	| 'rate_limited'
	| 'unavailable'
	| 'gateway'
	| 'maintenance'
	| 'server_error'
	| 'not_found'
	| 'invalid'
	| 'content_policy'
	| 'malformed'
	| 'disconnect'
	| 'slow';

/**
 * Faults the server applies itself, the same in every family. `truncated`: the family's real answer (the request
 * is handled, a poll counts) cut off halfway, as a 200 JSON body that ends early: an incomplete status answer.
 */
export type ServerFaultKind = 'truncated';

export interface FaultSpec {
	/** Which requests: a route class, an exact path (with or without the mount prefix) or a RegExp. Default: every API route. */
	on?: RouteClass | 'any' | string | RegExp;
	/** Only requests this also accepts, e.g. a batch fetch whose body carries one task id. */
	match?: (request: RecordedRequest) => boolean;
	/** How many matching requests it hits. Default 1; Infinity for all. */
	times?: number;
	kind?: FaultKind | ServerFaultKind;
	/** A custom answer instead of `kind`. */
	status?: number;
	body?: unknown;
	raw?: string;
	headers?: Record<string, string>;
	/** Wait before answering (with `kind: 'slow'` the normal answer follows the wait). */
	delayMs?: number;
	/**
	 * Submits only: the task is created (and charged) before the fault replaces the answer; with `delayMs` the
	 * answer (the fault's, or the normal one for `slow`) is held back that long after the task exists.
	 */
	afterAccept?: boolean;
}

export interface RecordedRequest {
	method: string;
	/** Full path including any mount prefix. */
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	/** Parsed JSON body, or undefined. */
	body: unknown;
	raw: string;
	route: RouteClass;
	/** generate, extend, cover, upload-extend, lyrics, upload, concat, fetch, credits, file, ... */
	op: string;
	at: number;
	fault?: FaultKind | ServerFaultKind | 'custom';
}

export interface SentCallback {
	taskId: string;
	url: string;
	body: unknown;
	at: number;
	status?: number;
	error?: string;
}

export interface FakeClip {
	id: string;
	index: number;
	title: string;
	tags: string;
	lyrics: string;
	audio: 'take-1' | 'take-2' | 'broken';
	durationSec: number;
	createdAt: number;
	/** stem, wav, video: a studio tool's result (family B), served from the source take's audio. */
	type: 'gen' | 'upload' | 'concat' | 'stem' | 'wav' | 'video';
	/** A split's part name (vocals, instrumental, drums, ...). */
	stem?: string;
}

export interface FakeTask {
	id: string;
	kind: 'music' | 'lyrics' | 'upload' | 'concat' | 'split' | 'wav' | 'video';
	op: string;
	request: Record<string, unknown>;
	/** The wire model name the request used (after defaults). */
	model: string;
	stage: Stage;
	outcome: Outcome;
	failure?: { reason: string; policy: boolean; partial: boolean; code?: number; status?: string };
	clips: FakeClip[];
	lyrics?: { title: string; text: string }[];
	createdAt: number;
	startedAt?: number;
	finishedAt?: number;
	polls: number;
	callbackUrl?: string;
	sourceTaskId?: string;
	sourceClipId?: string;
}

/**
 * Optional content of the tasks instead of the fixtures (the offline sandbox makes titles, lyrics, cover art and
 * audio from each request). Everything else (stages, wire formats, faults) stays the fake's.
 */
export interface FakeStudio {
	/** Called once for each new task, before anyone can see it: may change its clips and lyrics in place. */
	compose?(task: FakeTask): void;
	/** The bytes to serve for a clip's audio (`mp3`, also its streams) or cover (`png`); undefined: the fixture. */
	file?(clip: FakeClip, kind: 'mp3' | 'png'): Promise<Buffer | undefined>;
}

export interface FakeProviderOptions {
	family: FakeFamily;
	mode?: FakeMode;
	apiKey?: string;
	/** Default `{type: 'polls', every: 1}`. */
	timeline?: Timeline;
	/** Outcome of new tasks; default `success`. Prompts containing a blocked word end in `content_policy`. */
	outcome?: Outcome;
	/** Default ['forbidden']. */
	blockedWords?: string[];
	/** Credits in the account (family B reports them); default 1000. A song costs 10, lyrics 2. */
	credits?: number;
	/** Family A: mount prefix, e.g. `/v1` (the baseUrl then ends with it). */
	pathPrefix?: string;
	/** Send every callback twice (idempotency tests). */
	duplicateCallbacks?: boolean;
	/** Family A reseller: wrap notify_hook bodies in `{code, message, data}`. */
	notifyWrapped?: boolean;
	/**
	 * Family A stock modes: how a concat is refused: `invalid_action` (HTTP 400, default) or `no_channel`
	 * (HTTP 503, no channel serves `suno_concat`, new-api's default channel setup).
	 */
	concatRefusal?: 'invalid_action' | 'no_channel';
	/** Family B kie: sign callbacks (X-Webhook-Timestamp, X-Webhook-Signature) with this key. */
	webhookKey?: string;
	/** Suno-API mode: how long a lyrics submit takes; default 300 ms. */
	lyricsSubmitDelayMs?: number;
	/** Family C: which query routes exist (default both). */
	queryRoutes?: { tasks?: boolean; query?: boolean };
	/** Throttle submits: at most `max` per `windowMs` (family B documents 20 per 10 s). Off by default. */
	rateLimit?: { max: number; windowMs: number };
	/** Serve broken.mp3 as the second take's audio. */
	brokenAudio?: boolean;
	/** Made-up content instead of the fixtures (see {@link FakeStudio}). */
	studio?: FakeStudio;
	host?: string;
	port?: number;
	/**
	 * Origin put in the audio, cover and stream URLs the fake reports instead of its own (e.g.
	 * `http://169.254.169.254`), to test what the bot does with URLs pointing elsewhere.
	 */
	fileOrigin?: string;
}
