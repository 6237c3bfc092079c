import type { Fleet, FleetHost } from './fleet.ts';
import type { Tracker } from './tracker-types.ts';

interface Drains {
	idle(): Promise<void>;
}

export interface TrackerParts {
	fleet: Pick<Fleet, 'start' | 'stop' | 'close'>;
	/** What the tracker does for the fleet once it has started. */
	host: FleetHost;
	timer: Drains & { start(): void; stop(): Promise<void> };
	retention: { start(): Promise<void>; stop(): void };
	intake: Drains;
	deliverer: Drains;
	announcements: Drains;
	repo: Drains;
	resume: Tracker['resume'];
}

/**
 * The order the tracker's parts start and stop in. Stopping takes in no new work before it waits for the work in
 * hand, and gives the leases back last, once nothing of this process can still change a task. Kept apart from
 * tracker.ts, whose file reads as the flow of one status update.
 */
export function trackerLifecycle(parts: TrackerParts): Pick<Tracker, 'start' | 'stop' | 'idle'> {
	const { fleet, timer, retention, intake, deliverer, announcements, repo } = parts;
	return {
		async start(): Promise<void> {
			await fleet.start(parts.host);
			timer.start();
			await parts.resume();
			await retention.start();
		},
		async stop(): Promise<void> {
			retention.stop();
			await intake.idle();
			await fleet.stop();
			await timer.stop();
			await deliverer.idle();
			await announcements.idle();
			await repo.idle();
			await deliverer.idle();
			await fleet.close();
		},
		async idle(): Promise<void> {
			// Each drain can start work for another (a save announces, an announcement delivers): a few rounds settle.
			for (let i = 0; i < 5; i++) {
				await timer.idle();
				await repo.idle();
				await announcements.idle();
				await deliverer.idle();
			}
		},
	};
}
