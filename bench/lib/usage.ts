import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What a worker process cost while it ran one side of a scenario. Own CPU comes from `process.cpuUsage()`; the
 * CPU of its child processes (ffmpeg) from `cutime + cstime` in /proc/self/stat, which the kernel adds a child's
 * whole CPU time to when the parent reaps it (libuv does so on SIGCHLD). So `stop()` first waits until no child
 * is alive: a child still running has not been counted yet.
 */
export interface Usage {
	wallSec: number;
	/** User + system CPU of the worker itself. */
	cpuSec: number;
	/** The system (kernel) part of `cpuSec`: sockets, files, timers. */
	systemCpuSec: number;
	/** User + system CPU of its child processes that exited during the measurement. */
	childCpuSec: number;
	/** Peak resident set of the worker since it started (`process.resourceUsage().maxRSS`); children not included. */
	maxRssMb: number;
	/** 99th percentile of event-loop delay (`monitorEventLoopDelay`, 10 ms resolution). */
	eventLoopP99Ms: number;
	eventLoopMaxMs: number;
}

/** /proc times are in USER_HZ ticks, 100 per second on every Linux ABI. */
const USER_HZ = 100;

function procStatFields(pid: number | 'self'): string[] | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name in parentheses may contain spaces: fields are counted after its closing parenthesis.
		return text.slice(text.lastIndexOf(')') + 2).split(' ');
	} catch {
		return undefined;
	}
}

/** CPU seconds of this process's reaped children so far. */
export function childCpuSec(): number {
	const fields = procStatFields('self');
	// After the name: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17), i.e. indexes 13 and 14 here.
	return fields ? (Number(fields[13]) + Number(fields[14])) / USER_HZ : 0;
}

/** User + system CPU seconds of another process so far (its own, not its children's); NaN once it has gone. */
export function processCpuSec(pid: number): number {
	const fields = procStatFields(pid);
	// utime(14) stime(15), i.e. indexes 11 and 12 after the name.
	return fields ? (Number(fields[11]) + Number(fields[12])) / USER_HZ : Number.NaN;
}

/** Pids of this process's live children. */
export function liveChildren(): number[] {
	const pids: number[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const fields = procStatFields(Number(name));
		if (fields && Number(fields[1]) === process.pid && fields[0] !== 'Z') pids.push(Number(name));
	}
	return pids;
}

/** Waits until every child has exited and been reaped (so its CPU is in cutime); false after `timeoutMs`. */
export async function childrenExited(timeoutMs = 10_000): Promise<boolean> {
	const deadline = performance.now() + timeoutMs;
	while (performance.now() < deadline) {
		if (liveChildren().length === 0 && procStatFields('self') !== undefined) {
			// A zombie is reaped on the next turn of the loop; give libuv that turn.
			await sleep(20);
			if (liveChildren().length === 0) return true;
		}
		await sleep(50);
	}
	return false;
}

/** Starts measuring this process; `stop()` returns the figures since the call. */
export function startUsage(): { stop(): Promise<Usage> } {
	const loop = monitorEventLoopDelay({ resolution: 10 });
	loop.enable();
	const wall0 = performance.now();
	const cpu0 = process.cpuUsage();
	const child0 = childCpuSec();
	return {
		async stop() {
			loop.disable();
			const cpu = process.cpuUsage(cpu0);
			const wallSec = (performance.now() - wall0) / 1000;
			if (!(await childrenExited())) throw new Error(`child processes still running: ${liveChildren().join(', ')}`);
			return {
				wallSec,
				cpuSec: (cpu.user + cpu.system) / 1e6,
				systemCpuSec: cpu.system / 1e6,
				childCpuSec: childCpuSec() - child0,
				maxRssMb: process.resourceUsage().maxRSS / 1024,
				eventLoopP99Ms: loop.percentile(99) / 1e6,
				eventLoopMaxMs: loop.max / 1e6,
			};
		},
	};
}

/** Forces a full collection (workers run with --expose-gc) and returns the V8 heap in use, in bytes. */
export function heapAfterGc(): number {
	if (!globalThis.gc) throw new Error('run with --expose-gc');
	globalThis.gc();
	globalThis.gc();
	return process.memoryUsage().heapUsed;
}
