import type { PlayerSnapshot } from '../voice/index.ts';
import type { Line } from './fix-section.ts';

/**
 * Karaoke's lyric lines on the player message (issue 17): which line is sung at a position of a take, and a timer
 * that asks for a redraw a little before each line starts. The redraw goes through the player message's edit
 * pacer like every other, so Discord's rate limits hold; the lead covers the pacer's slot and the edit's trip, so
 * the text is not late for the voice.
 */

/** How far ahead of the voice the message runs: an edit takes a few hundred ms to reach the screen. */
export const LYRIC_LEAD_MS = 600;

/** The line being sung at `positionMs` (the last one started) and the one after it. */
export function lyricAt(lines: readonly Line[], positionMs: number): { current?: string; next?: string } {
	const sec = positionMs / 1000;
	let index = -1;
	for (let i = 0; i < lines.length && (lines[i] as Line).startSec <= sec; i++) index = i;
	const current = index >= 0 ? lines[index]?.text : undefined;
	const next = lines[index + 1]?.text;
	return { ...(current ? { current } : {}), ...(next ? { next } : {}) };
}

/** Karaoke takes whose lines are kept (a guild's queue holds at most 50 entries). */
const LINES_KEPT = 256;

export class LyricClock {
	/** Lines by the take id the player plays (the instrumental's clip id). */
	readonly #lines = new Map<string, readonly Line[]>();
	readonly #timers = new Map<string, NodeJS.Timeout>();
	readonly #due: (guildId: string) => void;

	constructor(due: (guildId: string) => void) {
		this.#due = due;
	}

	set(takeId: string, lines: readonly Line[]): void {
		this.#lines.delete(takeId);
		this.#lines.set(takeId, lines);
		// Only what is queued somewhere needs its lines: the oldest go first, so a long-running bot keeps few.
		for (const oldest of this.#lines.keys()) {
			if (this.#lines.size <= LINES_KEPT) break;
			this.#lines.delete(oldest);
		}
	}

	/** The lines to show for what the snapshot plays, looked `LYRIC_LEAD_MS` ahead; undefined for a plain take. */
	shown(snapshot: PlayerSnapshot): { current?: string; next?: string } | undefined {
		const playing = snapshot.current;
		const lines = playing && this.#lines.get(playing.entry.take.id);
		return lines && lyricAt(lines, playing.positionMs + LYRIC_LEAD_MS);
	}

	/** Sets the guild's timer for the next line change of what plays now; none while paused or between takes. */
	arm(snapshot: PlayerSnapshot): void {
		clearTimeout(this.#timers.get(snapshot.guildId));
		this.#timers.delete(snapshot.guildId);
		const playing = snapshot.current;
		const lines = playing && this.#lines.get(playing.entry.take.id);
		if (!lines || snapshot.status !== 'playing') return;
		const ahead = playing.positionMs + LYRIC_LEAD_MS;
		const next = lines.find((l) => l.startSec * 1000 > ahead);
		if (!next) return;
		const timer = setTimeout(
			() => {
				this.#timers.delete(snapshot.guildId);
				this.#due(snapshot.guildId);
			},
			next.startSec * 1000 - ahead,
		);
		timer.unref();
		this.#timers.set(snapshot.guildId, timer);
	}

	stop(): void {
		for (const timer of this.#timers.values()) clearTimeout(timer);
		this.#timers.clear();
	}
}
