import process from 'node:process';

/**
 * Tells when this process was not running at all because the machine was overloaded, so arrival gaps at the
 * double can be told apart from gaps the bot caused. Bot and double share one process in tests: a 5 ms ticker
 * that fires late while the process used little CPU meanwhile means the process was descheduled. A late tick
 * with the CPU busy is the process's own work blocking the event loop, and a gap while ticks kept coming is the
 * bot idling by choice: neither is a stall, both stay visible to the gap check.
 */

const INTERVAL_MS = 5;
const MAX_STALLS = 10_000;

export interface Stall {
	from: number;
	to: number;
}

function cpuMs(): number {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
}

export class StallMonitor {
	readonly stalls: Stall[] = [];
	private readonly timer: NodeJS.Timeout;
	private last = { at: performance.now(), cpu: cpuMs() };

	constructor() {
		this.timer = setInterval(() => this.tick(), INTERVAL_MS);
		this.timer.unref();
	}

	/** Milliseconds of [from, to] (`performance.now()` times) during which the process was stalled. */
	stalledWithin(from: number, to: number): number {
		let total = 0;
		for (const stall of this.stalls) total += Math.max(0, Math.min(to, stall.to) - Math.max(from, stall.from));
		return total;
	}

	stop(): void {
		clearInterval(this.timer);
	}

	private tick(): void {
		const now = { at: performance.now(), cpu: cpuMs() };
		const elapsed = now.at - this.last.at;
		if (elapsed > 3 * INTERVAL_MS && now.cpu - this.last.cpu < elapsed / 2 && this.stalls.length < MAX_STALLS) {
			this.stalls.push({ from: this.last.at + INTERVAL_MS, to: now.at });
		}
		this.last = now;
	}
}
