import { afterEach, describe, expect, it, vi } from 'vitest';
import { LYRIC_LEAD_MS, LyricClock, lyricAt } from '../../src/discord/karaoke-lines.ts';
import type { PlayerSnapshot } from '../../src/voice/types.ts';

const LINES = [
	{ text: 'Neon rain', startSec: 2, endSec: 4 },
	{ text: 'falls down', startSec: 4.5, endSec: 6 },
	{ text: 'city lights', startSec: 8, endSec: 10 },
];

function playing(takeId: string, positionMs: number, status: PlayerSnapshot['status'] = 'playing'): PlayerSnapshot {
	return {
		guildId: 'g',
		channelId: 'v',
		status,
		current: {
			entry: { key: 1, requestedBy: 'u', take: { id: takeId, title: 'T', source: { kind: 'file', path: '/x' } } },
			positionMs,
		},
		upcoming: [],
		queued: 0,
		controls: { pause: true, resume: false, skip: true, stop: true, shuffle: false },
		loop: 'off',
		leavesAt: undefined,
	};
}

describe('karaoke lines', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('GIVEN a position THEN the line sung then is current and the one after it is next; before the first, only next', () => {
		expect(lyricAt(LINES, 0)).toEqual({ next: 'Neon rain' });
		expect(lyricAt(LINES, 2_000)).toEqual({ current: 'Neon rain', next: 'falls down' });
		// Between lines the last one sung stays up until the next starts.
		expect(lyricAt(LINES, 7_000)).toEqual({ current: 'falls down', next: 'city lights' });
		expect(lyricAt(LINES, 60_000)).toEqual({ current: 'city lights' });
	});

	it('GIVEN the instrumental plays THEN the message shows the line a little ahead; another take shows none', () => {
		const clock = new LyricClock(() => {});
		clock.set('inst', LINES);
		expect(clock.shown(playing('inst', 2_000 - LYRIC_LEAD_MS))).toEqual({ current: 'Neon rain', next: 'falls down' });
		expect(clock.shown(playing('other', 2_000))).toBeUndefined();
	});

	it('GIVEN a playing instrumental THEN a redraw is due just before the next line; none while paused', () => {
		vi.useFakeTimers();
		const due: string[] = [];
		const clock = new LyricClock((guildId) => due.push(guildId));
		clock.set('inst', LINES);
		clock.arm(playing('inst', 0));
		vi.advanceTimersByTime(2_000 - LYRIC_LEAD_MS - 1);
		expect(due).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(due).toEqual(['g']);

		clock.arm(playing('inst', 3_000, 'paused'));
		vi.advanceTimersByTime(10_000);
		expect(due).toEqual(['g']);
		clock.stop();
	});
});
