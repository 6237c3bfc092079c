import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaveTimers } from '../../src/voice/timers.ts';
import type { LeaveReason } from '../../src/voice/types.ts';

/** The leave timers with fake time: the order of beforeLeave and leave, and a cancel that arrives in between. */
describe('LeaveTimers', () => {
	let events: string[];
	let release: () => void;
	let timers: LeaveTimers;

	beforeEach(() => {
		vi.useFakeTimers();
		events = [];
		timers = new LeaveTimers(
			(reason: LeaveReason) => events.push(`leave:${reason}`),
			() => {
				events.push('beforeLeave');
				return new Promise<void>((resolve) => {
					release = resolve;
				});
			},
		);
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('GIVEN a pause timer WHEN it fires THEN beforeLeave runs first and the player leaves once it is done', async () => {
		timers.start('pause', 1_000);
		expect(timers.deadline('pause')).toBe(Date.now() + 1_000);
		await vi.advanceTimersByTimeAsync(1_000);
		expect(events).toEqual(['beforeLeave']);
		release();
		await vi.advanceTimersByTimeAsync(0);
		expect(events).toEqual(['beforeLeave', 'leave:pause_timeout']);
	});

	it('GIVEN a fired timer WHEN it is cancelled while beforeLeave runs (a Resume) THEN the player stays', async () => {
		timers.start('empty', 500);
		await vi.advanceTimersByTimeAsync(500);
		expect(timers.running('empty')).toBe(true);
		timers.cancel('empty');
		release();
		await vi.advanceTimersByTimeAsync(0);
		expect(events).toEqual(['beforeLeave']);
		expect(timers.running('empty')).toBe(false);
	});

	it('GIVEN a running end timer WHEN started again THEN it keeps its deadline unless restarted', async () => {
		timers.start('end', 1_000);
		await vi.advanceTimersByTimeAsync(600);
		timers.start('end', 1_000);
		await vi.advanceTimersByTimeAsync(400);
		expect(events).toEqual(['beforeLeave']);
		release();
		await vi.advanceTimersByTimeAsync(0);
		expect(events).toEqual(['beforeLeave', 'leave:queue_ended']);

		timers.start('pause', 1_000);
		await vi.advanceTimersByTimeAsync(600);
		timers.start('pause', 1_000, { restart: true });
		await vi.advanceTimersByTimeAsync(600);
		expect(events).toHaveLength(2);
	});
});
