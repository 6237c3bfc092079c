import { describe, expect, it } from 'vitest';
import { pendingDeliveries, type TaskRecord } from '../../src/core/records.ts';
import { apply, checkDeadlines, type TaskEvent } from '../../src/core/task.ts';
import { clip, newRecord, snapshot } from './records.fixtures.ts';

const limits = { stallMs: 600_000, taskTimeoutMs: 3_600_000 };

/** Applies snapshots in order and collects every event. */
function run(record: TaskRecord, ...snapshots: Parameters<typeof apply>[1][]) {
	let current = record;
	const events: TaskEvent[] = [];
	let now = record.createdAt;
	for (const s of snapshots) {
		now += 1_000;
		const t = apply(current, s, now);
		current = t.record;
		events.push(...t.events);
	}
	return { record: current, events, now };
}

const types = (events: TaskEvent[]) => events.map((e) => e.type);

describe('task state machine: the happy path', () => {
	it('GIVEN a submitted task WHEN the provider reports it queued, then lyrics, then one take, then both THEN the user hears each step once', () => {
		const { record, events } = run(
			newRecord(),
			snapshot('queued', []),
			snapshot('running', [clip('a', 'pending'), clip('b', 'pending')]),
			snapshot('running', [clip('a', 'streaming'), clip('b', 'streaming')]),
			snapshot('partial', [clip('a', 'complete'), clip('b', 'streaming')]),
			snapshot('succeeded', [clip('a', 'complete'), clip('b', 'complete')]),
		);
		expect(types(events)).toEqual([
			'queued',
			'lyrics-ready',
			'take-streaming',
			'take-streaming',
			'take-done',
			'take-done',
			'finished',
		]);
		expect(events.filter((e) => e.type === 'take-streaming' || e.type === 'take-done')).toEqual([
			{ type: 'take-streaming', take: 1, clipId: 'a', first: true },
			{ type: 'take-streaming', take: 2, clipId: 'b', first: false },
			{ type: 'take-done', take: 1, clipId: 'a', first: true },
			{ type: 'take-done', take: 2, clipId: 'b', first: false },
		]);
		expect(record.state).toEqual({ status: 'finished', outcome: 'complete' });
		expect(pendingDeliveries(record).map((c) => c.id)).toEqual(['a', 'b']);
		expect(record.finishedAt).toBeDefined();
	});

	it('GIVEN progress percentages THEN each increase is reported and a lower one is ignored', () => {
		const { events, record } = run(
			newRecord({ family: 'v1music' }),
			snapshot('running', [], { progressPct: 30 }),
			snapshot('running', [], { progressPct: 72 }),
			snapshot('running', [], { progressPct: 50 }),
		);
		expect(events).toEqual([
			{ type: 'progress', pct: 30 },
			{ type: 'progress', pct: 72 },
		]);
		expect(record.progressPct).toBe(72);
	});

	it('GIVEN a lyrics task WHEN it succeeds THEN lyrics are ready and the task is delivered at once (nothing to post)', () => {
		const lyrics = newRecord({ kind: 'lyrics', request: { action: 'lyrics', prompt: 'rainy day' } });
		const { record, events } = run(lyrics, {
			taskId: 'task-1',
			kind: 'lyrics',
			status: 'succeeded',
			clips: [],
			lyrics: [{ title: 'Rain', text: '[Verse] drip' }],
		});
		expect(events).toEqual([
			{ type: 'lyrics-ready', title: 'Rain', lyrics: '[Verse] drip' },
			{ type: 'finished', outcome: 'complete' },
		]);
		expect(record.state.status).toBe('delivered');
	});
});

describe('task state machine: the title of the takes', () => {
	const describing = (title?: string): TaskRecord['request'] => ({
		action: 'generate',
		request: { mode: 'describe', model: 'v5', description: 'a song about rain', ...(title ? { title } : {}) },
	});

	it('GIVEN a title the person typed WHEN the provider names the takes otherwise THEN the takes keep the typed title', () => {
		const { record } = run(
			newRecord({ request: describing('Night Drive') }),
			snapshot('succeeded', [clip('a', 'complete', { title: 'Neon Echoes' }), clip('b', 'complete', { title: 'x' })]),
		);
		expect(record.clips.map((c) => c.title)).toEqual(['Night Drive', 'Night Drive']);
	});

	it('GIVEN no title typed (or an extension that changes nothing) THEN the provider’s title is kept', () => {
		const described = run(
			newRecord({ request: describing() }),
			snapshot('succeeded', [clip('a', 'complete', { title: 'Neon Echoes' })]),
		);
		expect(described.record.clips.map((c) => c.title)).toEqual(['Neon Echoes']);
		const extension = run(
			newRecord({ request: { action: 'extend', request: { source: { clipId: 'old' }, model: 'v5' } } }),
			snapshot('succeeded', [clip('a', 'complete', { title: 'Night Drive' })]),
		);
		expect(extension.record.clips.map((c) => c.title)).toEqual(['Night Drive']);
	});
});

describe('task state machine: duplicates and disorder', () => {
	const done = snapshot('succeeded', [clip('a', 'complete'), clip('b', 'complete')]);
	const first = snapshot('partial', [clip('a', 'complete'), clip('b', 'streaming')]);

	it('GIVEN a snapshot already applied WHEN it arrives again THEN nothing changes and no event is emitted', () => {
		const once = run(newRecord(), first).record;
		const again = apply(once, first, 99_000);
		expect(again.record).toBe(once);
		expect(again.events).toEqual([]);
	});

	it('GIVEN the final snapshot WHEN an older one arrives late THEN it is ignored', () => {
		const finished = run(newRecord(), done).record;
		for (const old of [first, snapshot('running', [clip('a', 'streaming')]), snapshot('queued', [])]) {
			const t = apply(finished, old, 99_000);
			expect(t.events).toEqual([]);
			expect(t.record.state).toEqual(finished.state);
			expect(t.record.clips).toEqual(finished.clips);
		}
	});

	it('GIVEN reordered snapshots (complete before first) THEN the same takes are reported once each', () => {
		const { events, record } = run(newRecord(), done, first, done);
		expect(types(events)).toEqual(['lyrics-ready', 'take-done', 'take-done', 'finished']);
		expect(record.clips.map((c) => [c.take, c.state])).toEqual([
			[1, 'complete'],
			[2, 'complete'],
		]);
	});

	it('GIVEN a complete take WHEN a later report adds its cover image THEN the image is kept without a new event', () => {
		const finished = run(newRecord(), done).record;
		const withImage = snapshot('succeeded', [clip('a', 'complete', { imageUrl: 'https://cdn.example/a.png' })]);
		const t = apply(finished, withImage, 99_000);
		expect(t.events).toEqual([]);
		expect(t.record.clips[0]?.imageUrl).toBe('https://cdn.example/a.png');
	});

	it('GIVEN a take whose cover image was filled in WHEN the earlier complete report arrives again THEN the record is kept as is (nothing to save)', () => {
		const withImage = snapshot('succeeded', [clip('a', 'complete', { imageUrl: 'https://cdn.example/a.png' })]);
		const finished = run(newRecord(), done, withImage).record;
		const again = apply(finished, done, 99_000);
		expect(again.record).toBe(finished);
		expect(again.events).toEqual([]);
	});

	it('GIVEN a saved record WHEN every kind of report and the deadlines are applied to it THEN the record given is never modified', () => {
		const frozen = <T>(value: T): T => {
			if (typeof value === 'object' && value !== null) {
				for (const inner of Object.values(value)) frozen(inner);
				Object.freeze(value);
			}
			return value;
		};
		let current = frozen(newRecord());
		const steps = [
			snapshot('queued', []),
			snapshot('running', [clip('a', 'pending'), clip('b', 'pending')], { progressPct: 20 }),
			first,
			done,
			snapshot('succeeded', [clip('a', 'complete', { imageUrl: 'https://cdn.example/a.png' })]),
		];
		for (const [i, step] of steps.entries()) current = frozen(apply(current, step, 2_000 + i).record);
		expect(current.clips.map((c) => [c.id, c.state, c.imageUrl])).toEqual([
			['a', 'complete', 'https://cdn.example/a.png'],
			['b', 'complete', undefined],
		]);
		const stalled = frozen(run(newRecord(), snapshot('running', [clip('a', 'streaming')])).record);
		const timedOut = checkDeadlines(stalled, stalled.createdAt + limits.taskTimeoutMs, limits).record;
		expect(timedOut.state.status).toBe('failed');
		expect(stalled.state.status).toBe('running');
	});

	it('GIVEN a snapshot of another task THEN nothing changes', () => {
		const record = newRecord();
		expect(apply(record, { ...done, taskId: 'task-2' }, 5_000).record).toBe(record);
	});
});

describe('task state machine: failures', () => {
	it('GIVEN one take fails and the other succeeds THEN the good take is pending delivery and the failure is explained', () => {
		const { record, events } = run(
			newRecord(),
			snapshot('failed', [clip('a', 'complete'), clip('b', 'error', { errorMessage: 'take b broke' })], {
				failureReason: 'GENERATE_AUDIO_FAILED',
			}),
		);
		expect(events).toContainEqual({ type: 'take-failed', take: 2, clipId: 'b', message: 'take b broke' });
		expect(events.at(-1)).toEqual({ type: 'finished', outcome: 'partial' });
		expect(record.state).toEqual({ status: 'finished', outcome: 'partial' });
		expect(pendingDeliveries(record).map((c) => c.id)).toEqual(['a']);
	});

	it('GIVEN the provider reports a content-policy failure THEN the task fails with the text for that kind and what to change', () => {
		const { record, events } = run(
			newRecord(),
			snapshot('failed', [], {
				failureReason: 'the lyrics look copyrighted: change them and try again',
				failureKind: 'content_policy',
			}),
		);
		const failure = {
			kind: 'content_policy',
			message:
				'The music provider refused this request under its content policy: the lyrics look copyrighted: change them and try again',
			source: 'provider',
		};
		expect(events).toEqual([{ type: 'failed', failure }]);
		expect(record.state).toMatchObject({ status: 'failed', failure });
	});

	it('GIVEN a provider failure THEN a later success report is ignored (the provider said it is over)', () => {
		const failed = run(newRecord(), snapshot('failed', [], { failureReason: 'Internal Error' })).record;
		const t = apply(failed, snapshot('succeeded', [clip('a', 'complete')]), 99_000);
		expect(t.record).toBe(failed);
		expect(t.events).toEqual([]);
	});

	it('GIVEN success with a take that never got audio THEN that take is reported failed and the other delivered', () => {
		const { record, events } = run(newRecord(), snapshot('succeeded', [clip('a', 'complete'), clip('b', 'streaming')]));
		expect(events).toContainEqual(expect.objectContaining({ type: 'take-failed', take: 2 }));
		expect(record.state).toEqual({ status: 'finished', outcome: 'partial' });
	});
});

describe('task state machine: stall and timeout', () => {
	const running = run(newRecord(), snapshot('running', [clip('a', 'streaming'), clip('b', 'streaming')])).record;

	it('GIVEN no progress for the stall timeout THEN the user is told once, with the task id', () => {
		const at = running.lastProgressAt + limits.stallMs;
		expect(checkDeadlines(running, at - 1, limits).events).toEqual([]);
		const stalled = checkDeadlines(running, at, limits);
		expect(stalled.events).toEqual([{ type: 'stalled', taskId: 'task-1', silentForMs: limits.stallMs }]);
		expect(stalled.record.state.status).toBe('stalled');
		expect(checkDeadlines(stalled.record, at + 60_000, limits).events).toEqual([]);
	});

	it('GIVEN a stalled task WHEN a late success arrives THEN both takes are done and the task finishes', () => {
		const stalled = checkDeadlines(running, running.lastProgressAt + limits.stallMs, limits).record;
		const t = apply(stalled, snapshot('succeeded', [clip('a', 'complete'), clip('b', 'complete')]), 2_000_000);
		expect(types(t.events)).toEqual(['take-done', 'take-done', 'finished']);
		expect(t.record.state).toEqual({ status: 'finished', outcome: 'complete' });
	});

	it('GIVEN a stalled task WHEN it moves again THEN the user hears it recovered', () => {
		const stalled = checkDeadlines(running, running.lastProgressAt + limits.stallMs, limits).record;
		const t = apply(stalled, snapshot('running', [clip('a', 'streaming', { durationSec: 20 })]), 2_000_000);
		expect(t.events).toEqual([{ type: 'recovered' }]);
		expect(t.record.state.status).toBe('running');
	});

	it('GIVEN nothing complete at the overall timeout THEN the task fails with kind timeout, and a late success still finishes it', () => {
		const timedOut = checkDeadlines(running, running.createdAt + limits.taskTimeoutMs, limits);
		expect(timedOut.events).toEqual([
			{
				type: 'failed',
				failure: {
					kind: 'timeout',
					message: 'The music provider did not finish in time (task task-1).',
					source: 'timeout',
				},
			},
		]);
		const late = apply(timedOut.record, snapshot('succeeded', [clip('a', 'complete'), clip('b', 'complete')]), 9e6);
		expect(types(late.events)).toEqual(['take-done', 'take-done', 'finished']);
		expect(pendingDeliveries(late.record)).toHaveLength(2);
	});

	it('GIVEN one take complete at the overall timeout THEN the task concludes partial and delivers that take', () => {
		const half = apply(running, snapshot('partial', [clip('a', 'complete'), clip('b', 'streaming')]), 50_000).record;
		const t = checkDeadlines(half, half.createdAt + limits.taskTimeoutMs, limits);
		expect(t.events).toEqual([
			{ type: 'take-failed', take: 2, clipId: 'b', message: 'The music provider did not finish this take in time.' },
			{ type: 'finished', outcome: 'partial' },
		]);
		expect(pendingDeliveries(t.record).map((c) => c.id)).toEqual(['a']);
	});

	it('GIVEN a finished task THEN deadlines no longer apply', () => {
		const finished = run(newRecord(), snapshot('succeeded', [clip('a', 'complete')])).record;
		const t = checkDeadlines(finished, finished.createdAt + 10 * limits.taskTimeoutMs, limits);
		expect(t.record).toBe(finished);
	});
});
