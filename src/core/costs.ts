import type { Lineage, SongRequest } from './records.ts';

/**
 * What each paid provider call costs against the daily limits. An admin can set each per server in /songbot,
 * e.g. lyrics 0 to keep them free; unset ones cost 1, so a new kind of call is never free by accident.
 */
export const COST_KEYS = ['song', 'extend', 'remix', 'full', 'lyrics', 'upload'] as const;
export type CostKey = (typeof COST_KEYS)[number];
export type Costs = Record<CostKey, number>;

export const DEFAULT_COSTS: Costs = { song: 1, extend: 1, remix: 1, full: 1, lyrics: 1, upload: 1 };

/** How admins and refusals name each cost. */
export const COST_LABELS: Record<CostKey, string> = {
	song: 'new song',
	extend: 'extension',
	remix: 'remix',
	full: 'full song',
	lyrics: 'lyrics',
	upload: 'audio upload',
};

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
	}
}

/**
 * Songs (not lyrics, not the upload of a file to extend) are what the cooldown spaces out and the in-flight caps
 * count: writing lyrics first does not hold back the song made from them.
 */
export function isSong(key: CostKey): boolean {
	return key !== 'lyrics' && key !== 'upload';
}

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
