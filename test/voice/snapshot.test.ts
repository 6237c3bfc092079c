import { describe, expect, it } from 'vitest';
import { describePlayer, type PlayerFacts } from '../../src/voice/snapshot.ts';
import type { QueueEntry } from '../../src/voice/types.ts';

const entry = (key: number): QueueEntry => ({
	key,
	take: { id: `t${key}`, title: `Take ${key}`, source: { kind: 'file', path: `/t${key}.mp3` } },
	requestedBy: 'u1',
});

const facts = (over: Partial<PlayerFacts> = {}): PlayerFacts => ({
	guildId: 'g',
	channelId: 'c',
	left: false,
	paused: false,
	connected: true,
	loading: false,
	shown: { entry: entry(1), positionMs: 4_000 },
	queue: [entry(2), entry(3), entry(4)],
	upcomingLimit: 2,
	loop: 'off',
	leavesAt: undefined,
	...over,
});

describe('describePlayer', () => {
	it('GIVEN a take playing THEN Pause, Skip and Stop apply and the next two are listed', () => {
		const s = describePlayer(facts());
		expect(s.status).toBe('playing');
		expect(s.current?.positionMs).toBe(4_000);
		expect(s.upcoming.map((e) => e.key)).toEqual([2, 3]);
		expect(s.queued).toBe(3);
		expect(s.controls).toEqual({ pause: true, resume: false, skip: true, stop: true, shuffle: true });
	});

	it('GIVEN a paused take while reconnecting THEN it still offers Resume', () => {
		const s = describePlayer(facts({ paused: true, connected: false }));
		expect(s.status).toBe('paused');
		expect(s.controls).toMatchObject({ pause: false, resume: true });
	});

	it('GIVEN a reconnect THEN the status is connecting and Pause is not offered', () => {
		expect(describePlayer(facts({ connected: false }))).toMatchObject({
			status: 'connecting',
			controls: { pause: false },
		});
	});

	it('GIVEN the next take loading THEN it is shown as loading and can be skipped', () => {
		expect(describePlayer(facts({ loading: true }))).toMatchObject({ status: 'loading', controls: { skip: true } });
	});

	it('GIVEN nothing left to play THEN the player is idle and only Stop applies', () => {
		const s = describePlayer(facts({ shown: undefined, queue: [] }));
		expect(s.status).toBe('idle');
		expect(s.controls).toEqual({ pause: false, resume: false, skip: false, stop: true, shuffle: false });
	});

	it('GIVEN the player has left THEN no control applies and nothing is shown', () => {
		const s = describePlayer(facts({ left: true, queue: [] }));
		expect(s).toMatchObject({ status: 'left', current: undefined });
		expect(s.controls).toEqual({ pause: false, resume: false, skip: false, stop: false, shuffle: false });
	});

	it('GIVEN the player paused with a pause deadline THEN the snapshot says when it leaves; playing, it does not', () => {
		expect(describePlayer(facts({ paused: true, leavesAt: 1234 })).leavesAt).toBe(1234);
		expect(describePlayer(facts({ leavesAt: 1234 })).leavesAt).toBeUndefined();
	});
});
