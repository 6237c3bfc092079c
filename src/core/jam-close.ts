import type { Jam, JamClosing } from './jam-schema.ts';
import type { JamResult } from './jam.ts';

/**
 * Closing a jam, as steps recorded on the jam: the final card posted (its message id kept), the sheet shown closed,
 * the thread archived. Discord may refuse any step (a 5xx, a rate limit, a missing permission) or the bot may stop
 * between two, so the close is retried on later sweeps, each step done once, until all are done; the wait between
 * attempts doubles up to an hour. A close whose thread is gone or out of the bot's reach is given up. Pure rules;
 * src/discord/jam-close.ts does the steps.
 */

export type CloseStep = 'card' | 'sheet' | 'archive';

/** The longest wait between two attempts at a close. */
export const CLOSE_RETRY_MAX_MS = 3_600_000;

/** Marks the jam closed (no more changes) with no step done yet; refused when it is closed already. */
export function startClose(jam: Jam, now: number): JamResult {
	if (jam.closedAt !== undefined) return { ok: false, reason: 'closed' };
	return { ok: true, jam: { ...jam, closedAt: now, closing: { attempts: 0 } } };
}

/** The next step to do, or undefined when the close is over (all done, given up, or never recorded). */
export function nextCloseStep(jam: Jam): CloseStep | undefined {
	const c = jam.closing;
	if (jam.closedAt === undefined || !c || c.givenUp !== undefined) return undefined;
	if (c.cardMessageId === undefined) return 'card';
	if (!c.sheetFinal) return 'sheet';
	if (!c.archived) return 'archive';
	return undefined;
}

/** Closed, with nothing left to do: the jam leaves the open list. */
export function closeOver(jam: Jam): boolean {
	return jam.closedAt !== undefined && nextCloseStep(jam) === undefined;
}

/**
 * Whether the jam expires with its songs (RETENTION_DAYS as ms; 0 keeps songs forever): once its close is over, as
 * its songs are pruned after the retention and a jam without songs is only clutter. An open jam never expires.
 */
export function expires(jam: Jam, retentionMs: number): boolean {
	return retentionMs > 0 && closeOver(jam);
}

/**
 * When an expiring jam is dropped: the retention after its close was over (a jam keeps the date it was given). Its
 * songs finished long before it closed (it closes after JAM_IDLE_SEC without a change), so they are pruned first.
 */
export function keptUntil(jam: Jam, retentionMs: number, now: number): number | undefined {
	return expires(jam, retentionMs) ? (jam.expiresAt ?? now + retentionMs) : undefined;
}

/**
 * Whether the jam as stored lacks the expiry it should have, or has one it should not: closed by an older version,
 * or RETENTION_DAYS turned on or off since. Such a jam is saved again when read.
 */
export function expiryOutdated(jam: Jam, retentionMs: number): boolean {
	return expires(jam, retentionMs) !== (jam.expiresAt !== undefined);
}

/**
 * Whether an attempt is due now: at once for the first, then after `baseMs` (the sweep's period), doubled after
 * each attempt that did not finish, at most {@link CLOSE_RETRY_MAX_MS}.
 */
export function closeDue(jam: Jam, now: number, baseMs: number): boolean {
	const c = jam.closing;
	if (!c || nextCloseStep(jam) === undefined) return false;
	if (c.attempts === 0 || c.lastAttemptAt === undefined) return true;
	const wait = Math.min(CLOSE_RETRY_MAX_MS, baseMs * 2 ** (c.attempts - 1));
	return now >= c.lastAttemptAt + wait;
}

/** An attempt starts: counted before any step, so a bot stopped in the middle waits like a failed attempt. */
export function closeAttempted(jam: Jam, now: number): Jam {
	return withClosing(jam, (c) => ({ ...c, attempts: c.attempts + 1, lastAttemptAt: now }));
}

/** Records progress (a step done, the card's send time, or the reason the close was given up). */
export function closeProgress(
	jam: Jam,
	change: Partial<Pick<JamClosing, 'cardMessageId' | 'cardSentAt' | 'sheetFinal' | 'archived' | 'givenUp'>>,
): Jam {
	return withClosing(jam, (c) => ({ ...c, ...change }));
}

function withClosing(jam: Jam, change: (closing: JamClosing) => JamClosing): Jam {
	return { ...jam, closing: change(jam.closing ?? { attempts: 0 }) };
}
