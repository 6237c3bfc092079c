import type { Fleet } from './fleet.ts';
import type { KeyedMutex } from './lock.ts';
import type { TaskRecord, TrackerPlace } from './records.ts';
import type { TaskSink } from './sink.ts';
import type { Transition } from './task.ts';
import type { Tracker } from './tracker-types.ts';
import type { Logger } from '../log.ts';

export interface RecordEditDeps {
	fleet: Pick<Fleet, 'holds' | 'claim'>;
	/** The tracker's change under the task's lock: saved and announced like every other. */
	mutate(taskId: string, change: (record: TaskRecord) => Transition | undefined): Promise<TaskRecord | undefined>;
	load(taskId: string): Promise<TaskRecord | undefined>;
	announcements: Pick<KeyedMutex, 'run'>;
	sink: Pick<TaskSink, 'update'>;
	log: Pick<Logger, 'warn'>;
}

type RecordEdits = Pick<Tracker, 'setTrackerMessage' | 'notePing' | 'keepStudioLink'>;

/**
 * How many ping ids a song keeps: it is pinged once per failure, stall, lost post and "ready", so a handful; past
 * this the oldest goes (the record must not grow with a task that keeps stalling and resuming).
 */
export const MAX_PINGS = 10;

/** The ids of the messages that pinged the requester about the song, oldest first (`readyMessageId` included). */
export function notedPings(place: TrackerPlace): string[] {
	return [...new Set([...(place.readyMessageId ? [place.readyMessageId] : []), ...(place.pingMessageIds ?? [])])];
}

/**
 * What Discord notes on a task's record once it is posted: the tracker message's id, the ids of the pings about
 * it, a studio link on a take. Each takes the task's lease when it is free, then is one `change` like any other.
 * Kept out of tracker.ts, whose file reads as the flow of a status update; these edits are not part of that flow.
 */
export function createRecordEdits(deps: RecordEditDeps): RecordEdits {
	const { fleet, mutate, log } = deps;
	const held = async (taskId: string) => fleet.holds(taskId) || (await fleet.claim(taskId));
	const placed = (r: TaskRecord, place: Partial<TrackerPlace>): Transition => ({
		record: { ...r, place: { ...r.place, ...place } },
		events: [],
	});

	return {
		async setTrackerMessage(taskId, messageId) {
			if (await held(taskId)) return mutate(taskId, (r) => placed(r, { messageId }));
			log.warn({ taskId }, 'tracker message not recorded: another process holds the task');
			return deps.load(taskId);
		},
		async notePing(taskId, messageId) {
			if (!(await held(taskId))) return undefined;
			return mutate(taskId, (r) => {
				const noted = notedPings(r.place);
				if (noted.includes(messageId)) return undefined;
				// A record of this morning's builds keeps its ready reply in the list from now on.
				const { readyMessageId: _, ...place } = r.place;
				const pingMessageIds = [...noted, messageId].slice(-MAX_PINGS);
				return { record: { ...r, place: { ...place, pingMessageIds } }, events: [] };
			});
		},
		async keepStudioLink(taskId, clipId, link) {
			if (!(await held(taskId))) return undefined;
			const field = link.kind === 'video' ? 'musicVideoUrl' : 'wavUrl';
			let changed = false;
			const saved = await mutate(taskId, (r) => {
				const clip = r.clips.find((c) => c.id === clipId);
				if (!clip || clip[field] === link.url) return undefined;
				changed = true;
				const clips = r.clips.map((c) => (c.id === clipId ? { ...c, [field]: link.url } : c));
				return { record: { ...r, clips }, events: [] };
			});
			if (!saved?.clips.some((c) => c.id === clipId && c[field] === link.url)) return undefined;
			// A settled song is not re-rendered by its announcement (nothing is left to do): the card is told here.
			if (changed && link.kind === 'video' && saved.settledAt !== undefined) {
				await deps.announcements
					.run(taskId, () => deps.sink.update(saved, []))
					.catch((error: unknown) => log.warn({ err: error, taskId }, 'sink update failed'));
			}
			return saved;
		},
	};
}
