import type {
	APIActionRowComponent,
	APIButtonComponent,
	APIEmbed,
	APIStringSelectComponent,
	APISelectMenuOption,
} from 'discord.js';
import type { LeaveReason, LoopMode, PlayerSnapshot, PlayerStatus, QueueEntry } from '../../voice/types.ts';
import { encodeCustomId } from '../custom-id.ts';
import { clock, escapeMarkdown, inlineTitle, listOf, truncate } from './format.ts';
import { type Locale, t } from '../i18n.ts';

/** What the now-playing message shows: the player's snapshot plus what only the Discord layer remembers. */
export interface PlayerView {
	snapshot: PlayerSnapshot;
	/** Recent problems (a take skipped because it could not be played), oldest first. */
	notes: readonly string[];
	/** Set while the connection is being re-established. */
	reconnectAttempt?: number;
	/** Set once the player has left; `by` is who stopped it, when someone did. */
	left?: { reason: LeaveReason; by?: string };
}

type Row = APIActionRowComponent<APIButtonComponent> | APIActionRowComponent<APIStringSelectComponent>;
type Payload = { content: string; embeds: APIEmbed[]; components: Row[] };

const HEADING: Record<PlayerStatus, string> = {
	connecting: '🔌 Connecting…',
	loading: '⏳ Getting the take ready…',
	playing: '🎶 Now playing',
	paused: '⏸️ Paused',
	idle: '💤 The queue has ended',
	left: '👋 Left the voice channel',
};

const COLOR: Record<PlayerStatus, number> = {
	connecting: 0x5865f2,
	loading: 0x5865f2,
	playing: 0x57f287,
	paused: 0xfee75c,
	idle: 0x99aab5,
	left: 0x99aab5,
};

const LEFT_BECAUSE: Record<LeaveReason, string> = {
	stopped: 'Playback was stopped.',
	pause_timeout: 'Nobody resumed the pause, so I left the channel.',
	queue_ended: 'The queue ended.',
	channel_empty: 'Everyone left the voice channel.',
	moved: 'The player moved to another voice channel.',
	kicked: 'I was removed from the voice channel.',
	reconnect_failed: 'I lost the voice connection and could not get it back.',
	connect_timeout: 'I could not connect to the voice channel in time.',
	disconnected: 'I was disconnected from the voice channel.',
	shutdown: 'The bot restarted.',
};

/** Entries listed under "Up next" never exceed this, whatever the engine offers (the embed must stay short). */
const UPCOMING_SHOWN = 5;
const NOTES_SHOWN = 3;

export function renderPlayer(view: PlayerView): Payload {
	const { snapshot } = view;
	const status = view.left ? 'left' : snapshot.status;
	const heading = status === 'connecting' && view.reconnectAttempt ? '🔌 Reconnecting…' : HEADING[status];
	const lines: string[] = [];
	if (view.left) {
		const by = view.left.reason === 'stopped' && view.left.by ? `Stopped by <@${view.left.by}>.` : undefined;
		lines.push(`${by ?? LEFT_BECAUSE[view.left.reason]} Press ▶️ Play on a take to listen again.`);
	} else {
		lines.push(`In <#${snapshot.channelId}>`);
		if (snapshot.current) lines.push('', ...currentLines(snapshot.current.entry, snapshot.current.positionMs));
		else if (status === 'idle') lines.push('', 'Press ▶️ Play on a take to keep listening. I leave the channel soon.');
		if (snapshot.leavesAt !== undefined)
			lines.push('', `Press ▶️ Resume to go on: I leave the channel <t:${Math.ceil(snapshot.leavesAt / 1000)}:R>.`);
		if (view.reconnectAttempt) lines.push('', `Reconnecting to the voice channel (attempt ${view.reconnectAttempt})…`);
	}
	const notes = view.notes.slice(-NOTES_SHOWN);
	if (notes.length) lines.push('', ...notes.map((n) => `⚠️ ${n}`));

	const fields = [];
	if (!view.left && snapshot.upcoming.length > 0) {
		const shown = snapshot.upcoming.slice(0, UPCOMING_SHOWN);
		const more = snapshot.queued - shown.length;
		const list = shown.map((entry, i) => `${i + 1}. ${entryLine(entry)}`);
		if (more > 0) list.push(`…and ${more} more`);
		fields.push({ name: `Up next (${snapshot.queued})`, value: truncate(list.join('\n'), 1024), inline: false });
	}
	const embed: APIEmbed = {
		title: heading,
		description: truncate(lines.join('\n'), 4000),
		color: COLOR[status],
		fields,
		footer: { text: 'Only people listening in the voice channel can use these buttons.' },
	};
	const rows: Row[] = [controls(view, status), queueControls(view)];
	const remove = removeMenu(view);
	if (remove) rows.push(remove);
	return { content: '', embeds: [embed], components: rows };
}

/** The voice channel's status while a take plays: "🎵 Night Drive · take 2 — by @alice". */
export function voiceStatusText(title: string, takeNumber: number | undefined, maker: string | undefined): string {
	const take = takeNumber !== undefined ? ` · take ${takeNumber}` : '';
	return `🎵 ${title}${take}${maker ? ` — by @${maker}` : ''}`;
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

const LOOP_LABEL: Record<LoopMode, string> = { off: 'Loop: off', take: 'Loop: this take', queue: 'Loop: queue' };

/** Loop (cycles off → this take → queue) and Shuffle. */
function queueControls(view: PlayerView): APIActionRowComponent<APIButtonComponent> {
	const { snapshot } = view;
	const live = !view.left;
	return {
		type: 1,
		components: [
			{
				type: 2,
				style: snapshot.loop === 'off' ? 2 : 3,
				label: LOOP_LABEL[snapshot.loop],
				emoji: { name: snapshot.loop === 'take' ? '🔂' : '🔁' },
				custom_id: encodeCustomId('play', 'loop'),
				disabled: !live,
			},
			{
				type: 2,
				style: 2,
				label: 'Shuffle',
				emoji: { name: '🔀' },
				custom_id: encodeCustomId('play', 'shuffle'),
				disabled: !(live && snapshot.controls.shuffle),
			},
		],
	};
}

/** A menu of the waiting takes (Discord allows 25 options); picking one takes it out of the queue. */
function removeMenu(view: PlayerView): APIActionRowComponent<APIStringSelectComponent> | undefined {
	if (view.left || view.snapshot.upcoming.length === 0) return undefined;
	const options: APISelectMenuOption[] = view.snapshot.upcoming.slice(0, 25).map((entry, i) => ({
		label: truncate(`${i + 1}. ${entry.take.title}`, 100),
		value: String(entry.key),
		...(entry.take.durationSec !== undefined ? { description: clock(entry.take.durationSec) } : {}),
	}));
	return {
		type: 1,
		components: [
			{
				type: 3,
				custom_id: encodeCustomId('play', 'remove'),
				placeholder: 'Remove a take from the queue…',
				options,
				min_values: 1,
				max_values: 1,
			},
		],
	};
}

function currentLines(entry: QueueEntry, positionMs: number): string[] {
	const take = entry.take;
	const lines = [`**${inlineTitle(take.title, 200)}**`];
	const credits = [
		take.authors?.length ? `by ${listOf(take.authors.map(author))}` : undefined,
		entry.requestedBy ? `played by <@${entry.requestedBy}>` : undefined,
	].filter(Boolean);
	if (credits.length) lines.push(credits.join(' · '));
	const position = positionMs / 1000;
	if (take.durationSec !== undefined && take.durationSec > 0) {
		lines.push(`\`${clock(position)}\` ${bar(position / take.durationSec)} \`${clock(take.durationSec)}\``);
	} else lines.push(`\`${clock(position)}\``);
	return lines;
}

function entryLine(entry: QueueEntry): string {
	const take = entry.take;
	const parts = [`**${inlineTitle(take.title, 80)}**`];
	if (take.durationSec !== undefined) parts.push(clock(take.durationSec));
	if (entry.requestedBy) parts.push(`played by <@${entry.requestedBy}>`);
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

/** One Pause-or-Resume toggle, Skip and Stop; a button that does not apply now is shown disabled. */
function controls(view: PlayerView, status: PlayerStatus): APIActionRowComponent<APIButtonComponent> {
	const { controls: can } = view.snapshot;
	const live = !view.left;
	const paused = status === 'paused';
	const button = (action: string, label: string, emoji: string, enabled: boolean, style = 2): APIButtonComponent => ({
		type: 2,
		style,
		label,
		emoji: { name: emoji },
		custom_id: encodeCustomId('play', action),
		disabled: !enabled,
	});
	return {
		type: 1,
		components: [
			paused
				? button('resume', 'Resume', '▶️', live && can.resume, 1)
				: button('pause', 'Pause', '⏸️', live && can.pause, 1),
			button('skip', 'Skip', '⏭️', live && can.skip),
			button('stop', 'Stop', '⏹️', live && can.stop, 4),
		],
	};
}
