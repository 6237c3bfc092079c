import { setTimeout as delay } from 'node:timers/promises';
import { ProviderError } from '../core/errors.ts';
import type { SongProvider, TaskRef, TaskSnapshot } from '../core/provider.ts';

/** Polls one task until it ends or the deadline passes, reporting each snapshot. */

export interface WaitOptions {
	timeoutMs: number;
	pollMs: number;
	initial?: TaskSnapshot | undefined;
	onSnapshot: (snapshot: TaskSnapshot) => void;
	/** A transient polling problem (the loop keeps going). */
	onWarning: (error: ProviderError) => void;
}

export interface WaitResult {
	snapshot: TaskSnapshot | undefined;
	timedOut: boolean;
}

/** Consecutive polls without the task before concluding the provider does not know it. */
const MAX_MISSES = 5;

export function isTerminal(snapshot: TaskSnapshot | undefined): boolean {
	return snapshot?.status === 'succeeded' || snapshot?.status === 'failed';
}

export async function waitForTask(provider: SongProvider, ref: TaskRef, options: WaitOptions): Promise<WaitResult> {
	const deadline = Date.now() + options.timeoutMs;
	let last = options.initial;
	if (last) options.onSnapshot(last);
	let misses = 0;
	while (!isTerminal(last)) {
		try {
			const snapshot = (await provider.fetch([ref])).get(ref.taskId);
			if (snapshot === undefined) {
				misses++;
				if (misses >= MAX_MISSES) {
					throw new ProviderError({
						kind: 'not_found',
						userMessage: `The music provider does not know task ${ref.taskId}.`,
						detail: `task ${ref.taskId} absent from ${MAX_MISSES} polls`,
						status: 404,
					});
				}
			} else {
				misses = 0;
				last = snapshot;
				options.onSnapshot(snapshot);
				if (isTerminal(snapshot)) break;
			}
		} catch (error) {
			// Outages are the provider's weather: keep polling until the deadline; rejections end the wait.
			if (!(error instanceof ProviderError) || !error.retryable) throw error;
			options.onWarning(error);
		}
		const remaining = deadline - Date.now();
		if (remaining <= 0) return { snapshot: last, timedOut: true };
		await delay(Math.min(options.pollMs, remaining));
	}
	return { snapshot: last, timedOut: false };
}

/** `m:ss` of a duration. */
export function clock(ms: number): string {
	const total = Math.floor(ms / 1000);
	return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

const STATUS_TEXT: Record<TaskSnapshot['status'], string> = {
	queued: 'queued',
	running: 'generating',
	partial: 'first take ready',
	succeeded: 'done',
	failed: 'failed',
};

/** The state part of a progress line: status, progress where reported, and each take's state. */
export function progressText(snapshot: TaskSnapshot): string {
	const pct = snapshot.progressPct === undefined ? '' : ` ${Math.round(snapshot.progressPct)}%`;
	const takes = snapshot.clips.map((c, i) => `take ${i + 1} ${c.state}`).join(', ');
	const lyrics =
		snapshot.kind === 'music' && snapshot.status === 'running' && snapshot.clips.some((c) => c.lyrics)
			? ' (lyrics written)'
			: '';
	return `task ${snapshot.taskId}: ${STATUS_TEXT[snapshot.status]}${pct}${lyrics}${takes ? ` · ${takes}` : ''}`;
}

/**
 * Writes progress to stderr: rewritten in place in a terminal (every poll, so the clock moves), one line
 * per change of state otherwise (so logs stay short).
 */
export function progressReporter(stream: NodeJS.WriteStream): {
	update(state: string, line: string): void;
	end(): void;
} {
	let previous = '';
	let live = false;
	return {
		update(state, line) {
			if (stream.isTTY) {
				stream.write(`\r\x1b[2K${line}`);
				live = true;
			} else if (state !== previous) stream.write(`${line}\n`);
			previous = state;
		},
		end() {
			if (live) stream.write('\n');
			live = false;
		},
	};
}
