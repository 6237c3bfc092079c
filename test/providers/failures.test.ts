import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { callbackReceiver, pollToEnd, providerFor } from './helpers.ts';

/** Family B's failure statuses and callback codes, each in words a person can act on (issue 14). */

let fake: FakeProvider;
let receiver: Awaited<ReturnType<typeof callbackReceiver>>;
beforeAll(async () => {
	fake = await startFakeProvider({ family: 'sunoapi', mode: 'kie', timeline: { type: 'manual' } });
	receiver = await callbackReceiver();
});
afterAll(async () => {
	await fake.close();
	await receiver.close();
});

const COPYRIGHT = 'the lyrics look copyrighted: change them and try again';
const MATCHES = 'the uploaded audio matches an existing work: use your own recording and try again';
const FAILED = 'the provider could not generate the audio: try again, perhaps with other words or style';
const REFUNDED = 'the provider could not generate the audio and gave its credits back: try again';

describe('family B failures', () => {
	it.each([
		[{ code: 400 }, COPYRIGHT, 'content_policy', undefined],
		[{ code: 413 }, MATCHES, 'content_policy', undefined],
		[{ code: 501 }, FAILED, undefined, undefined],
		[{ code: 531 }, REFUNDED, undefined, true],
		[{ status: 'CREATE_TASK_FAILED' }, 'the provider could not start the song: try again', undefined, undefined],
		[
			{ status: 'SENSITIVE_WORD_ERROR', code: 400 },
			'the provider’s filter refused some words: change them and try again',
			'content_policy',
			undefined,
		],
	] as const)('GIVEN %o THEN polling and the callback both say “%s”', async (how, reason, kind, refunded) => {
		const { provider } = providerFor(fake, { variant: 'kie' });
		const { taskId } = await provider.generate(
			{ mode: 'describe', description: 'x', model: 'v5' },
			{ callbackUrl: receiver.url },
		);
		const charged = fake.credits;
		fake.failTask(taskId, { ...how, reason: 'raw provider words' });
		// Only 531 gives the provider's credits back.
		expect(fake.credits - charged).toBe(refunded ? 10 : 0);
		await fake.flushCallbacks();
		const polled = (await pollToEnd(provider, taskId)).at(-1);
		const pushed = provider.parseCallback(receiver.bodies.at(-1))[0]?.snapshot;
		for (const snapshot of 'status' in how ? [polled] : [polled, pushed]) {
			expect(snapshot).toMatchObject({ status: 'failed', failureReason: reason });
			expect(snapshot?.failureKind).toBe(kind);
			expect(snapshot?.providerRefunded).toBe(refunded);
		}
	});
});
