import type { APIActionRowComponent, APIButtonComponent } from 'discord.js';
import { encodeCustomId } from '../custom-id.ts';
import type { CreditRole } from '../../core/records.ts';
import { clock, inlineTitle, listOf } from './format.ts';

/**
 * The song card: once a take is done it is added to the tracker message itself (its audio as an attachment, one
 * button row here), so a finished song is one message. These are the parts of that message the takes add.
 */

/** One take on the card. */
export interface CardTake {
	take: number;
	clipId: string;
	/** The take's one name (src/core/take-name.ts), the same as its file's. */
	name: string;
	durationSec?: number;
	/** What happened to its audio on the way ("Re-encoded at 48 kb/s to fit…"). */
	note?: string;
	actions: { extend: boolean; remix: boolean; fullSong: boolean };
	/** Buttons other features put on the take's row (studio tools), after Play, Extend, Remix. */
	extra?: APIButtonComponent[];
}

/** Every new string the card shows, in one place for the message catalog. */
export const CARD_TEXT = {
	play: 'Play',
	extend: 'Extend',
	remix: 'Remix',
	fullSong: 'Full song',
	lyrics: 'Lyrics',
	playAll: 'Play all',
	reencoded: (kbps: number) => `Re-encoded at ${kbps} kb/s to fit this server's upload limit.`,
	ownMessage: 'Posted on its own: together with the other take it is over this server’s upload limit.',
	here: (names: string, many: boolean) => `${names} ${many ? 'are' : 'is'} here`,
	below: (names: string, many: boolean) => `${names} ${many ? 'are' : 'is'} below`,
	takes: (list: string, many: boolean) => (many ? `takes ${list}` : `take ${list}`),
} as const;

/** "1️⃣" for take 1 (keycaps up to 🔟), ▶️ beyond. */
export function takeEmoji(take: number): string {
	if (take === 10) return '🔟';
	return take >= 1 && take <= 9 ? `${take}\uFE0F\u20E3` : '▶️';
}

/** Discord's limit of buttons in one row. */
const ROW_MAX = 5;

/** One line per take: its name, its length and what happened to its audio. */
export function cardLines(takes: readonly CardTake[]): string[] {
	return takes.map((t) => {
		const length = t.durationSec !== undefined ? ` · ${clock(t.durationSec)}` : '';
		return `${takeEmoji(t.take)} **${inlineTitle(t.name, 200)}**${length}${t.note ? `\n${t.note}` : ''}`;
	});
}

/** Play, Extend, Remix (and Full song, and what other features add) for each take, one row each. */
export function takeRows(
	taskId: string | undefined,
	takes: readonly CardTake[],
): APIActionRowComponent<APIButtonComponent>[] {
	if (!taskId) return [];
	return takes.map((t) => {
		const button = (command: string, action: string, label: string, emoji: string, style = 2): APIButtonComponent => ({
			type: 2,
			style,
			label,
			emoji: { name: emoji },
			custom_id: encodeCustomId(command, action, taskId, t.clipId),
		});
		// The take's number on its Play button and its line: which row is which take, at a glance.
		const row = [button('play', 'clip', CARD_TEXT.play, takeEmoji(t.take), 1)];
		if (t.actions.extend) row.push(button('extend', 'open', CARD_TEXT.extend, '➕'));
		if (t.actions.remix) row.push(button('remix', 'open', CARD_TEXT.remix, '🎛️'));
		if (t.actions.fullSong) row.push(button('extend', 'full', CARD_TEXT.fullSong, '🧩'));
		row.push(...(t.extra ?? []));
		return { type: 1, components: row.slice(0, ROW_MAX) };
	});
}

/** Lyrics and Play all, for the song's row, once a take is on the card. */
export function songButtons(
	taskId: string | undefined,
	takes: readonly CardTake[],
	lyrics: boolean,
): APIButtonComponent[] {
	if (!taskId || takes.length === 0) return [];
	const buttons: APIButtonComponent[] = [];
	if (lyrics)
		buttons.push({
			type: 2,
			style: 2,
			label: CARD_TEXT.lyrics,
			emoji: { name: '📜' },
			custom_id: encodeCustomId('song', 'lyrics', taskId, takes[0]?.clipId ?? ''),
		});
	// Every take of the song, queued in order.
	if (takes.length > 1)
		buttons.push({
			type: 2,
			style: 2,
			label: CARD_TEXT.playAll,
			emoji: { name: '⏯️' },
			custom_id: encodeCustomId('play', 'all', taskId),
		});
	return buttons;
}

/** "take 1 is here", "takes 1 and 2 are here; take 3 is below": where each posted take is. */
export function whereText(here: readonly number[], below: readonly number[]): string {
	const names = (list: readonly number[]) => CARD_TEXT.takes(listOfNumbers(list), list.length > 1);
	const parts: string[] = [];
	if (here.length) parts.push(CARD_TEXT.here(names(here), here.length > 1));
	if (below.length) parts.push(CARD_TEXT.below(names(below), below.length > 1));
	return parts.join('; ');
}

function listOfNumbers(numbers: readonly number[]): string {
	return numbers.length <= 1 ? numbers.join('') : `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
}

const ROLE_TEXT: Record<CreditRole, string> = {
	asked: 'asked by',
	lyrics: 'lyrics by',
	extended: 'extended by',
	remixed: 'remixed by',
	edited: 'lyrics edited by',
};

/** "asked by @alice · extended by @bob": everyone who made the song, once each per role. */
export function creditLine(contributors: readonly { role: CreditRole; userId: string }[]): string | undefined {
	const byRole = new Map<CreditRole, string[]>();
	for (const c of contributors) {
		const list = byRole.get(c.role) ?? [];
		if (!list.includes(`<@${c.userId}>`)) list.push(`<@${c.userId}>`);
		byRole.set(c.role, list);
	}
	const parts = [...byRole].map(([role, users]) => `${ROLE_TEXT[role]} ${listOf(users)}`);
	return parts.length ? parts.join(' · ') : undefined;
}
