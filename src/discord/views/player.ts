import type { APIEmbed } from 'discord.js';
import type { LeaveReason, LoopMode, PlayerSnapshot, PlayerStatus, QueueEntry } from '../../voice/types.ts';
import { clock, escapeMarkdown, inlineTitle, truncate } from './format.ts';
import { type MessageKey } from '../../i18n/index.ts';
import { type Locale, listText, t } from '../i18n.ts';
import { type PlayerRow, playerRows } from './player-controls.ts';

/**
 * What the player says: the now-playing embed, the voice channel's status and the answers to the queue buttons. Its
 * buttons and menu are player-controls.ts, which changes when the controls do, not when the wording does.
 */

/** What the now-playing message shows: the player's snapshot plus what only the Discord layer remembers. */
export interface PlayerView {
	snapshot: PlayerSnapshot;
	/** Recent problems (a take skipped because it could not be played), oldest first. */
	notes: readonly string[];
	/** Set while the connection is being re-established. */
	reconnectAttempt?: number;
	/** Set once the player has left; `by` is who stopped it, when someone did. */
	left?: { reason: LeaveReason; by?: string };
	/** The server's language: the player message is for everyone in the channel (English when unset). */
	locale?: Locale;
	/** Karaoke: the lyric line sung now and the next one (src/discord/karaoke-lines.ts). */
	lyrics?: { current?: string; next?: string };
}

type Payload = { content: string; embeds: APIEmbed[]; components: PlayerRow[] };

const HEADING = {
	connecting: 'player.connecting',
	loading: 'player.loading',
	playing: 'player.playing',
	paused: 'player.paused',
	idle: 'player.idle',
	left: 'player.left',
} as const satisfies Record<PlayerStatus, MessageKey>;

const COLOR: Record<PlayerStatus, number> = {
	connecting: 0x5865f2,
	loading: 0x5865f2,
	playing: 0x57f287,
	paused: 0xfee75c,
	idle: 0x99aab5,
	left: 0x99aab5,
};

const LEFT_BECAUSE = {
	stopped: 'player.left_stopped',
	pause_timeout: 'player.left_pause_timeout',
	queue_ended: 'player.left_queue_ended',
	channel_empty: 'player.left_channel_empty',
	moved: 'player.left_moved',
	kicked: 'player.left_kicked',
	reconnect_failed: 'player.left_reconnect_failed',
	connect_timeout: 'player.left_connect_timeout',
	disconnected: 'player.left_disconnected',
	shutdown: 'player.left_shutdown',
} as const satisfies Record<LeaveReason, MessageKey>;

/** Entries listed under "Up next" never exceed this, whatever the engine offers (the embed must stay short). */
const UPCOMING_SHOWN = 5;
const NOTES_SHOWN = 3;

export function renderPlayer(view: PlayerView): Payload {
	const { snapshot } = view;
	const locale = view.locale ?? 'en';
	const status = view.left ? 'left' : snapshot.status;
	const heading = t(locale, status === 'connecting' && view.reconnectAttempt ? 'player.reconnecting' : HEADING[status]);
	const lines: string[] = [];
	if (view.left) {
		const by =
			view.left.reason === 'stopped' && view.left.by
				? t(locale, 'player.stopped_by', { user: view.left.by })
				: undefined;
		lines.push(t(locale, 'player.listen_again', { why: by ?? t(locale, LEFT_BECAUSE[view.left.reason]) }));
	} else {
		lines.push(t(locale, 'player.in', { channel: snapshot.channelId }));
		if (snapshot.current) lines.push('', ...currentLines(locale, snapshot.current.entry, snapshot.current.positionMs));
		if (snapshot.current && view.lyrics) lines.push('', ...lyricLines(view.lyrics));
		else if (status === 'idle') lines.push('', t(locale, 'player.idle_hint'));
		if (snapshot.leavesAt !== undefined) lines.push('', t(locale, 'player.resume_hint', { at: snapshot.leavesAt }));
		if (view.reconnectAttempt)
			lines.push('', t(locale, 'player.reconnect_attempt', { attempt: view.reconnectAttempt }));
	}
	const notes = view.notes.slice(-NOTES_SHOWN);
	if (notes.length) lines.push('', ...notes.map((n) => `⚠️ ${n}`));

	const fields = [];
	if (!view.left && snapshot.upcoming.length > 0) {
		const shown = snapshot.upcoming.slice(0, UPCOMING_SHOWN);
		const more = snapshot.queued - shown.length;
		const list = shown.map((entry, i) => `${i + 1}. ${entryLine(locale, entry)}`);
		if (more > 0) list.push(t(locale, 'player.more', { more }));
		fields.push({
			name: t(locale, 'player.up_next', { queued: snapshot.queued }),
			value: truncate(list.join('\n'), 1024),
			inline: false,
		});
	}
	const embed: APIEmbed = {
		title: heading,
		description: truncate(lines.join('\n'), 4000),
		color: COLOR[status],
		fields,
		footer: { text: t(locale, 'player.footer') },
	};
	return { content: '', embeds: [embed], components: playerRows(view, status, locale) };
}

/** The line sung now in bold after a microphone, the next one small and grey under it (Discord's subtext). */
function lyricLines(lyrics: { current?: string; next?: string }): string[] {
	const out = [`🎤 **${escapeMarkdown(lyrics.current ?? '…')}**`];
	if (lyrics.next) out.push(`-# ${escapeMarkdown(lyrics.next)}`);
	return out;
}

/** The voice channel's status while a take plays: "🎵 Night Drive · take 2 — by @alice". */
export function voiceStatusText(
	title: string,
	takeNumber: number | undefined,
	maker: string | undefined,
	locale: Locale = 'en',
): string {
	const take = takeNumber !== undefined ? t(locale, 'player.status_take', { take: takeNumber }) : '';
	return `🎵 ${title}${take}${maker ? t(locale, 'player.status_by', { maker }) : ''}`;
}

/** Answers to the queue buttons, shown only to whoever pressed them, in their language. */
export function queueReplies(locale: Locale) {
	return {
		removed: (title: string) => t(locale, 'queue.removed', { title: inlineTitle(title) }),
		alreadyGone: t(locale, 'queue.already_gone'),
		noSuchPosition: (position: number) => t(locale, 'queue.no_such_position', { position }),
		loop: (mode: LoopMode) =>
			t(locale, mode === 'off' ? 'queue.loop_off' : mode === 'take' ? 'queue.loop_take' : 'queue.loop_queue'),
		shuffled: t(locale, 'queue.shuffled'),
		nothingToShuffle: t(locale, 'queue.nothing_to_shuffle'),
		playAll: (added: number, total: number, position: number) =>
			(position > 0
				? t(locale, added === 1 ? 'queue.play_all_from_one' : 'queue.play_all_from', { added, from: position + 1 })
				: t(locale, added === 1 ? 'queue.play_all_one' : 'queue.play_all', { added })) +
			(added < total ? t(locale, 'queue.play_all_full', { left: total - added }) : ''),
	};
}

function currentLines(locale: Locale, entry: QueueEntry, positionMs: number): string[] {
	const take = entry.take;
	const lines = [`**${inlineTitle(take.title, 200)}**`];
	const credits = [
		take.authors?.length ? t(locale, 'library.by', { who: listText(locale, take.authors.map(author)) }) : undefined,
		entry.requestedBy ? t(locale, 'player.played_by', { user: entry.requestedBy }) : undefined,
	].filter(Boolean);
	if (credits.length) lines.push(credits.join(' · '));
	const position = positionMs / 1000;
	if (take.durationSec !== undefined && take.durationSec > 0) {
		lines.push(`\`${clock(position)}\` ${bar(position / take.durationSec)} \`${clock(take.durationSec)}\``);
	} else lines.push(`\`${clock(position)}\``);
	return lines;
}

function entryLine(locale: Locale, entry: QueueEntry): string {
	const take = entry.take;
	const parts = [`**${inlineTitle(take.title, 80)}**`];
	if (take.durationSec !== undefined) parts.push(clock(take.durationSec));
	if (entry.requestedBy) parts.push(t(locale, 'player.played_by', { user: entry.requestedBy }));
	return parts.join(' · ');
}

/** Authors are user mentions (they never ping: every message goes out with no allowed mentions) or plain names. */
function author(text: string): string {
	return /^<@!?\d+>$/.test(text) ? text : escapeMarkdown(text);
}

function bar(fraction: number, width = 14): string {
	const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
	return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)}`;
}
