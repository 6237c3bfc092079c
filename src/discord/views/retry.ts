import type { APIActionRowComponent, APIButtonComponent } from 'discord.js';
import { encodeCustomId } from '../custom-id.ts';
import { type Locale, t } from '../i18n.ts';

/**
 * The buttons that ask for a song again, on the tracker message: 🔄 Reroll on a finished song, and on a failed one
 * "Try again" (the same request) and "Change and try again" (its form, filled in as it was sent). Kept apart from
 * the tracker's layout so the card can place this row wherever it fits.
 */

export interface RetryFacts {
	stage: string;
	taskId?: string;
	/** The request can be sent again as it was (a song, an extension or a remix; not lyrics or a join). */
	again?: boolean;
	/** The failed request's form can be reopened filled in (a song, an extension or a remix). */
	retry?: boolean;
	/** A submit refused before any task existed: the key its request is kept under. */
	retryKey?: string;
	/** The same for another form: the custom id that reopens it with what was typed. */
	fixId?: string;
}

/** Undefined when the song is still running, or nothing can be asked again. */
/** `locale`: the server's (the row is on the song's message in the channel). */
export function retryRow(view: RetryFacts, locale: Locale): APIActionRowComponent<APIButtonComponent> | undefined {
	const buttons: APIButtonComponent[] = [];
	const button = (label: string, emoji: string, customId: string, style: 1 | 2 = 2) =>
		buttons.push({ type: 2, style, label, emoji: { name: emoji }, custom_id: customId });
	const [reroll, tryAgain, change] = [
		t(locale, 'card.reroll'),
		t(locale, 'card.try_again'),
		t(locale, 'card.change_and_try_again'),
	];
	const done = view.stage === 'done' || view.stage === 'partial';
	if (done && view.again && view.taskId) button(reroll, '🔄', encodeCustomId('song', 'reroll', view.taskId));
	if (view.stage === 'failed') {
		if (view.again && view.taskId) button(tryAgain, '🔁', encodeCustomId('song', 'rerun', view.taskId), 1);
		if (view.retry && view.taskId) button(change, '✏️', encodeCustomId('song', 'retry', view.taskId));
		else if (view.retryKey) button(change, '✏️', encodeCustomId('song', 'again', view.retryKey));
		else if (view.fixId) button(change, '✏️', view.fixId);
	}
	return buttons.length ? { type: 1, components: buttons } : undefined;
}
