import type { ClipRecord, TaskRecord } from './records.ts';
import type { TaskEvent } from './task.ts';

/**
 * The port through which the tracker talks to people: the Discord layer implements it with discord.js.
 * The tracker never imports Discord code; it hands this port plain records and events.
 *
 * @remarks
 * Guarantees the tracker gives:
 * - `deliver` is called for a take only after a `posting` marker for that take is durably stored, and at most
 *   once at a time per task (calls for one task are serialised; different tasks run concurrently).
 * - When a previous attempt for the same take may have reached Discord (the process crashed, or `deliver`
 *   threw), `findDelivered` is called first and `deliver` only if it returns `undefined`.
 * - After `deliver` resolves, the returned message id is stored as the take's delivery marker; the take is
 *   never offered again.
 *
 * Together these make each take appear in the channel exactly once, provided `deliver` puts
 * {@link deliveryMarker}(task.id, clip.id) in the message and `findDelivered` finds it.
 */
export interface TaskSink {
	/**
	 * The task's visible state changed: re-render the tracker message (`task.place.messageId`) from `task`.
	 *
	 * @param task - The record after the change; render from it, not from the events (they are hints).
	 * @param events - What just happened, oldest first, for emphasis (e.g. ping the requester on `finished`,
	 * `failed` or `stalled`). Empty when the tracker only asks for a re-render, e.g. after a restart.
	 * @remarks Called often while a song generates; coalesce edits (Discord rate-limits them). Must be
	 * idempotent. Errors are logged and not retried: the next call re-renders everything.
	 */
	update(task: TaskRecord, events: readonly TaskEvent[]): Promise<void>;

	/**
	 * Posts one finished take in `task.place.channelId` and returns the new message's id.
	 *
	 * @param clip - The take; `clip.file` is the local audio to attach when the download succeeded. When it is
	 * absent (download failed or too large), link `clip.audioUrl` instead.
	 * @remarks The message MUST carry `deliveryMarker(task.id, clip.id)` (in a button custom id, the content or
	 * an embed footer) so that {@link TaskSink.findDelivered} recognises it. Throw when posting failed; the
	 * tracker retries with back-off and eventually gives up with a `delivery-failed` event. Throw
	 * {@link TakeRefused} when retrying cannot help until someone changes something (a missing permission): the
	 * take is given up on at once and shown on the tracker with a way to try again.
	 * Resolves `undefined`, having posted nothing, when `options.confirm` answers false.
	 */
	deliver(task: TaskRecord, clip: ClipRecord, options?: DeliverOptions): Promise<{ messageId: string } | undefined>;

	/**
	 * Looks for a message carrying `deliveryMarker(task.id, clip.id)` in `task.place.channelId` (e.g. among
	 * the bot's recent messages there) and returns its id, or `undefined` when there is none.
	 *
	 * @remarks Called only when an earlier post of this take may have succeeded unnoticed. The search must not
	 * depend on how many messages were posted since (a busy channel): page forward from the tracker message.
	 * Throw when the channel cannot be read: the tracker then retries later rather than risk posting twice.
	 */
	findDelivered(task: TaskRecord, clip: ClipRecord): Promise<string | undefined>;
}

export interface DeliverOptions {
	/**
	 * Asked right before the post request leaves, after any slow preparation (transcoding): false means this
	 * process no longer looks after the task (another one posts the take), so nothing may be posted.
	 */
	confirm(): Promise<boolean>;
}

/**
 * A post Discord refused for a reason retries cannot fix by themselves (e.g. the bot lacks Attach Files in the
 * channel). `message` is safe to show: it completes "Take 2 could not be posted: …".
 */
export class TakeRefused extends Error {
	override readonly name = 'TakeRefused';
}
