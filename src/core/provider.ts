import type { ProviderErrorKind } from './errors.ts';
import type { StudioTools, ToolFlags } from './studio.ts';

/**
 * The port every music API family is adapted to. No HTTP here: adapters in src/providers translate
 * each family's wire format (see shared/reference/suno-wire-formats.md) into these normalised types.
 */

export type Family = 'newapi' | 'sunoapi' | 'v1music';

/** Friendly names of the released models; each adapter maps them to its family's spelling. */
export const MODEL_IDS = ['v3.5', 'v4', 'v4.5', 'v4.5+', 'v4.5-all', 'v5', 'v5.5'] as const;
export type KnownModelId = (typeof MODEL_IDS)[number];
/**
 * A friendly model name: a released one (MODEL_IDS) or one the operator declared before the bot knew it
 * (`SUNO_MODELS=v6=chirp-xyz`), so a new model is usable the day it ships.
 */
export type ModelId = string;

/** queued: accepted, nothing generated; running: generating; partial: ≥ 1 clip final; succeeded; failed. */
export type TaskStatus = 'queued' | 'running' | 'partial' | 'succeeded' | 'failed';
export type ClipState = 'pending' | 'streaming' | 'complete' | 'error';
/** split, wav and video are studio tools' tasks (src/core/studio.ts): their results arrive as clips too. */
export type TaskKind = 'music' | 'lyrics' | 'upload' | 'concat' | 'split' | 'wav' | 'video';

export interface Clip {
	id: string;
	state: ClipState;
	title?: string;
	tags?: string;
	lyrics?: string;
	/** Playable while generating; not the final file. */
	streamUrl?: string;
	/** The final mp3, set only once the clip is complete. */
	audioUrl?: string;
	imageUrl?: string;
	imageLargeUrl?: string;
	videoUrl?: string;
	durationSec?: number;
	/** Model name as reported by the provider (informational only; never compared with the request). */
	modelName?: string;
	createdAt?: number;
	errorMessage?: string;
	/** A split's part (vocals, instrumental, drums, ...); absent on takes. */
	stem?: string;
}

export interface LyricsResult {
	title: string;
	text: string;
}

/** What a provider reports about one task at one moment, normalised. */
export interface TaskSnapshot {
	taskId: string;
	kind: TaskKind;
	status: TaskStatus;
	/** 0–100 where the family reports real progress. */
	progressPct?: number;
	failureReason?: string;
	/** Set when status is failed and the reason maps to a kind (e.g. content_policy). */
	failureKind?: ProviderErrorKind;
	/** The provider says it gave the credits of this failed generation back (family B code 531). */
	providerRefunded?: boolean;
	submittedAt?: number;
	finishedAt?: number;
	clips: Clip[];
	lyrics?: LyricsResult[];
}

export interface TaskRef {
	taskId: string;
	kind: TaskKind;
}

/**
 * What one status request round learned: snapshots by task id. A requested id that is absent was explicitly
 * not found by the provider, unless it is in `unanswered`: its request failed (429, 5xx, timeout, a reply that
 * could not be read), which says nothing about the task.
 */
export type StatusMap = Map<string, TaskSnapshot> & { unanswered?: ReadonlySet<string> };

export interface Submitted {
	taskId: string;
	/** Families that answer a submit with the full task (family C) report it here. */
	snapshot?: TaskSnapshot;
}

interface CustomFields {
	lyrics?: string;
	style?: string;
	title?: string;
	negativeStyle?: string;
	vocalGender?: 'f' | 'm';
	instrumental?: boolean;
	/** A persona (family B: the server's house singer, src/core/studio.ts) sings it; custom mode only. */
	personaId?: string;
}

export type GenerateRequest =
	| ({ mode: 'describe'; description: string; model: ModelId } & CustomFields)
	| ({ mode: 'custom'; model: ModelId } & CustomFields);

export interface ExtendRequest extends CustomFields {
	/** The task that produced the clip (family A requires it) and the clip to continue. */
	source: { taskId?: string; clipId: string };
	/** Seconds into the clip to continue from; undefined = from the end. */
	continueAtSec?: number;
	model: ModelId;
	/** The clip came from `upload` rather than a generation. */
	uploaded?: boolean;
}

export interface CoverRequest extends CustomFields {
	/** A URL the provider can download the source audio from. */
	sourceAudioUrl: string;
	model: ModelId;
}

export interface SubmitOptions {
	signal?: AbortSignal;
	/** Where the provider should POST status updates, when callbacks are enabled. */
	callbackUrl?: string;
}

export interface InputLimits {
	description: number;
	lyrics: number;
	style: number;
	title: number;
	negativeStyle: number;
	lyricsPrompt: number;
}

/** Also which studio tools the provider offers (ToolFlags: absent = not offered). */
export interface Capabilities extends ToolFlags {
	extend: boolean;
	lyrics: boolean;
	upload: boolean;
	cover: boolean;
	concat: boolean;
	negativeStyle: boolean;
	vocalGender: boolean;
	callbacks: boolean;
	credits: boolean;
	/** Largest number of task ids one fetch request may carry (1 = one request per task). */
	batchSize: number;
	models: readonly ModelId[];
	defaultModel: ModelId;
	/** Other spellings accepted for a model (the provider's own names; matched ignoring case) → its friendly name. */
	modelAliases?: Readonly<Record<string, ModelId>>;
}

export type ModelChoices = Pick<Capabilities, 'models' | 'modelAliases'>;

/**
 * The friendly model a name means, whichever spelling the person used (v4.5+, V4_5PLUS, chirp-bluejay), or
 * undefined when this provider offers no such model.
 */
export function resolveModel(capabilities: ModelChoices, name: string): ModelId | undefined {
	const wanted = name.trim();
	const exact = capabilities.models.find((m) => m === wanted || m.toLowerCase() === wanted.toLowerCase());
	if (exact !== undefined) return exact;
	const aliases = Object.entries(capabilities.modelAliases ?? {});
	const alias = aliases.find(([spelling]) => spelling.toLowerCase() === wanted.toLowerCase())?.[1];
	return alias !== undefined && capabilities.models.includes(alias) ? alias : undefined;
}

/** What a refusal of an unknown model lists: the friendly names, then the provider's own names. */
export function acceptedModels(capabilities: ModelChoices): string {
	const native = Object.keys(capabilities.modelAliases ?? {}).filter((a) => !capabilities.models.includes(a));
	return `${capabilities.models.join(', ')}${native.length ? ` (or the provider's own names: ${native.join(', ')})` : ''}`;
}

/** A callback body, already validated and normalised. */
export interface CallbackUpdate {
	snapshot: TaskSnapshot;
}

export interface SongProvider {
	readonly family: Family;
	readonly capabilities: Capabilities;
	/** Input limits for a model; enforced by `validate` and by the Discord modals. */
	limits(model: ModelId): InputLimits;
	/** Throws ProviderError('invalid_input') before anything is sent when a request exceeds limits. */
	validate(request: GenerateRequest | ExtendRequest | CoverRequest): void;
	generate(request: GenerateRequest, options?: SubmitOptions): Promise<Submitted>;
	extend(request: ExtendRequest, options?: SubmitOptions): Promise<Submitted>;
	lyrics(prompt: string, options?: SubmitOptions): Promise<Submitted>;
	upload(audioUrl: string, options?: SubmitOptions): Promise<Submitted>;
	cover(request: CoverRequest, options?: SubmitOptions): Promise<Submitted>;
	concat(source: { taskId?: string; clipId: string }, options?: SubmitOptions): Promise<Submitted>;
	/**
	 * Status of many tasks in as few requests as the family allows; unknown ids are absent from the map, and ids
	 * whose request failed while others succeeded are listed in `unanswered` (see {@link StatusMap}).
	 */
	fetch(refs: readonly TaskRef[], options?: { signal?: AbortSignal }): Promise<StatusMap>;
	credits(options?: { signal?: AbortSignal }): Promise<number | undefined>;
	/** Validates and normalises a callback body; throws ProviderError('protocol') when it is not one. */
	/**
	 * `expected`: the kind of the task the callback URL names, where known (family B's tool callbacks name no
	 * tool; their fields are the fallback).
	 */
	parseCallback(body: unknown, expected?: TaskKind): CallbackUpdate[];
	/** The studio tools, on families that have them (see capabilities for which). */
	readonly studio?: StudioTools;
}
