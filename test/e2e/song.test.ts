import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { isTake as isTakeOf, pingsOf, readyPings, taskIdOf, waitForTakes } from './song-steps.ts';

describe('/song end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig();
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN describe mode THEN the tracker message becomes one song card with both takes as audio and a row of buttons each', async () => {
		const alice = rig.double.user('alice');
		const slash = await alice.runSlash('song', { mode: 'describe' });
		const modal = await slash.modal();
		expect(modal.fields.map((f) => f.customId)).toEqual(['description', 'style', 'title']);
		const submit = await modal.submit({ description: 'a song about a sleepy cat', style: 'lofi', title: 'Cat Nap' });
		const tracker = await submit.reply();
		expect(tracker.text).toContain('Cat Nap');

		const channel = rig.double.channel('general');
		const takes = await waitForTakes(channel, tracker.id);
		const final = channel.messages.find((m) => m.id === tracker.id) as MessageView;
		// One message for the song: both files on the card, nothing else but the "ready" reply.
		expect(final.attachments.map((a) => a.filename)).toEqual(['Cat Nap - take 1.mp3', 'Cat Nap - take 2.mp3']);
		expect(channel.messages.filter((m) => isTakeOf(m))).toHaveLength(0);
		for (const take of takes) {
			expect(take.id).toBe(tracker.id);
			expect(take.buttons).toEqual(expect.arrayContaining(['Play', 'Extend', 'Remix', 'Lyrics', 'Details']));
			expect(take.attachments[0]!.bytes.length).toBeGreaterThan(10_000);
		}
		// One row per take, then the song's row.
		expect(final.buttons).toEqual(
			expect.arrayContaining(['Play', 'Extend', 'Remix', 'Play', 'Extend', 'Remix', 'Lyrics', 'Play all', 'Details']),
		);
		expect(final.components.length).toBeLessThanOrEqual(5);
		expect(final.text).toContain(`asked by <@${alice.id}>`);
		expect(final.text).toContain('Cat Nap · take 1');
		expect(final.text).toContain('Cat Nap · take 2');
		expect(final.text).toContain('lofi');
		// No internal ids on screen; every take has a name and a file name of its own.
		const taskId = taskIdOf(final) as string;
		const clipIds = rig.fake.tasks.get(taskId)?.clips.map((c) => c.id) ?? [];
		expect(clipIds).toHaveLength(2);
		expect(final.text).not.toContain(taskId);
		for (const id of clipIds) expect(final.text).not.toContain(id);
		expect(final.text).not.toContain('songbot:');
		// The requester hears about the finished song exactly once: a short reply to the card.
		const pings = readyPings(channel.messages, tracker.id);
		expect(pings).toHaveLength(1);
		expect(readyPings(channel.messages)).toHaveLength(1);
		expect(pingsOf([final, ...pings])).toEqual({ users: [alice.id], roles: [], everyone: 0 });
	});

	it('GIVEN a title, style and lyrics with @everyone, @here and mentions THEN they show as typed and ping nobody', async () => {
		const alice = rig.double.user('alice');
		const bob = rig.double.user('bob');
		const everyoneRole = `<@&${rig.double.guild.id}>`;
		const title = `@everyone <@${bob.id}>`;
		const slash = await alice.runSlash('song', { mode: 'custom' });
		const submit = await (
			await slash.modal()
		).submit({
			lyrics: `[Verse]\n@here, <@!${bob.id}> and ${everyoneRole}, sing along`,
			style: `@everyone pop <@${bob.id}>`,
			title,
		});
		const channel = rig.double.channel('general');
		const tracker = await submit.reply();
		const takes = await waitForTakes(channel, tracker.id);
		const taskId = taskIdOf(channel.messages.find((m) => m.id === tracker.id)!);
		const lyrics = await (await bob.click(takes[0]!, 'Lyrics')).reply();
		const ofSong = channel.messages.filter(
			(m) => m.id === tracker.id || isTakeOf(m, taskId) || readyPings([m], tracker.id).length > 0,
		);

		expect(ofSong.map((m) => m.text).join('\n')).toContain('@everyone');
		expect(lyrics.text).toContain(`<@!${bob.id}>`);
		expect(pingsOf(ofSong)).toEqual({ users: [alice.id], roles: [], everyone: 0 });
		expect(pingsOf([lyrics])).toEqual({ users: [], roles: [], everyone: 0 });
	});
});
