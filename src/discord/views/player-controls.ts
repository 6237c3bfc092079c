import type {
	APIActionRowComponent,
	APIButtonComponent,
	APISelectMenuOption,
	APIStringSelectComponent,
} from 'discord.js';
import type { MessageKey } from '../../i18n/index.ts';
import type { LoopMode, PlayerStatus } from '../../voice/types.ts';
import { encodeCustomId } from '../custom-id.ts';
import { type Locale, t } from '../i18n.ts';
import { clock, truncate } from './format.ts';
import type { PlayerView } from './player.ts';

/**
 * The now-playing message's buttons and menu: what a listener can do to the player, under the text of player.ts.
 * Kept apart because every row carries a custom id that commands/play.ts answers, while the text only informs.
 */

export type PlayerRow = APIActionRowComponent<APIButtonComponent> | APIActionRowComponent<APIStringSelectComponent>;

/** Playback, then loop and shuffle, then the remove menu while takes wait; once the player has left, all disabled. */
export function playerRows(view: PlayerView, status: PlayerStatus, locale: Locale): PlayerRow[] {
	const rows: PlayerRow[] = [controls(view, status, locale), queueControls(view, locale)];
	const remove = removeMenu(view, locale);
	if (remove) rows.push(remove);
	return rows;
}

/** One Pause-or-Resume toggle, Skip and Stop; a button that does not apply now is shown disabled. */
function controls(view: PlayerView, status: PlayerStatus, locale: Locale): APIActionRowComponent<APIButtonComponent> {
	const { controls: can } = view.snapshot;
	const live = !view.left;
	const paused = status === 'paused';
	return {
		type: 1,
		components: [
			paused
				? button('resume', t(locale, 'player.resume'), '▶️', live && can.resume, 1)
				: button('pause', t(locale, 'player.pause'), '⏸️', live && can.pause, 1),
			button('skip', t(locale, 'player.skip'), '⏭️', live && can.skip),
			button('stop', t(locale, 'player.stop'), '⏹️', live && can.stop, 4),
		],
	};
}

const LOOP_LABEL = {
	off: 'player.loop_off',
	take: 'player.loop_take',
	queue: 'player.loop_queue',
} as const satisfies Record<LoopMode, MessageKey>;

/** Loop (cycles off → this take → queue) and Shuffle. */
function queueControls(view: PlayerView, locale: Locale): APIActionRowComponent<APIButtonComponent> {
	const { snapshot } = view;
	const live = !view.left;
	const loop = snapshot.loop;
	return {
		type: 1,
		components: [
			button('loop', t(locale, LOOP_LABEL[loop]), loop === 'take' ? '🔂' : '🔁', live, loop === 'off' ? 2 : 3),
			button('shuffle', t(locale, 'player.shuffle'), '🔀', live && snapshot.controls.shuffle),
		],
	};
}

/** A menu of the waiting takes (Discord allows 25 options); picking one takes it out of the queue. */
function removeMenu(view: PlayerView, locale: Locale): APIActionRowComponent<APIStringSelectComponent> | undefined {
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
				placeholder: t(locale, 'player.remove_placeholder'),
				options,
				min_values: 1,
				max_values: 1,
			},
		],
	};
}

/** Grey (2) unless said: blurple (1) for the main toggle, green (3) for a loop that is on, red (4) for Stop. */
function button(action: string, label: string, emoji: string, enabled: boolean, style = 2): APIButtonComponent {
	return {
		type: 2,
		style,
		label,
		emoji: { name: emoji },
		custom_id: encodeCustomId('play', action),
		disabled: !enabled,
	};
}
