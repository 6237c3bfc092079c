import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import { waitForTakes } from './song-steps.ts';

/** A /song form refused before anything is sent keeps what was typed behind a "Fix and try again" button. */
describe('Fix and try again, end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({
			double: { users: ['alice', 'bob', 'server-owner'] },
			env: { COOLDOWN_SEC: '600', USER_DAILY_LIMIT: '10', GUILD_DAILY_LIMIT: '0' },
		});
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a form the word filter refuses THEN Fix and try again reopens it with everything typed, and the fixed one is made', async () => {
		await (await rig.double.user('server-owner').runSlash('songbot filter', { add: 'gloom' })).reply();
		const alice = rig.double.user('alice');
		const typed = {
			lyrics: '[Verse]\nsteady rain on the old tin roof',
			title: 'Tin Roof',
			style: 'gloom folk, banjo',
		};
		const generates = rig.fake.requestsOf('submit').length;
		const form = await (await alice.runSlash('song', { mode: 'custom' })).modal();
		const refused = await (await form.submit(typed)).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('“gloom” in the style');
		expect(refused.buttons).toContain('Fix and try again');

		const again = await (await alice.click(refused, 'Fix and try again')).modal();
		expect(again.field('lyrics').value).toBe(typed.lyrics);
		expect(again.field('title').value).toBe(typed.title);
		expect(again.field('style').value).toBe(typed.style);
		expect(rig.fake.requestsOf('submit')).toHaveLength(generates);

		const made = await (await again.submit({ style: 'sunny folk, banjo' })).reply();
		expect(made.ephemeral).toBe(false);
		await waitForTakes(rig.double.channel('general'), made.id);
		const sent = rig.fake.requestsOf('submit').at(-1)?.body as Record<string, unknown>;
		expect(JSON.stringify(sent)).toContain('sunny folk, banjo');
		expect(JSON.stringify(sent)).toContain('steady rain on the old tin roof');
	});

	it('GIVEN a form refused at submit by the cooldown THEN the refusal says when and keeps the words behind Fix and try again', async () => {
		const bob = rig.double.user('bob');
		// Both forms open before the first submit starts the cooldown; the second is refused when it is sent.
		const forms = [
			await (await bob.runSlash('song', { mode: 'describe' })).modal(),
			await (await bob.runSlash('song', { mode: 'describe' })).modal(),
		];
		const submittedAt = Date.now();
		const first = await (await forms[0]!.submit({ description: 'a waltz for a broken clock' })).reply();
		expect(first.ephemeral).toBe(false);
		const refused = await (await forms[1]!.submit({ description: 'a march for a lost umbrella' })).reply();
		expect(refused.ephemeral).toBe(true);
		const until = Number(/Try again <t:(\d+):R>/.exec(refused.text)?.[1]);
		expect(Math.abs(until - (submittedAt / 1000 + 600))).toBeLessThan(10);
		expect(refused.buttons).toContain('Fix and try again');

		// Still cooling down: the button says so instead of a form that would be refused again.
		const early = await (await bob.click(refused, 'Fix and try again')).reply();
		expect(early.ephemeral).toBe(true);
		expect(early.text).toContain('one song every 600 seconds per person');
		await waitForTakes(rig.double.channel('general'), first.id);
	});
});
