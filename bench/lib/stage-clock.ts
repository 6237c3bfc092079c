import type { FakeProvider } from '../../test/doubles/providers/index.ts';

/**
 * Moves the tasks of a fake provider (on a manual timeline) through their stages on a wall clock, each task on a
 * schedule of its own: its duration is drawn uniformly from `meanMs` ± 40 %, and the stages fall at fixed
 * fractions of it (queued 5 %, lyrics 15 %, streaming 30 %, first take 85 %, done 100 %), roughly what Suno does.
 * The fake's own `clock` timeline moves every task in lock-step after the same fixed steps, which would phase-lock
 * a 5-second poller to the finish times and flatter (or punish) it; random durations do not.
 */

const STAGE_AT = [0.05, 0.15, 0.3, 0.85, 1];

export interface StageClock {
	stop(): void;
}

/** Starts driving `fake`; new tasks are picked up within 20 ms of their creation. */
export function driveStages(fake: FakeProvider, meanMs: number, random: () => number = Math.random): StageClock {
	const timers = new Set<NodeJS.Timeout>();
	const scheduled = new Set<string>();
	const scan = setInterval(() => {
		if (scheduled.size === fake.tasks.size) return;
		for (const task of fake.tasks.values()) {
			if (scheduled.has(task.id)) continue;
			scheduled.add(task.id);
			const duration = meanMs * (0.6 + 0.8 * random());
			for (const fraction of STAGE_AT) {
				const timer = setTimeout(
					() => {
						timers.delete(timer);
						fake.advance(task.id);
					},
					Math.max(0, task.createdAt + fraction * duration - Date.now()),
				);
				timers.add(timer);
			}
		}
	}, 20);
	return {
		stop() {
			clearInterval(scan);
			for (const timer of timers) clearTimeout(timer);
		},
	};
}
