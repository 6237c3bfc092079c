import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { isTake as isTakeOf, pingsOf, taskIdOf, waitForTakes } from './song-steps.ts';

describe('/song end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig();
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN describe mode THEN the tracker message updates and both takes arrive as audio with buttons', async () => {
		const alice = rig.double.user('alice');
		const slash = await alice.runSlash('song', { mode: 'describe' });
		const modal = await slash.modal();
		expect(modal.fields.map((f) => f.customId)).toEqual(['description', 'style', 'title']);
		const submit = await modal.submit({ description: 'a song about a sleepy cat', style: 'lofi', title: 'Cat Nap' });
		const tracker = await submit.reply();
		expect(tracker.text).toContain('Cat Nap');

		const channel = rig.double.channel('general');
		const isTake = (m: MessageView) => m.attachments.some((a) => a.filename.endsWith('.mp3'));
		const messages = await channel.waitFor((all) => all.filter(isTake).length === 2, { timeout: 20_000 });
		const takes = messages.filter(isTake);
		const [first, second] = takes;
		expect(first!.content).toContain(`<@${alice.id}>`);
		expect(second!.content).not.toContain('<@');
		for (const take of takes) {
			expect(take.buttons).toEqual(expect.arrayContaining(['Play', 'Extend', 'Remix', 'Lyrics']));
			expect(take.attachments[0]!.bytes.length).toBeGreaterThan(10_000);
		}
		const done = (all: MessageView[]) => all.find((x) => x.id === tracker.id && x.text.includes('Done'));
		const final = done(await channel.waitFor((all) => done(all) !== undefined));
		expect(final?.text).toContain(`asked by <@${alice.id}>`);
		// No internal ids on screen, on the tracker or the takes; every take has a name and a file name of its own.
		const taskId = taskIdOf(final!) as string;
		const clipIds = rig.fake.tasks.get(taskId)?.clips.map((c) => c.id) ?? [];
		expect(clipIds).toHaveLength(2);
		for (const m of [final!, ...takes]) {
			expect(m.text).not.toContain(taskId);
			for (const id of clipIds) expect(m.text).not.toContain(id);
			expect(m.text).not.toContain('songbot:');
		}
		expect(takes.map((m) => m.embeds[0]?.title)).toEqual(['Cat Nap · take 1', 'Cat Nap · take 2']);
		expect(takes.map((m) => m.attachments[0]?.filename)).toEqual(['Cat Nap - take 1.mp3', 'Cat Nap - take 2.mp3']);
		// The requester hears about the finished song exactly once: the first take, not the tracker or the second.
		expect(pingsOf([final!, ...takes])).toEqual({ users: [alice.id], roles: [], everyone: 0 });
		expect(first!.pinged.users).toEqual([alice.id]);
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
		const ofSong = channel.messages.filter((m) => m.id === tracker.id || isTakeOf(m, taskId));

		expect(ofSong.map((m) => m.text).join('\n')).toContain('@everyone');
		expect(lyrics.text).toContain(`<@!${bob.id}>`);
		expect(pingsOf(ofSong)).toEqual({ users: [alice.id], roles: [], everyone: 0 });
		expect(pingsOf([lyrics])).toEqual({ users: [], roles: [], everyone: 0 });
	});
});
