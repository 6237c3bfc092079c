import { describe, expect, it } from 'vitest';
import { pendingDeliveries } from '../../src/core/records.ts';
import {
	beginDelivery,
	deliveryFailed,
	isDeliveryDue,
	markDelivered,
	retryDelivery,
	settle,
	unsettle,
} from '../../src/core/takes.ts';
import { apply } from '../../src/core/task.ts';
import { clip, newRecord, snapshot } from './records.fixtures.ts';

const finished = apply(
	newRecord(),
	snapshot('succeeded', [clip('a', 'complete'), clip('b', 'complete')]),
	2_000,
).record;
const policy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000 };

describe('take delivery transitions', () => {
	it('GIVEN both takes posted and marked THEN the task is delivered and can settle', () => {
		let r = beginDelivery(finished, 'a', 3_000);
		r = markDelivered(r, 'a', 'm-a', 3_100);
		expect(r.state.status).toBe('finished');
		expect(settle(r, 3_200)).toBeUndefined();
		r = markDelivered(beginDelivery(r, 'b', 3_300), 'b', 'm-b', 3_400);
		expect(r.state).toEqual({ status: 'delivered', outcome: 'complete', at: 3_400 });
		expect(pendingDeliveries(r)).toEqual([]);
		expect(settle(r, 3_500)?.settledAt).toBe(3_500);
	});

	it('GIVEN a post that started but was never marked THEN the take is still pending and its attempt is remembered', () => {
		const r = beginDelivery(finished, 'a', 3_000);
		expect(pendingDeliveries(r).map((c) => c.id)).toEqual(['a', 'b']);
		expect(r.clips[0]?.delivery).toEqual({ status: 'posting', attempts: 1, nextAttemptAt: 3_000 });
		expect(beginDelivery(r, 'a', 4_000).clips[0]?.delivery).toMatchObject({ attempts: 2 });
	});

	it('GIVEN failed posts THEN retries back off, and after the last attempt the take is given up and the user told', () => {
		let r = beginDelivery(finished, 'a', 0);
		let t = deliveryFailed(r, 'a', 'Missing Access', 0, policy);
		expect(t.record.clips[0]?.delivery).toMatchObject({ status: 'posting', attempts: 1, nextAttemptAt: 1_000 });
		expect(isDeliveryDue(t.record.clips[0]!, 999)).toBe(false);
		expect(isDeliveryDue(t.record.clips[0]!, 1_000)).toBe(true);
		r = beginDelivery(t.record, 'a', 1_000);
		t = deliveryFailed(r, 'a', 'Missing Access', 1_000, policy);
		expect(t.record.clips[0]?.delivery).toMatchObject({ attempts: 2, nextAttemptAt: 3_000 });
		r = beginDelivery(t.record, 'a', 3_000);
		t = deliveryFailed(r, 'a', 'Missing Access', 3_000, policy);
		expect(t.events).toEqual([
			{ type: 'delivery-failed', take: 1, clipId: 'a', message: 'Take 1 could not be posted: Missing Access' },
		]);
		expect(t.record.clips[0]?.delivery?.status).toBe('abandoned');
		expect(pendingDeliveries(t.record).map((c) => c.id)).toEqual(['b']);
	});

	it('GIVEN a post Discord refused for good THEN the take is given up at once, and a retry makes it due again after a look in the channel', () => {
		let r = markDelivered(beginDelivery(finished, 'a', 0), 'a', 'm-a', 10);
		r = beginDelivery(r, 'b', 20);
		const t = deliveryFailed(r, 'b', 'the bot lacks Attach Files here', 30, policy, true);
		expect(t.events).toEqual([
			{
				type: 'delivery-failed',
				take: 2,
				clipId: 'b',
				message: 'Take 2 could not be posted: the bot lacks Attach Files here',
			},
		]);
		expect(t.record.state).toEqual({ status: 'delivered', outcome: 'complete', at: 30 });
		const settled = settle(t.record, 40) as NonNullable<ReturnType<typeof settle>>;
		expect(retryDelivery(settled, 'a', 50)).toBeUndefined();

		const retried = unsettle(retryDelivery(settled, 'b', 50) as NonNullable<ReturnType<typeof retryDelivery>>);
		expect(retried.state).toEqual({ status: 'finished', outcome: 'complete' });
		expect(retried.settledAt).toBeUndefined();
		expect(isDeliveryDue(retried.clips[1]!, 50)).toBe(true);
		// The next attempt is the second: the channel is asked first, in case the refused post landed after all.
		expect(beginDelivery(retried, 'b', 50).clips[1]?.delivery).toMatchObject({ attempts: 2 });
		const posted = markDelivered(beginDelivery(retried, 'b', 50), 'b', 'm-b', 60);
		expect(posted.state).toEqual({ status: 'delivered', outcome: 'complete', at: 60 });
	});

	it('GIVEN a settled task that timed out WHEN a late take completes THEN it becomes active again', () => {
		const failed = newRecord({
			state: { status: 'failed', failure: { kind: 'timeout', message: 'x', source: 'timeout' }, at: 5 },
			settledAt: 6,
		});
		const revived = apply(failed, snapshot('succeeded', [clip('a', 'complete')]), 10).record;
		expect(unsettle(revived).settledAt).toBeUndefined();
		expect(unsettle(failed).settledAt).toBe(6);
	});
});
