import type { ModelId, SubmitOptions, Submitted } from './provider.ts';

/**
 * The studio tools (issue 17): what a provider can do with a take besides extending and remixing it. Only
 * family B offers them; a provider without a tool reports it false (or absent) in its capabilities, and its
 * `studio` port is then absent or refuses that tool, so the buttons and the CLI hide or refuse it.
 */

export const TOOL_NAMES = [
	'split',
	'stems',
	'wav',
	'video',
	'boost',
	'replace',
	'persona',
	'timestamps',
	'addVocals',
	'addInstrumental',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];
/** Which tools a provider offers; absent means it does not. */
export type ToolFlags = Partial<Record<ToolName, boolean>>;

export function hasTool(capabilities: ToolFlags, name: ToolName): boolean {
	return capabilities[name] === true;
}

/** A take at the provider: the task that made it and its clip id (family B needs both). */
export interface TakeRef {
	taskId: string;
	clipId: string;
}

/** Names of the parts a split returns, in the order they are shown (vocals first). */
export const STEM_NAMES = [
	'vocals',
	'instrumental',
	'backing vocals',
	'drums',
	'bass',
	'guitar',
	'keyboard',
	'piano',
	'percussion',
	'strings',
	'synth',
	'fx',
	'brass',
	'woodwinds',
] as const;

export interface SplitRequest {
	source: TakeRef;
	/** Up to 12 stems instead of vocals + instrumental; costs the provider more. */
	stems?: boolean;
}

/** Fix a section: new words for a stretch of a take; the rest of the take stays as it was. */
export interface ReplaceSectionRequest {
	source: TakeRef;
	/** The words to sing in the section. */
	lyrics: string;
	style: string;
	title: string;
	fromSec: number;
	toSec: number;
	/** The take's length, when known: the section may be at most half of it. */
	durationSec?: number;
	negativeStyle?: string;
}

/** Your own audio: vocals sung over an uploaded instrumental, or an instrumental under uploaded vocals. */
export interface OwnAudioRequest {
	sourceAudioUrl: string;
	title: string;
	style: string;
	/** add-vocals: the words to sing. */
	lyrics?: string;
	negativeStyle?: string;
	model: ModelId;
}

export interface PersonaRequest {
	source: TakeRef;
	name: string;
	description: string;
	/** The vocal window the singer is learnt from: 10 to 30 seconds of the take. */
	vocalStartSec?: number;
	vocalEndSec?: number;
	style?: string;
}

export interface Persona {
	id: string;
	name: string;
	description: string;
}

/** One sung word with its time in the take, from the provider's alignment. */
export interface TimedWord {
	word: string;
	startSec: number;
	endSec: number;
}

/** The persona's vocal window: at least 10 and at most 30 seconds (the provider refuses others). */
export const PERSONA_WINDOW = { minSec: 10, maxSec: 30 } as const;
/** A replaced section: 6 to 60 seconds and at most half the take. */
export const SECTION_LIMITS = { minSec: 6, maxSec: 60 } as const;
/** The longest audio of your own the provider takes (upload-cover, upload-extend, add-vocals, add-instrumental). */
export const OWN_AUDIO_MAX_SEC = 8 * 60;

/**
 * The studio port. Asynchronous tools answer a task id the tracker follows like a song's: `split` (kind
 * `split`, one clip per stem), `wav` (kind `wav`, one clip whose audioUrl is the WAV), `video` (kind `video`,
 * one clip with a videoUrl), and `replaceSection` / `addVocals` / `addInstrumental` (kind `music`, new takes).
 * `boostStyle`, `timestampedLyrics` and `persona` answer at once.
 */
export interface StudioTools {
	split(request: SplitRequest, options?: SubmitOptions): Promise<Submitted>;
	wav(source: TakeRef, options?: SubmitOptions): Promise<Submitted>;
	video(source: TakeRef, options?: SubmitOptions & { author?: string }): Promise<Submitted>;
	replaceSection(request: ReplaceSectionRequest, options?: SubmitOptions): Promise<Submitted>;
	addVocals(request: OwnAudioRequest, options?: SubmitOptions): Promise<Submitted>;
	addInstrumental(request: OwnAudioRequest, options?: SubmitOptions): Promise<Submitted>;
	/** A short style expanded into a detailed one (synchronous at the provider). */
	boostStyle(style: string, options?: { signal?: AbortSignal }): Promise<string>;
	timestampedLyrics(source: TakeRef, options?: { signal?: AbortSignal }): Promise<TimedWord[]>;
	persona(request: PersonaRequest, options?: { signal?: AbortSignal }): Promise<Persona>;
}

/**
 * A studio tool's request as the tracker keeps it (a `tool` action on a task, src/core/records.ts): the tools
 * that answer with a task. Boost, timed lyrics and persona answer at once and are never tracked.
 */
export type ToolRequest =
	| { tool: 'split'; request: SplitRequest }
	| { tool: 'wav'; source: TakeRef }
	| { tool: 'video'; source: TakeRef; author?: string }
	| { tool: 'replace'; request: ReplaceSectionRequest }
	| { tool: 'addVocals'; request: OwnAudioRequest }
	| { tool: 'addInstrumental'; request: OwnAudioRequest };

/** The kind of task a tool makes, as the provider's status endpoints need it. */
export function toolKindOf(tool: ToolRequest): 'split' | 'wav' | 'video' | 'music' {
	switch (tool.tool) {
		case 'split':
		case 'wav':
		case 'video':
			return tool.tool;
		default:
			return 'music';
	}
}

/** The take a tool works on, when it works on one (your own audio does not). */
export function toolSource(tool: ToolRequest): TakeRef | undefined {
	switch (tool.tool) {
		case 'wav':
		case 'video':
			return tool.source;
		case 'split':
		case 'replace':
			return tool.request.source;
		default:
			return undefined;
	}
}

/** The capability a tool request needs (a split into stems needs `stems`). */
export function toolCapability(tool: ToolRequest): ToolName {
	return tool.tool === 'split' && tool.request.stems ? 'stems' : tool.tool;
}

/** Sends a tool request; a provider without studio tools refuses it as the adapters refuse what they lack. */
export function callTool(
	studio: StudioTools | undefined,
	tool: ToolRequest,
	options: SubmitOptions,
	unsupported: (name: ToolName) => Error,
): Promise<Submitted> {
	if (studio === undefined) return Promise.reject(unsupported(toolCapability(tool)));
	switch (tool.tool) {
		case 'split':
			return studio.split(tool.request, options);
		case 'wav':
			return studio.wav(tool.source, options);
		case 'video':
			return studio.video(tool.source, tool.author === undefined ? options : { ...options, author: tool.author });
		case 'replace':
			return studio.replaceSection(tool.request, options);
		case 'addVocals':
			return studio.addVocals(tool.request, options);
		case 'addInstrumental':
			return studio.addInstrumental(tool.request, options);
	}
}
