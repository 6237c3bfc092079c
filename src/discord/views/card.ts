import type { APIActionRowComponent, APIButtonComponent } from 'discord.js';
import { encodeCustomId } from '../custom-id.ts';
import type { CreditRole } from '../../core/records.ts';
import type { TakeWords } from '../../core/take-name.ts';
import { type Locale, listText, type MessageKey, t } from '../i18n.ts';
import { clock, inlineTitle } from './format.ts';

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
	/** The line linking the take's music video, in the reader's language, once the studio made one. */
	video?: string;
	actions: { extend: boolean; remix: boolean; fullSong: boolean };
	/** Buttons other features put on the take's row (studio tools), after Play, Extend, Remix. */
	extra?: APIButtonComponent[];
}

/** A take's name in the reader's language (the core's takeName is English unless given these). */
export function takeWords(locale: Locale): TakeWords {
	return {
		fullSong: t(locale, 'card.name_full_song'),
		extendedAt: (at) => t(locale, 'card.name_extended_at', { at }),
		extended: t(locale, 'card.name_extended'),
		remix: t(locale, 'card.name_remix'),
		remixIn: (style) => t(locale, 'card.name_remix_in', { style }),
		take: (n) => t(locale, 'card.name_take', { take: n }),
		untitled: t(locale, 'card.name_untitled'),
	};
}

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
		const below = [t.note, t.video].filter((line) => line !== undefined).map((line) => `\n${line}`);
		return `${takeEmoji(t.take)} **${inlineTitle(t.name, 200)}**${length}${below.join('')}`;
	});
}

/** Play, Extend, Remix (and Full song, and what other features add) for each take, one row each. */
export function takeRows(
	taskId: string | undefined,
	takes: readonly CardTake[],
	locale: Locale,
): APIActionRowComponent<APIButtonComponent>[] {
	if (!taskId) return [];
	return takes.map((take) => {
		const button = (command: string, action: string, label: string, emoji: string, style = 2): APIButtonComponent => ({
			type: 2,
			style,
			label,
			emoji: { name: emoji },
			custom_id: encodeCustomId(command, action, taskId, take.clipId),
		});
		// The take's number on its Play button and its line: which row is which take, at a glance.
		const row = [button('play', 'clip', t(locale, 'card.play'), takeEmoji(take.take), 1)];
		if (take.actions.extend) row.push(button('extend', 'open', t(locale, 'card.extend'), '➕'));
		if (take.actions.remix) row.push(button('remix', 'open', t(locale, 'card.remix'), '🎛️'));
		if (take.actions.fullSong) row.push(button('extend', 'full', t(locale, 'card.full_song'), '🧩'));
		row.push(...(take.extra ?? []));
		return { type: 1, components: row.slice(0, ROW_MAX) };
	});
}

/** Lyrics and Play all, for the song's row, once a take is on the card. */
export function songButtons(
	taskId: string | undefined,
	takes: readonly CardTake[],
	lyrics: boolean,
	locale: Locale,
): APIButtonComponent[] {
	if (!taskId || takes.length === 0) return [];
	const buttons: APIButtonComponent[] = [];
	if (lyrics)
		buttons.push({
			type: 2,
			style: 2,
			label: t(locale, 'card.lyrics'),
			emoji: { name: '📜' },
			custom_id: encodeCustomId('song', 'lyrics', taskId, takes[0]?.clipId ?? ''),
		});
	// Every take of the song, queued in order.
	if (takes.length > 1)
		buttons.push({
			type: 2,
			style: 2,
			label: t(locale, 'card.play_all'),
			emoji: { name: '⏯️' },
			custom_id: encodeCustomId('play', 'all', taskId),
		});
	return buttons;
}

/** "take 1 is here", "takes 1 and 2 are here; take 3 is below": where each posted take is. */
export function whereText(here: readonly number[], below: readonly number[], locale: Locale): string {
	const names = (list: readonly number[]) =>
		t(locale, list.length > 1 ? 'card.take_many' : 'card.take_one', { list: listText(locale, list.map(String)) });
	const parts: string[] = [];
	if (here.length) parts.push(t(locale, here.length > 1 ? 'card.here_many' : 'card.here_one', { takes: names(here) }));
	if (below.length)
		parts.push(t(locale, below.length > 1 ? 'card.below_many' : 'card.below_one', { takes: names(below) }));
	return parts.join('; ');
}

const ROLE_KEY: Record<CreditRole, MessageKey & `card.role_${string}`> = {
	asked: 'card.role_asked',
	lyrics: 'card.role_lyrics',
	extended: 'card.role_extended',
	remixed: 'card.role_remixed',
	edited: 'card.role_edited',
};

/** "asked by @alice · extended by @bob": everyone who made the song, once each per role. */
export function creditLine(
	contributors: readonly { role: CreditRole; userId: string }[],
	locale: Locale,
): string | undefined {
	const byRole = new Map<CreditRole, string[]>();
	for (const c of contributors) {
		const list = byRole.get(c.role) ?? [];
		if (!list.includes(`<@${c.userId}>`)) list.push(`<@${c.userId}>`);
		byRole.set(c.role, list);
	}
	const parts = [...byRole].map(([role, users]) => t(locale, ROLE_KEY[role], { users: listText(locale, users) }));
	return parts.length ? parts.join(' · ') : undefined;
}
