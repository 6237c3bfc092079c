import { FRAME_MS, isSilence, type ReceivedFrame } from '../../test/doubles/discord/voice/frames.ts';

/**
 * How late a guild's frames arrived at the double within a window. @discordjs/voice sends one frame per 20 ms
 * cycle on a fixed schedule (a late cycle is caught up, never skipped), so frame k (by RTP sequence number) is
 * due at `t0 + 20·k`; `t0` is taken from the earliest-arriving frame, so lateness is measured against the best
 * the stream itself achieved, and a constant offset is not lateness. A silence frame in the middle of a take is an
 * underrun: the player had no audio ready in time and sent silence instead.
 */
export interface Lateness {
	frames: number;
	maxLateMs: number;
	/** The same, less the time the orchestrator itself was descheduled while the frame was due (stalls.ts). */
	maxLateExcludingStallsMs: number;
	framesLate: number;
	silence: number;
	/** Sequence numbers never seen: datagrams lost on the way (e.g. the receiver's socket buffer overflowed). */
	lost: number;
}

export function lateness(
	all: readonly ReceivedFrame[],
	from: number,
	to: number,
	stalledWithin: (from: number, to: number) => number,
	limitMs: number,
): Lateness {
	const frames = all.filter((f) => f.arrivedAt >= from && f.arrivedAt <= to);
	const index: number[] = [];
	let k = 0;
	for (let i = 0; i < frames.length; i++) {
		if (i > 0) k += ((frames[i] as ReceivedFrame).sequence - (frames[i - 1] as ReceivedFrame).sequence) & 0xffff;
		index.push(k);
	}
	let t0 = Number.POSITIVE_INFINITY;
	frames.forEach((f, i) => {
		t0 = Math.min(t0, f.arrivedAt - FRAME_MS * (index[i] as number));
	});
	let maxLateMs = 0;
	let maxLateExcludingStallsMs = 0;
	let framesLate = 0;
	frames.forEach((f, i) => {
		const due = t0 + FRAME_MS * (index[i] as number);
		const late = f.arrivedAt - due;
		const own = late - stalledWithin(due, f.arrivedAt);
		maxLateMs = Math.max(maxLateMs, late);
		maxLateExcludingStallsMs = Math.max(maxLateExcludingStallsMs, own);
		if (own > limitMs) framesLate++;
	});
	return {
		frames: frames.length,
		maxLateMs,
		maxLateExcludingStallsMs,
		framesLate,
		silence: frames.filter(isSilence).length,
		lost: frames.length === 0 ? 0 : k + 1 - frames.length,
	};
}
