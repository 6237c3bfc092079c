import { afterEach, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import { askForSong, taskIdOf, waitForMessage, waitForTakes } from './song-steps.ts';

/** Issue 16, "Rerolls and retries": the same request again from the song's own message. */

let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

/** How many song requests the provider received with these words (family A calls it submit, family B generate). */
const sentWith = (r: Rig, words: string) =>
	[...new Set([...r.fake.requestsOf('submit'), ...r.fake.requestsOf('generate')])].filter((q) =>
		JSON.stringify(q.body).includes(words),
	).length;

describe('🔄 Reroll on a finished song', () => {
	it('GIVEN a finished song THEN Reroll makes a new song from the same request, with the same credits, counted once per press, even right after the first', async () => {
		rig = await startRig({ env: { USER_DAILY_LIMIT: '5', GUILD_DAILY_LIMIT: '0' } });
		const alice = rig.double.user('alice');
		const bob = rig.double.user('bob');
		const channel = rig.double.channel('general');
		const tracker = await (await askForSong(alice, 'a shanty about the night shift')).reply();
		const takes = await waitForTakes(channel, tracker.id);
		const done = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Done'));
		expect(done.buttons).toContain('Reroll');
		expect(sentWith(rig, 'a shanty about the night shift')).toBe(1);

		// Within the dedupe minute of the first request: a reroll is deliberate, not "already on it".
		const rerolled = await (await bob.click(done, 'Reroll')).reply();
		expect(rerolled.ephemeral).toBe(false);
		expect(rerolled.text).toContain('4 left for you today');
		const again = await waitForTakes(channel, rerolled.id);
		expect(taskIdOf(await waitForMessage(channel, rerolled.id, (m) => m.text.includes('Done')))).not.toBe(
			taskIdOf(done),
		);
		expect(sentWith(rig, 'a shanty about the night shift')).toBe(2);
		// The same credits: alice asked for the song, bob asked again.
		expect(takes[0]?.text).toContain(`<@${alice.id}>`);
		expect(again[0]?.text).toContain(`<@${alice.id}>`);
		expect(again[0]?.text).toContain(`<@${bob.id}>`);
	});

	it('GIVEN two clicks on Reroll at once THEN one song is made and charged once; the other click links to it', async () => {
		rig = await startRig({ env: { USER_DAILY_LIMIT: '5', GUILD_DAILY_LIMIT: '0' } });
		const alice = rig.double.user('alice');
		const channel = rig.double.channel('general');
		const tracker = await (await askForSong(alice, 'a waltz for two left feet')).reply();
		await waitForTakes(channel, tracker.id);
		const done = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Done'));

		const clicks = await Promise.all([alice.click(done, 'Reroll'), alice.click(done, 'Reroll')]);
		const replies = await Promise.all(clicks.map((c) => c.reply()));
		const made = replies.filter((r) => !r.ephemeral);
		const linked = replies.filter((r) => r.ephemeral);
		expect(made).toHaveLength(1);
		expect(linked).toHaveLength(1);
		expect(linked[0]?.text).toContain(made[0]?.id);
		await waitForTakes(channel, made[0]?.id as string);
		expect(sentWith(rig, 'a waltz for two left feet')).toBe(2);
		expect((await (await alice.runSlash('limits')).reply()).text).toContain('Songs left for you today: **3** of 5');
	});
});

describe('a failed song', () => {
	it('GIVEN a song the provider failed THEN Try again sends the same request again, counted, and Change and try again reopens the form filled in', async () => {
		rig = await startRig({
			provider: { family: 'sunoapi', timeline: { type: 'manual' } },
			env: { USER_DAILY_LIMIT: '5', GUILD_DAILY_LIMIT: '0' },
		});
		const alice = rig.double.user('alice');
		const channel = rig.double.channel('general');
		const first = await (await askForSong(alice, 'a hymn for a flat tyre')).reply();
		const running = await waitForMessage(channel, first.id, (m) => taskIdOf(m) !== undefined);
		rig.fake.failTask(taskIdOf(running) as string, { code: 501 });
		const failed = await waitForMessage(channel, first.id, (m) => m.text.includes('Failed'));
		expect(failed.buttons).toEqual(expect.arrayContaining(['Try again', 'Change and try again']));

		const form = await (await alice.click(failed, 'Change and try again')).modal();
		expect(form.field('description').value).toBe('a hymn for a flat tyre');

		rig.fake.setTimeline({ type: 'polls', every: 1 });
		const retried = await (await alice.click(failed, 'Try again')).reply();
		expect(retried.ephemeral).toBe(false);
		await waitForTakes(channel, retried.id);
		expect(sentWith(rig, 'a hymn for a flat tyre')).toBe(2);
		const limits = (await (await alice.runSlash('limits')).reply()).text;
		expect(limits).toMatch(/Songs left for you today: \*\*[34]\*\* of 5/);
	});
});

describe('a failed extension', () => {
	it('GIVEN an extension the provider failed THEN Change and try again reopens the Extend form with the time, lyrics and style sent', async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
		const alice = rig.double.user('alice');
		const channel = rig.double.channel('general');
		const song = await (await alice.runSlash('song', { mode: 'custom' })).modal();
		const tracker = await (
			await song.submit({ lyrics: '[Verse]\nWhiskers in the sun', style: 'synthpop', title: 'Cat Nap' })
		).reply();
		const [take] = await waitForTakes(channel, tracker.id);

		rig.fake.setTimeline({ type: 'manual' });
		const form = await (await alice.click(take!, 'Extend')).modal();
		const typed = { at: '0:05', lyrics: '[Bridge]\nStill purring', style: 'synthpop, brass' };
		const extension = await (await form.submit(typed)).reply();
		const running = await waitForMessage(channel, extension.id, (m) => taskIdOf(m) !== undefined);
		rig.fake.failTask(taskIdOf(running) as string, { code: 531 });
		const failed = await waitForMessage(channel, extension.id, (m) => m.text.includes('Failed'));
		expect(failed.buttons).toEqual(expect.arrayContaining(['Try again', 'Change and try again']));

		const again = await (await alice.click(failed, 'Change and try again')).modal();
		expect(again.customId).toBe(form.customId);
		expect(again.field('at').value).toBe(typed.at);
		expect(again.field('lyrics').value).toBe(typed.lyrics);
		expect(again.field('style').value).toBe(typed.style);
		rig.fake.setTimeline({ type: 'polls', every: 1 });
		const made = await (await again.submit({ lyrics: '[Bridge]\nPurring louder' })).reply();
		const takes = await waitForTakes(channel, made.id);
		// The words sent are the changed ones: behind the card's Lyrics button.
		const lyrics = await (await alice.click(takes[0]!, 'Lyrics')).reply();
		expect(lyrics.text).toContain('Purring louder');
	});
});

describe('a failed remix', () => {
	it('GIVEN a remix the provider failed THEN Change and try again reopens the Remix form with the style, lyrics and title sent', async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
		const alice = rig.double.user('alice');
		const channel = rig.double.channel('general');
		const song = await (await alice.runSlash('song', { mode: 'custom' })).modal();
		const tracker = await (
			await song.submit({ lyrics: '[Verse]\nWhiskers in the sun', style: 'synthpop', title: 'Cat Nap' })
		).reply();
		const [take] = await waitForTakes(channel, tracker.id);

		rig.fake.setTimeline({ type: 'manual' });
		const form = await (await alice.click(take!, 'Remix')).modal();
		const typed = { style: 'lo-fi jazz', lyrics: '[Verse]\nWhiskers in the rain', title: 'Cat Nap (rain)' };
		const remix = await (await form.submit(typed)).reply();
		const running = await waitForMessage(channel, remix.id, (m) => taskIdOf(m) !== undefined);
		rig.fake.failTask(taskIdOf(running) as string, { code: 531 });
		const failed = await waitForMessage(channel, remix.id, (m) => m.text.includes('Failed'));

		const again = await (await alice.click(failed, 'Change and try again')).modal();
		expect(again.customId).toBe(form.customId);
		expect(again.field('style').value).toBe(typed.style);
		expect(again.field('lyrics').value).toBe(typed.lyrics);
		expect(again.field('title').value).toBe(typed.title);
	});
});
