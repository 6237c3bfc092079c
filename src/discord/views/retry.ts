import type { APIActionRowComponent, APIButtonComponent } from 'discord.js';
import { encodeCustomId } from '../custom-id.ts';

/**
 * The buttons that ask for a song again, on the tracker message: 🔄 Reroll on a finished song, and on a failed one
 * "Try again" (the same request) and "Change and try again" (its form, filled in as it was sent). Kept apart from
 * the tracker's layout so the card can place this row wherever it fits.
 */

/** Every word these buttons show, in one place for the message catalog. */
export const RETRY_TEXT = {
	reroll: 'Reroll',
	tryAgain: 'Try again',
	change: 'Change and try again',
} as const;

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
export function retryRow(view: RetryFacts): APIActionRowComponent<APIButtonComponent> | undefined {
	const buttons: APIButtonComponent[] = [];
	const button = (label: string, emoji: string, customId: string, style: 1 | 2 = 2) =>
		buttons.push({ type: 2, style, label, emoji: { name: emoji }, custom_id: customId });
	const done = view.stage === 'done' || view.stage === 'partial';
	if (done && view.again && view.taskId) button(RETRY_TEXT.reroll, '🔄', encodeCustomId('song', 'reroll', view.taskId));
	if (view.stage === 'failed') {
		if (view.again && view.taskId) button(RETRY_TEXT.tryAgain, '🔁', encodeCustomId('song', 'rerun', view.taskId), 1);
		if (view.retry && view.taskId) button(RETRY_TEXT.change, '✏️', encodeCustomId('song', 'retry', view.taskId));
		else if (view.retryKey) button(RETRY_TEXT.change, '✏️', encodeCustomId('song', 'again', view.retryKey));
		else if (view.fixId) button(RETRY_TEXT.change, '✏️', view.fixId);
	}
	return buttons.length ? { type: 1, components: buttons } : undefined;
}
