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
	 * tracker retries with back-off and eventually gives up with a `delivery-failed` event.
	 */
	deliver(task: TaskRecord, clip: ClipRecord): Promise<{ messageId: string }>;

	/**
	 * Looks for a message carrying `deliveryMarker(task.id, clip.id)` in `task.place.channelId` (e.g. among
	 * the bot's recent messages there) and returns its id, or `undefined` when there is none.
	 *
	 * @remarks Called only when an earlier post of this take may have succeeded unnoticed. Throw when the
	 * channel cannot be read: the tracker then retries later rather than risk posting twice.
	 */
	findDelivered(task: TaskRecord, clip: ClipRecord): Promise<string | undefined>;
}
