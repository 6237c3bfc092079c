import type { Lineage, SongRequest } from './records.ts';
import type { ToolRequest } from './studio.ts';

/**
 * What each paid provider call costs against the daily limits. An admin can set each per server in /songbot,
 * e.g. lyrics 0 to keep them free; unset ones cost 1, so a new kind of call is never free by accident.
 */
export const COST_KEYS = [
	'song',
	'extend',
	'remix',
	'full',
	'lyrics',
	'upload',
	// Studio tools (issue 17), each priced by the provider on its own.
	'split',
	'stems',
	'wav',
	'video',
	'boost',
	'fix',
	'persona',
	'own_audio',
] as const;
export type CostKey = (typeof COST_KEYS)[number];
export type Costs = Record<CostKey, number>;

export const DEFAULT_COSTS: Costs = Object.fromEntries(COST_KEYS.map((key) => [key, 1])) as Costs;

/** How admins and refusals name each cost. */
export const COST_LABELS: Record<CostKey, string> = {
	song: 'new song',
	extend: 'extension',
	remix: 'remix',
	full: 'full song',
	lyrics: 'lyrics',
	upload: 'audio upload',
	split: 'split into vocals and instrumental',
	stems: 'split into stems',
	wav: 'WAV download',
	video: 'music video',
	boost: 'style boost',
	fix: 'section fix',
	persona: 'house singer',
	own_audio: 'song from your own audio',
};

/** Which cost a studio tool pays (boost and persona answer at once and are charged by their caller). */
export function toolCostKey(tool: ToolRequest): CostKey {
	switch (tool.tool) {
		case 'split':
			return tool.request.stems ? 'stems' : 'split';
		case 'wav':
		case 'video':
			return tool.tool;
		case 'replace':
			return 'fix';
		case 'addVocals':
		case 'addInstrumental':
			return 'own_audio';
	}
}

/** Which cost a request pays: a remix is a new song made from a take, a cover always a remix. */
export function costKeyOf(request: SongRequest, lineage?: Lineage): CostKey {
	switch (request.action) {
		case 'generate':
			return lineage?.type === 'remix' ? 'remix' : 'song';
		case 'cover':
			return 'remix';
		case 'extend':
			return 'extend';
		case 'concat':
			return 'full';
		case 'lyrics':
			return 'lyrics';
		case 'upload':
			return 'upload';
		case 'tool':
			return toolCostKey(request.tool);
	}
}

/**
 * Songs (not lyrics, not the upload of a file to extend) are what the cooldown spaces out and the in-flight caps
 * count: writing lyrics first does not hold back the song made from them.
 */
export function isSong(key: CostKey): boolean {
	return !NOT_SONGS.has(key);
}

/** Calls that make no new song: they neither start the cooldown nor take a running slot. */
const NOT_SONGS: ReadonlySet<CostKey> = new Set([
	'lyrics',
	'upload',
	'split',
	'stems',
	'wav',
	'video',
	'boost',
	'persona',
]);

export interface Charge {
	/** Taken from the daily limits; 0 takes nothing at all (no cooldown either). */
	cost: number;
	/** Whether the call starts (and is held back by) the cooldown. */
	cooldown: boolean;
	/** Named in refusals. */
	label: string;
	/** The paid calls it is for: refusals name them in the reader's language (`{what:costs}` in the catalog). */
	keys?: readonly CostKey[];
}

export function chargeFor(key: CostKey, costs: Costs): Charge {
	return { cost: costs[key], cooldown: isSong(key), label: COST_LABELS[key], keys: [key] };
}
