import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeProviderOptions } from '../doubles/providers/index.ts';
import { freePort } from '../store/redis-server.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, intentIdOf, takeMarkerOf, taskIdOf, waitForMessage, waitForTakes } from './song-steps.ts';

/**
 * The provider takes the request (and the money) but its answer never reaches the bot: the connection is reset
 * right after the task was created. The whole bot on the Discord double: the tracker message says so plainly,
 * the request is never sent twice, and where the family calls back (B: callBackUrl, A resellers: notify_hook)
 * the callback URL carries the intent id, so the song is still found and delivered.
 */

async function rigWithCallbacks(provider: FakeProviderOptions): Promise<Rig> {
	const port = await freePort();
	return startRig({
		provider: { ...provider, timeline: { type: 'manual' } },
		env: {
			HTTP_PORT: String(port),
			PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
			USER_DAILY_LIMIT: '5',
			// A family-A reseller's notify_hook is declared by the operator: nothing shows it from outside.
			...(provider.family === 'newapi' ? { SUNO_FEATURES: 'callbacks' } : {}),
		},
	});
}

for (const provider of [
	{ family: 'sunoapi', label: 'family B (callBackUrl)' },
	{ family: 'newapi', mode: 'reseller', label: 'family A reseller (notify_hook)' },
] as const) {
	describe(`a lost submit answer, ${provider.label}`, () => {
		let rig: Rig;
		beforeAll(async () => {
			rig = await rigWithCallbacks(provider);
		});
		afterAll(async () => {
			await rig?.close();
		});

		it('GIVEN the provider accepts the song and the connection drops before its answer THEN the tracker says the answer was lost, and the callback naming the intent brings the song', async () => {
			rig.fake.inject('disconnect', { on: 'submit', afterAccept: true });
			const channel = rig.double.channel('general');
			const tracker = await (await askForSong(rig.double.user('alice'), 'a song whose answer got lost')).reply();

			const lost = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Answer lost'));
			expect(lost.text).toContain('may have received this request, but its answer never reached the bot');
			expect(lost.text).toContain('It will not be sent again');
			expect(lost.text).toContain('waiting for the provider to report back');
			// Not refunded: the provider may well have charged for it.
			expect(lost.text).toContain('4 left for you today');

			const [task] = [...rig.fake.tasks.values()];
			expect(rig.fake.tasks.size).toBe(1);
			// The id is behind the Details button, not in the channel.
			const intentId = intentIdOf(lost);
			expect(lost.text).not.toContain('intent-');
			expect(intentId).toBeDefined();
			expect(task?.callbackUrl).toMatch(new RegExp(`/callbacks/[^/]+/${rig.fake.family}/${intentId}$`));

			rig.fake.completeTask(task?.id ?? '');
			const takes = await waitForTakes(channel, tracker.id);
			expect(takes).toHaveLength(2);
			expect(takes.every((m) => takeMarkerOf(m)?.startsWith(`${task?.id}:`))).toBe(true);
			const done = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Done'));
			expect(taskIdOf(done)).toBe(task?.id);
			expect(done.text).not.toContain('Answer lost');
			expect(rig.fake.requestsOf('submit')).toHaveLength(1);

			// The lost answer kept its place in the quota: the next song is the second of the day.
			const next = await (await askForSong(rig.double.user('alice'), 'the next song of the day')).reply();
			expect(next.text).toContain('3 left for you today');
		});
	});
}

describe('a lost submit answer, family C (no callbacks)', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'v1music', timeline: { type: 'manual' } } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN the provider accepts the song and the connection drops THEN the tracker says plainly that the bot cannot follow it, and nothing is sent twice', async () => {
		rig.fake.inject('disconnect', { on: 'submit', afterAccept: true });
		const channel = rig.double.channel('general');
		const tracker = await (await askForSong(rig.double.user('bob'), 'a song the bot cannot find')).reply();

		const lost = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Answer lost'));
		expect(lost.text).toContain('may have received this request, but its answer never reached the bot');
		expect(lost.text).toContain('cannot be asked about it without that answer');
		expect(lost.text).toContain("the bot operator can find it in the provider's dashboard");
		expect(rig.fake.tasks.size).toBe(1);
		expect(rig.fake.requestsOf('submit')).toHaveLength(1);
		expect(channel.messages.filter((m) => m.id !== tracker.id && m.fromBot)).toHaveLength(0);
	});
});
