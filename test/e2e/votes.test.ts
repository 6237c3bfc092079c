import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, taskIdOf, waitForMessage, waitForTakes } from './song-steps.ts';

/**
 * The vote on the takes, as a server sees it: the poll under a new song, members voting, the poll ending (as
 * Discord ends it: final results and a POLL_RESULT message), the winner starred in /songs and ranked in
 * /songs top; also when the poll ends while the bot is down, and with polls turned off.
 */
describe('vote on the best take end to end', () => {
	let rig: Rig;
	let general: ChannelHandle;

	beforeAll(async () => {
		rig = await startRig({ double: { users: ['alice', 'bob', 'carol'] } });
		general = rig.double.channel('general');
	});
	afterAll(async () => {
		await rig?.close();
	});

	/** Asks for a song and waits for its poll; resolves with the poll message and the task id. */
	async function songWithPoll(title: string): Promise<{ poll: MessageView; taskId: string }> {
		const reply = await (await askForSong(rig.double.user('alice'), title)).reply();
		await waitForTakes(general, reply.id);
		const tracker = await waitForMessage(general, reply.id, (m) => taskIdOf(m) !== undefined);
		const all = await general.waitFor((ms) => ms.some((m) => m.poll && m.text.includes(title)), { timeout: 15_000 });
		return {
			poll: all.find((m) => m.poll && m.text.includes(title)) as MessageView,
			taskId: taskIdOf(tracker) as string,
		};
	}

	async function songsPage(options: Record<string, string | boolean> = {}): Promise<MessageView> {
		return (await rig.double.user('bob').runSlash('songs', options)).reply();
	}

	it('GIVEN both takes posted THEN one poll asks which take wins, for an hour; votes decide; the winner gets its star and tops /songs top', async () => {
		const { poll } = await songWithPoll('Lantern Song');
		expect(poll.fromBot).toBe(true);
		expect(poll.poll?.question).toBe('Which take wins?');
		expect(poll.poll?.answers.map((a) => a.text)).toEqual(['Take 1: Lantern Song', 'Take 2: Lantern Song']);
		// One hour, as Discord counts it from the message.
		expect(Math.round(((poll.poll?.expiry ?? 0) - Date.now()) / 60_000)).toBe(60);
		expect(general.messages.filter((m) => m.poll)).toHaveLength(1);

		rig.double.user('alice').vote(poll, 'Take 2: Lantern Song');
		rig.double.user('bob').vote(poll, 'Take 2: Lantern Song');
		rig.double.user('carol').vote(poll, 'Take 1: Lantern Song');
		const before = await songsPage();
		expect(before.text).not.toContain('⭐');

		rig.double.endPoll(poll);
		await expect
			.poll(async () => (await songsPage()).text, { timeout: 10_000 })
			.toContain('⭐ take 2 won with 2 votes');
		const top = await songsPage({ top: true });
		expect(top.text).toContain('**1. \u2068Lantern Song\u2069**');
		expect(top.text).toContain('⭐ take 2 won with 2 votes');
	});

	it('GIVEN a poll that ends while the bot is down THEN the bot counts it when it starts again', async () => {
		const { poll } = await songWithPoll('Harbor Bells');
		await rig.stopBot();
		rig.double.user('carol').vote(poll, 'Take 1: Harbor Bells');
		rig.double.endPoll(poll);
		await rig.restartBot();
		await expect
			.poll(async () => (await songsPage({ search: 'harbor' })).text, { timeout: 10_000 })
			.toContain('⭐ take 1 won with 1 vote');
		const top = await songsPage({ top: true });
		expect(top.text.indexOf('Lantern Song')).toBeLessThan(top.text.indexOf('Harbor Bells'));
	});

	it('GIVEN a tie THEN no take is starred and the song is not in /songs top', async () => {
		const { poll } = await songWithPoll('Even Split');
		rig.double.user('alice').vote(poll, 1);
		rig.double.user('bob').vote(poll, 2);
		rig.double.endPoll(poll);
		const ended = await general.waitFor((ms) => ms.some((m) => m.type === 46 && m.referenceId === poll.id));
		expect(ended.length).toBeGreaterThan(0);
		await expect.poll(async () => rig.app.ctx.store.getValue<string[]>('polls:open'), { timeout: 10_000 }).toEqual([]);
		expect((await songsPage({ search: 'even split' })).text).not.toContain('⭐');
		expect((await songsPage({ top: true })).text).not.toContain('Even Split');
	});

	it('GIVEN an admin turns polls off (and sets 3 hours) THEN the next song gets no poll', async () => {
		const admin = rig.double.user('server-owner');
		const off = await (await admin.runSlash('songbot votes', { on: false, hours: 3 })).reply();
		expect(off.text).toContain('New songs get no poll');
		const reply = await (await askForSong(admin, 'Quiet Song')).reply();
		await waitForTakes(general, reply.id);
		// Another song after it proves the poll would have had time to appear.
		const later = await (await askForSong(admin, 'Later Song')).reply();
		await waitForTakes(general, later.id);
		await rig.app.ctx.tracker.idle();
		expect(general.messages.some((m) => m.poll && m.text.includes('Quiet Song'))).toBe(false);
		const on = await (await admin.runSlash('songbot votes', { on: true })).reply();
		expect(on.text).toContain('open for 3 hours');
	});

	it('GIVEN an admin picks a channel for the song of the week THEN the most voted song of the week is posted there once, not again after a restart', async () => {
		const owner = rig.double.user('server-owner');
		const set = await (await owner.runSlash('songbot votes', { song_of_the_week: 'general' })).reply();
		expect(set.text).toContain(`song of the week is posted in <#${general.id}>`);
		const isWeekly = (m: MessageView) => m.fromBot && m.text.includes('Song of the week');
		const posted = (await general.waitFor((ms) => ms.some(isWeekly), { timeout: 10_000 })).filter(isWeekly);
		expect(posted).toHaveLength(1);
		expect(posted[0]?.text).toContain('Lantern Song');
		expect(posted[0]?.text).toContain('⭐ Take 2 won the vote (2 votes)');
		expect(posted[0]?.pinged.users).toEqual([]);

		await rig.stopBot();
		await rig.restartBot();
		await rig.app.ctx.songOfWeek?.check(rig.double.guild.id);
		expect(general.messages.filter(isWeekly)).toHaveLength(1);
	});
});
