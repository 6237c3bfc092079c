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

/**
 * Consecutive status answers the adapter could not read (malformed or cut short) before giving up. A proxy
 * page or a truncated body says nothing about the task, which is usually fine: like the tracker, back off and
 * ask again, but a provider that keeps answering nonsense ends the wait (exit 1, "could not understand").
 */
export const MAX_UNREADABLE = 5;

/** The longest pause between polls while backing off (the tracker's slow interval). */
const MAX_BACKOFF_MS = 30_000;

export function isTerminal(snapshot: TaskSnapshot | undefined): boolean {
	return snapshot?.status === 'succeeded' || snapshot?.status === 'failed';
}

export async function waitForTask(provider: SongProvider, ref: TaskRef, options: WaitOptions): Promise<WaitResult> {
	const deadline = Date.now() + options.timeoutMs;
	let last = options.initial;
	if (last) options.onSnapshot(last);
	let misses = 0;
	// Consecutive failed status requests (back-off), and how many of them were unreadable answers.
	let failures = 0;
	let unreadable = 0;
	while (!isTerminal(last)) {
		try {
			const snapshot = (await provider.fetch([ref])).get(ref.taskId);
			failures = 0;
			unreadable = 0;
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
			if (!(error instanceof ProviderError)) throw error;
			const isUnreadable = error.kind === 'protocol';
			if (!error.retryable && !isUnreadable) throw error;
			if (isUnreadable && ++unreadable >= MAX_UNREADABLE) {
				throw new ProviderError({
					kind: 'protocol',
					userMessage: `The music provider sent ${MAX_UNREADABLE} status answers in a row the bot could not understand; task ${ref.taskId} may still finish there.`,
					...(error.detail === undefined ? {} : { detail: error.detail }),
					cause: error,
				});
			}
			failures++;
			options.onWarning(error);
		}
		const remaining = deadline - Date.now();
		if (remaining <= 0) return { snapshot: last, timedOut: true };
		const backoff = Math.min(MAX_BACKOFF_MS, options.pollMs * 2 ** failures);
		await delay(Math.min(Math.max(options.pollMs, backoff), remaining));
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
