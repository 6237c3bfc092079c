import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EditPacer } from '../../src/discord/edit-pacer.ts';

interface Sent {
	at: number;
	channel: string;
	message: string;
	payload: string;
}

function setup(options: { perMessageMs?: number; perChannel?: number; windowMs?: number } = {}) {
	const sent: Sent[] = [];
	const pacer = new EditPacer<string>({
		...options,
		async send(channel, message, payload) {
			sent.push({ at: Date.now(), channel, message, payload });
		},
	});
	return { pacer, sent };
}

describe('EditPacer', () => {
	beforeEach(() => {
		vi.useFakeTimers({ now: 0 });
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('GIVEN many updates to one message THEN sends the first at once and only the newest afterwards', async () => {
		const { pacer, sent } = setup({ perMessageMs: 2_000 });
		pacer.schedule('c', 'm', () => 'v1');
		await vi.advanceTimersByTimeAsync(0);
		for (let i = 2; i <= 10; i++) pacer.schedule('c', 'm', () => `v${i}`);
		await vi.advanceTimersByTimeAsync(5_000);
		expect(sent.map((s) => s.payload)).toEqual(['v1', 'v10']);
		expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(2_000);
	});

	it('GIVEN 50 messages in one channel THEN never exceeds the channel budget in any window', async () => {
		const { pacer, sent } = setup({ perChannel: 4, windowMs: 5_000, perMessageMs: 1_000 });
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < 50; i++) pacer.schedule('c', `m${i}`, () => `r${round}`);
			await vi.advanceTimersByTimeAsync(10_000);
		}
		await vi.advanceTimersByTimeAsync(200_000);
		for (const s of sent) {
			const inWindow = sent.filter((o) => o.at > s.at - 5_000 && o.at <= s.at);
			expect(inWindow.length).toBeLessThanOrEqual(4);
		}
		// Every message ends up showing its newest state.
		const last = new Map(sent.map((s) => [s.message, s.payload]));
		expect(last.size).toBe(50);
		expect([...last.values()].every((p) => p === 'r2')).toBe(true);
	});

	it('GIVEN two channels THEN each has its own budget', async () => {
		const { pacer, sent } = setup({ perChannel: 1, windowMs: 5_000 });
		pacer.schedule('a', 'm1', () => 'x');
		pacer.schedule('b', 'm2', () => 'y');
		await vi.advanceTimersByTimeAsync(0);
		expect(sent.map((s) => s.channel).sort()).toEqual(['a', 'b']);
	});

	it('GIVEN a failing send THEN reports the error and keeps pacing later edits', async () => {
		const errors: unknown[] = [];
		let fail = true;
		const sent: string[] = [];
		const pacer = new EditPacer<string>({
			perMessageMs: 100,
			onError: (e) => errors.push(e),
			async send(_c, _m, p) {
				if (fail) {
					fail = false;
					throw new Error('boom');
				}
				sent.push(p);
			},
		});
		pacer.schedule('c', 'm', () => 'one');
		await vi.advanceTimersByTimeAsync(0);
		pacer.schedule('c', 'm', () => 'two');
		await vi.advanceTimersByTimeAsync(1_000);
		expect(errors).toHaveLength(1);
		expect(sent).toEqual(['two']);
	});

	it('GIVEN flush THEN the pending edit goes out immediately', async () => {
		const { pacer, sent } = setup({ perMessageMs: 60_000 });
		pacer.schedule('c', 'm', () => 'first');
		await vi.advanceTimersByTimeAsync(0);
		pacer.schedule('c', 'm', () => 'final');
		await pacer.flush('c', 'm');
		expect(sent.map((s) => s.payload)).toEqual(['first', 'final']);
	});

	it('GIVEN songs whose trackers got their last edit THEN the pacer forgets them and their channels', async () => {
		const { pacer, sent } = setup({ perMessageMs: 2_000, perChannel: 4, windowMs: 5_000 });
		for (let i = 0; i < 30; i++) pacer.schedule(`c${i % 3}`, `m${i}`, () => 'final');
		expect(pacer.size).toEqual({ channels: 3, messages: 30 });
		await vi.advanceTimersByTimeAsync(120_000);
		expect(sent).toHaveLength(30);
		expect(pacer.size).toEqual({ channels: 0, messages: 0 });
	});

	it('GIVEN a forgotten message WHEN it is edited again THEN the edit goes out as before', async () => {
		const { pacer, sent } = setup({ perMessageMs: 2_000 });
		pacer.schedule('c', 'm', () => 'v1');
		await vi.advanceTimersByTimeAsync(10_000);
		expect(pacer.size.messages).toBe(0);
		pacer.schedule('c', 'm', () => 'v2');
		await vi.advanceTimersByTimeAsync(0);
		expect(sent.map((s) => s.payload)).toEqual(['v1', 'v2']);
	});

	it('GIVEN a message edited again within its interval THEN it is kept until that edit is sent', async () => {
		const { pacer, sent } = setup({ perMessageMs: 2_000 });
		pacer.schedule('c', 'm', () => 'v1');
		await vi.advanceTimersByTimeAsync(0);
		pacer.schedule('c', 'm', () => 'v2');
		await vi.advanceTimersByTimeAsync(1_000);
		expect(pacer.size.messages).toBe(1);
		await vi.advanceTimersByTimeAsync(10_000);
		expect(sent.map((s) => s.payload)).toEqual(['v1', 'v2']);
		expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(2_000);
		expect(pacer.size).toEqual({ channels: 0, messages: 0 });
	});
});
