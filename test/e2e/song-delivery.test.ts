import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, isTake, readyPings, takesIn, taskIdOf, waitForMessage } from './song-steps.ts';

/** Messages of the bot that answer the tracker message and mention someone: the pings. */
function pingsFor(messages: MessageView[], userId: string): MessageView[] {
	return messages.filter((m) => m.fromBot && m.content.startsWith(`<@${userId}>`) && !isTake(m));
}

describe('/song delivery end to end: nothing is "Done" with a missing take, every failure reaches the requester', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({
			double: { users: ['alice', 'bob', 'carol', 'dave'] },
			env: { USER_DAILY_LIMIT: '0', GUILD_DAILY_LIMIT: '0', STALL_TIMEOUT_SEC: '2' },
		});
	});
	afterEach(() => {
		rig.fake.clearFaults();
		rig.fake.setOutcome('success');
		rig.fake.setTimeline({ type: 'polls', every: 1 });
		rig.double.channel('songs').setPermissions('bot', {});
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN the bot loses Attach Files before the takes are ready THEN the tracker names each missing take with a download link, and Post again works once the permission is back', async () => {
		const songs = rig.double.channel('songs');
		const alice = rig.double.user('alice');
		rig.fake.setTimeline({ type: 'manual' });
		const reply = await (await askForSong(alice, 'a song nobody may attach', { channel: 'songs' })).reply();
		const taskId = taskIdOf(await waitForMessage(songs, reply.id, (m) => taskIdOf(m) !== undefined)) as string;
		songs.setPermissions('bot', { deny: ['ATTACH_FILES'] });
		rig.fake.completeTask(taskId);

		const refused = await waitForMessage(songs, reply.id, (m) => m.text.includes('Take 2 could not be posted'));
		expect(refused.text).toContain('Take 1 could not be posted: the bot lacks Attach Files here');
		expect(refused.text).toContain('Take 2 could not be posted: the bot lacks Attach Files here');
		expect(refused.text).toContain('no take could be posted');
		expect(refused.text).not.toContain('✅');
		const links = refused.controls.filter((c) => c.url !== null);
		expect(links.map((c) => c.label)).toEqual(['Download take 1', 'Download take 2']);
		const clip = rig.fake.tasks.get(taskId)?.clips[0];
		expect(links[0]?.url).toContain(`${rig.fake.baseUrl}/files/${clip?.id}`);
		const download = await fetch(links[0]?.url as string);
		expect(download.status).toBe(200);
		expect((await download.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
		expect(refused.buttons).toEqual(expect.arrayContaining(['Post take 1 again', 'Post take 2 again']));
		expect(takesIn(songs.messages, taskId)).toHaveLength(0);
		// Nothing was posted, so the "your song is ready" ping of the first take never came: this one stands in.
		// (On a loaded machine the 2-second stall ping of this file's stall test may come first: not this one.)
		const unposted = (all: MessageView[]) =>
			pingsFor(all, alice.id).filter((m) => m.text.includes('could not post it here'));
		const pinged = await songs.waitFor((all) => unposted(all).length > 0);
		expect(unposted(pinged)).toHaveLength(1);

		// Still refused: the tracker says so again, nothing is posted.
		const early = await (await rig.double.user('bob').click(refused, 'Post take 1 again')).reply();
		expect(early.ephemeral).toBe(true);
		expect(early.text).toContain('Posting take 1 again');
		await rig.app.ctx.tracker.idle();
		expect(songs.messages.find((m) => m.id === reply.id)?.text).toContain('Take 1 could not be posted');
		expect(takesIn(songs.messages, taskId)).toHaveLength(0);

		songs.setPermissions('bot', {});
		const again = await (await rig.double.user('bob').click(reply.id, 'Post take 1 again')).reply();
		expect(again.ephemeral).toBe(true);
		expect(again.text).toContain('Posting take 1 again');
		const one = await waitForMessage(songs, reply.id, (m) => m.text.includes('take 1 is here'));
		expect(one.text).toContain('Take 2 could not be posted');
		expect(one.buttons).not.toContain('Post take 1 again');
		const second = await (await alice.click(one, 'Post take 2 again')).reply();
		expect(second.text).toContain('Posting take 2 again');
		const done = await waitForMessage(songs, reply.id, (m) => m.text.includes('Done: takes 1 and 2 are here'));
		expect(done.text).not.toContain('could not be posted');
		expect(done.controls.filter((c) => c.customId?.startsWith('song:repost'))).toHaveLength(0);

		// Both on the card, each with its file.
		const takes = takesIn(songs.messages, taskId);
		expect(takes).toHaveLength(2);
		expect(takes.every((m) => m.id === reply.id && m.attachments.length === 1)).toBe(true);
		expect(done.attachments).toHaveLength(2);
	});

	it('GIVEN a song the provider refuses THEN the requester is pinged once, in an answer to the tracker', async () => {
		const channel = rig.double.channel('general');
		const carol = rig.double.user('carol');
		const tracker = await (await askForSong(carol, 'a forbidden song')).reply();
		await waitForMessage(channel, tracker.id, (m) => m.text.includes('Failed'));
		const all = await channel.waitFor((list) => pingsFor(list, carol.id).length > 0);
		await rig.app.ctx.tracker.idle();
		const pings = pingsFor(channel.messages, carol.id);
		expect(pings).toHaveLength(1);
		expect(pings[0]?.text).toContain('your song failed');
		expect(pings[0]?.text).toContain('content policy');
		expect(all.find((m) => m.id === tracker.id)?.text).toContain('Failed');
	});

	it('GIVEN a song that stalls THEN the requester is pinged once, and still gets the song when it arrives', async () => {
		rig.fake.setOutcome('stuck');
		const channel = rig.double.channel('general');
		const dave = rig.double.user('dave');
		const tracker = await (await askForSong(dave, 'a song that naps')).reply();
		const stalled = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Stalled'));
		await channel.waitFor((list) => pingsFor(list, dave.id).length > 0);
		expect(pingsFor(channel.messages, dave.id)[0]?.text).toContain('your song stalled');

		rig.fake.completeTask(taskIdOf(stalled) as string);
		await waitForMessage(channel, tracker.id, (m) => m.text.includes('Done'));
		await rig.app.ctx.tracker.idle();
		// Once that it stalled, once that it is ready (a reply to the card).
		expect(pingsFor(channel.messages, dave.id).filter((m) => m.text.includes('stalled'))).toHaveLength(1);
		expect(readyPings(channel.messages, tracker.id)).toHaveLength(1);
		expect(pingsFor(channel.messages, dave.id)).toHaveLength(2);
	});

	it('GIVEN buttons and forms this version does not know, or a song that is gone THEN each gets a clear answer', async () => {
		const general = rig.double.channel('general');
		const post = await fetch(`${rig.double.apiUrl}/v10/channels/${general.id}/messages`, {
			method: 'POST',
			headers: { authorization: `Bot ${rig.double.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				content: 'A message from an older version of the bot',
				components: [
					{
						type: 1,
						components: [
							{ type: 2, style: 2, label: 'Vanished command', custom_id: 'karaoke:sing:1' },
							{ type: 2, style: 2, label: 'Old action', custom_id: 'song:encore:1' },
							{ type: 2, style: 2, label: 'Gone song', custom_id: 'song:repost:no-such-task:no-such-clip' },
							{ type: 2, style: 2, label: 'Old library page', custom_id: 'songs:jump:3' },
						],
					},
				],
			}),
		});
		const old = (await post.json()) as { id: string };
		const bob = rig.double.user('bob');
		const answers: Record<string, string> = {};
		for (const label of ['Vanished command', 'Old action', 'Gone song', 'Old library page']) {
			const reply = await (await bob.click(old.id, label)).reply();
			expect(reply.ephemeral).toBe(true);
			answers[label] = reply.text;
		}
		expect(answers['Vanished command']).toBe('This button is from an older version of the bot: run /song again.');
		expect(answers['Old action']).toBe('This button is from an older version of the bot: run /song again.');
		expect(answers['Old library page']).toBe('This button is from an older version of the bot: run /song again.');
		expect(answers['Gone song']).toContain('This song is gone');
	});
});
