import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeProviderOptions } from '../doubles/providers/index.ts';
import { freePort } from '../store/redis-server.ts';
import { type KillRig, startKillRig } from './kill-rig.ts';
import { askForSong, intentIdOf, readyPings, takeMarkerOf, takesIn, taskIdOf, waitForMessage } from './song-steps.ts';

/**
 * The whole bot (a child process, real DiscordSink, SQLite) SIGKILLed after its submit reached the provider and
 * before the answer was saved: the provider made (and charged) the task, the bot only has its intent. After a
 * restart the tracker message says the answer was lost; the request is never sent again; with callbacks, the
 * provider's first callback (its URL names the intent) brings the song, delivered exactly once.
 */

/** The provider holds its answer back this long after creating the task: the bot is killed well before. */
const ANSWER_HELD_MS = 20_000;

/** Asks for a song and kills the bot as soon as the provider has created its task, its answer still held back. */
async function killAfterSubmitSent(rig: KillRig, description: string): Promise<string> {
	rig.fake.inject('slow', { on: 'submit', afterAccept: true, delayMs: ANSWER_HELD_MS });
	const reply = await (await askForSong(rig.double.user('alice'), description)).reply();
	while (rig.fake.tasks.size === 0) await sleep(5);
	await rig.kill();
	return reply.id;
}

const CASES: {
	name: string;
	provider: Omit<FakeProviderOptions, 'timeline'>;
	callbacks: boolean;
}[] = [
	{
		name: 'with callbacks (family A reseller: notify_hook)',
		provider: { family: 'newapi', mode: 'reseller' },
		callbacks: true,
	},
	{ name: 'with callbacks (family B: callBackUrl)', provider: { family: 'sunoapi' }, callbacks: true },
	{ name: 'without callbacks (stock new-api)', provider: { family: 'newapi' }, callbacks: false },
];

for (const c of CASES) {
	describe(`the whole bot SIGKILLed after the submit was sent, before its answer was saved, ${c.name}`, () => {
		let rig: KillRig;
		beforeAll(async () => {
			const port = await freePort();
			const callbacks = { HTTP_PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` };
			// A family-A reseller's notify_hook is declared by the operator (SUNO_FEATURES): nothing shows it from outside.
			const env = !c.callbacks
				? {}
				: c.provider.family === 'newapi'
					? { ...callbacks, SUNO_FEATURES: 'callbacks' }
					: callbacks;
			rig = await startKillRig(env, c.provider);
		});
		afterAll(async () => {
			await rig?.close();
		});

		const outcome = c.callbacks
			? 'the callback naming the intent brings the song, posted exactly once'
			: 'the tracker says plainly the answer was lost and that the bot cannot follow it';
		it(`GIVEN the provider made the task and the bot died before its answer THEN after a restart ${outcome}, and nothing is submitted twice`, async () => {
			const channel = rig.double.channel('general');
			const trackerId = await killAfterSubmitSent(rig, `a song whose answer died with the bot (${c.provider.family})`);
			expect(rig.fake.requestsOf('submit')).toHaveLength(1);
			const [task] = [...rig.fake.tasks.values()];
			if (!task) throw new Error('the provider made no task');

			await rig.start();
			const lost = await waitForMessage(channel, trackerId, (m) => m.text.includes('Answer lost'), 30_000);
			expect(lost.text).toContain('may have received this request, but its answer never reached the bot');
			expect(lost.text).toContain('It will not be sent again');
			// The id is behind the Details button, not in the channel.
			const intentId = intentIdOf(lost);
			expect(lost.text).not.toContain('intent-');
			expect(intentId).toBeDefined();

			if (!c.callbacks) {
				expect(lost.text).toContain('cannot be asked about it without that answer');
				expect(lost.text).not.toContain('report back');
				expect(task.callbackUrl).toBeUndefined();
				// A re-send would follow the restart's recovery at once; give it the time to show if it were coming.
				await sleep(1_000);
				expect(rig.fake.requestsOf('submit')).toHaveLength(1);
				expect(channel.messages.filter((m) => m.fromBot && m.id !== trackerId)).toHaveLength(0);
				return;
			}

			expect(lost.text).toContain('waiting for the provider to report back');
			expect(task.callbackUrl).toMatch(new RegExp(`/callbacks/[^/]+/${rig.fake.family}/${intentId}$`));
			rig.fake.completeTask(task.id);
			const done = await waitForMessage(
				channel,
				trackerId,
				(m) => m.text.includes('Done: takes 1 and 2 are here'),
				30_000,
			);
			expect(taskIdOf(done)).toBe(task.id);
			expect(done.text).not.toContain('Answer lost');
			const takes = takesIn(channel.messages, task.id);
			expect(takes).toHaveLength(2);
			for (const clip of task.clips)
				expect(takes.filter((m) => takeMarkerOf(m) === `${task.id}:${clip.id}`)).toHaveLength(1);
			expect(takes.every((m) => m.attachments.length === 1 && m.attachments[0]!.size > 10_000)).toBe(true);
			expect(done.attachments).toHaveLength(2);
			expect(readyPings(channel.messages, trackerId)).toHaveLength(1);
			expect(rig.fake.requestsOf('submit')).toHaveLength(1);
		}, 120_000);
	});
}
