import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TaskRecord } from '../../src/core/records.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, readyPings, taskIdOf, waitForMessage, waitForTakes } from './song-steps.ts';

/** Admin tools on the Discord double: song channels and roles, the word filter, hide/delete with an audit line. */
describe('admin tools end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({
			env: { USER_DAILY_LIMIT: '20', GUILD_DAILY_LIMIT: '0', COOLDOWN_SEC: '0' },
			double: { users: ['alice', 'bob', 'carol'], guilds: [{ textChannels: ['general', 'songs', 'mod-log'] }] },
		});
	});
	afterAll(async () => {
		await rig?.close();
	});

	const user = (name: string) => rig.double.user(name);
	const channelId = (name: string) => rig.double.channel(name).id;
	const leftFor = async (name: string) =>
		/Songs left for you today: \*\*(\d+)\*\*/.exec((await (await user(name).runSlash('limits')).reply()).text)?.[1];

	/** A finished, settled song of `name` in `channel`: its record and its messages. */
	async function makeSong(name: string, description: string, channel = 'general') {
		const tracker = await (await askForSong(user(name), description, { channel })).reply();
		const takes = await waitForTakes(rig.double.channel(channel), tracker.id);
		const taskId = taskIdOf(rig.double.channel(channel).messages.find((m) => m.id === tracker.id) ?? tracker);
		const record = await vi.waitFor(
			async () => {
				const found = await rig.app.ctx.store.getTask(taskId ?? '');
				if (found?.settledAt === undefined) throw new Error('not settled yet');
				return found;
			},
			{ timeout: 10_000, interval: 50 },
		);
		return { tracker, takes, record };
	}

	it('GIVEN song channels WHEN a member asks elsewhere THEN the refusal names the channels, before the form and at submit, and nothing is counted', async () => {
		const owner = user('server-owner');
		const set = await (await owner.runSlash('songbot channels', { add: 'songs' })).reply();
		expect(set.ephemeral).toBe(true);
		expect(set.text).toContain(`Channels: <#${channelId('songs')}>`);

		const refused = await (
			await askForSong(user('alice'), 'a song in the wrong place', { channel: 'general' })
		).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain(`Songs are made in <#${channelId('songs')}> on this server`);

		// The form opened while #general was allowed; the rule changed before it was sent: refused at submit.
		await (await owner.runSlash('songbot channels', { clear: true })).reply();
		const before = rig.fake.tasks.size;
		const left = await leftFor('alice');
		const slash = await user('alice').runSlash('song', { mode: 'describe' }, { channel: 'general' });
		const modal = await slash.modal();
		await (await owner.runSlash('songbot channels', { add: 'songs' })).reply();
		const atSubmit = await (await modal.submit({ description: 'typed before the rule' })).reply();
		expect(atSubmit.ephemeral).toBe(true);
		expect(atSubmit.text).toContain(`Songs are made in <#${channelId('songs')}>`);
		expect(rig.fake.tasks.size).toBe(before);
		expect(await leftFor('alice')).toBe(left);

		const allowed = await (await askForSong(user('alice'), 'a song in the right place', { channel: 'songs' })).reply();
		expect(allowed.ephemeral).toBe(false);
		await waitForTakes(rig.double.channel('songs'), allowed.id);
		const cleared = await (await owner.runSlash('songbot channels', { clear: true })).reply();
		expect(cleared.text).toContain('Channels: every channel');
	});

	it('GIVEN song roles THEN members without the role are refused naming it; members with it and admins are not', async () => {
		const role = rig.double.guild.addRole('Composers', ['bob']);
		const owner = user('server-owner');
		const set = await (await owner.runSlash('songbot roles', { add: 'Composers' })).reply();
		expect(set.text).toContain(`Roles: <@&${role}>`);

		const refused = await (await askForSong(user('alice'), 'not a composer')).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain(`songs are made by members with the <@&${role}> role`);
		expect(refused.pinged.roles).toEqual([]);

		const bob = await (await askForSong(user('bob'), 'a composer’s song')).reply();
		expect(bob.ephemeral).toBe(false);
		const admin = await (await askForSong(owner, 'the admin’s song')).reply();
		expect(admin.ephemeral).toBe(false);
		await waitForTakes(rig.double.channel('general'), bob.id);
		await waitForTakes(rig.double.channel('general'), admin.id);
		await (await owner.runSlash('songbot roles', { remove: 'Composers' })).reply();
		const open = await (await owner.runSlash('songbot show')).reply();
		expect(open.text).toContain('Roles: everyone');
	});

	it('GIVEN a word filter THEN a description, title, style, lyrics theme or revised sheet with a word is refused with the admin’s message before anything is sent or counted', async () => {
		const owner = user('server-owner');
		const set = await (
			await owner.runSlash('songbot filter', { add: 'bad word, damn*', message: 'Keep it friendly, please.' })
		).reply();
		expect(set.text).toContain('2 words');
		expect(set.text).toContain('Keep it friendly, please.');
		const before = rig.fake.tasks.size;
		const left = await leftFor('carol');

		const described = await (await askForSong(user('carol'), 'A BÁD   Word ballad')).reply();
		expect(described.ephemeral).toBe(true);
		expect(described.text).toContain('🚫 Keep it friendly, please.');
		expect(described.text).toContain('“bad word” in the description');

		const slash = await user('carol').runSlash('song', { mode: 'custom' });
		const custom = await (
			await (
				await slash.modal()
			).submit({ lyrics: '[Verse]\nall good here', title: 'Fine', style: 'ＤＡＭＮＥＤ rock' })
		).reply();
		expect(custom.text).toContain('“damn*” in the style');
		expect(rig.fake.tasks.size).toBe(before);
		expect(await leftFor('carol')).toBe(left);

		// Lyrics too: a theme is refused, and so is a revised sheet the bot would post.
		const themed = await (await (await user('carol').runSlash('lyrics')).modal()).submit({ theme: 'damnation blues' });
		expect((await themed.reply()).text).toContain('“damn*” in the theme');
		expect(rig.fake.tasks.size).toBe(before);

		// Whole words only: "wordsmith" and "classic" are fine.
		const fine = await (await askForSong(user('carol'), 'a bad wordsmith, a classic tune')).reply();
		expect(fine.ephemeral).toBe(false);
		await waitForTakes(rig.double.channel('general'), fine.id);
		const clean = await (await (await user('carol').runSlash('lyrics')).modal()).submit({ theme: 'a sunny day' });
		const sheetId = (await clean.reply()).id;
		const sheet = await rig.double
			.channel('general')
			.waitForMessage((m) => m.id === sheetId && m.buttons.includes('Edit'), { timeout: 10_000 });
		const edit = await (await user('bob').click(sheet, 'Edit')).modal();
		const revised = await (await edit.submit({ title: 'Sunny', lyrics: 'what a bad word to sing' })).reply();
		expect(revised.ephemeral).toBe(true);
		expect(revised.text).toContain('“bad word” in the lyrics');
		await (await owner.runSlash('songbot filter', { clear: true })).reply();
	});

	it('GIVEN a log channel WHEN a requester hides their song and an admin deletes another THEN listings, Play and messages follow, with audit lines', async () => {
		const owner = user('server-owner');
		const logSet = await (await owner.runSlash('songbot log-channel', { channel: 'mod-log' })).reply();
		expect(logSet.text).toContain(`Hides and deletions are recorded in <#${channelId('mod-log')}>`);
		const alices = await makeSong('alice', 'Alice Hidden Tune');
		const bobs = await makeSong('bob', 'Bob Deleted Tune');
		const files = bobs.record.clips.flatMap((c) => (c.file ? [c.file.path] : []));
		expect(files.length).toBeGreaterThan(0);
		expect(files.every((f) => existsSync(f))).toBe(true);

		// Members only see and act on their own songs.
		const offered = await user('bob').autocomplete('remove-song', 'song', 'Tune', { how: 'hide' });
		expect(offered.map((c) => c.value)).toEqual([bobs.record.id]);
		const notHis = await (await user('bob').runSlash('remove-song', { song: alices.record.id, how: 'delete' })).reply();
		expect(notHis.text).toContain('Only the person who asked for this song');

		const hidden = await (
			await user('alice').runSlash('remove-song', { song: alices.record.id, how: 'hide', reason: 'first draft' })
		).reply();
		expect(hidden.ephemeral).toBe(true);
		expect(hidden.text).toContain('Hidden');
		const library = await (await user('carol').runSlash('songs')).reply();
		expect(library.text).not.toContain('Alice Hidden Tune');
		expect(library.text).toContain('Bob Deleted Tune');
		const extendable = await user('carol').autocomplete('extend', 'take', 'Tune');
		expect(extendable.some((c) => c.name.includes('Bob Deleted Tune'))).toBe(true);
		expect(extendable.some((c) => c.name.includes('Alice Hidden Tune'))).toBe(false);
		const play = await (await user('carol').click(alices.takes[0] ?? '', 'Play')).reply();
		expect(play.text).toContain('This song was taken out of the library, so it is no longer open');
		expect(rig.double.channel('general').messages.some((m) => m.id === alices.tracker.id)).toBe(true);
		// Admins see every song; a hidden one is offered for deletion and restoring, not for hiding again.
		const toHide = (await owner.autocomplete('remove-song', 'song', ' Tune', { how: 'hide' })).map((c) => c.name);
		expect(toHide).toContain('Bob Deleted Tune · by Bob');
		expect(toHide.filter((name) => name.startsWith('Alice Hidden Tune'))).toEqual([]);
		const toDelete = (await owner.autocomplete('remove-song', 'song', ' Tune', { how: 'delete' })).map((c) => c.name);
		expect(toDelete).toContain('Alice Hidden Tune · by Alice (hidden)');
		// In the admin's own language.
		owner.setLocale('zh-CN');
		try {
			const inChinese = await owner.autocomplete('remove-song', 'song', ' Tune', { how: 'delete' });
			expect(inChinese.map((c) => c.name)).toContain('Alice Hidden Tune · 作者：Alice（已隐藏）');
		} finally {
			owner.setLocale('en-US');
		}

		const bobsPing = readyPings(rig.double.channel('general').messages, bobs.tracker.id);
		expect(bobsPing).toHaveLength(1);
		const deleted = await (
			await owner.runSlash('remove-song', { song: bobs.record.id, how: 'delete', reason: 'not music' })
		).reply();
		// The song is one message, its card, and the "your song is ready" reply to it: both go.
		expect(deleted.text).toContain('Deleted: 2 message(s) and 2 file(s) removed');
		const gone = [bobs.tracker.id, ...bobs.takes.map((t) => t.id), ...bobsPing.map((m) => m.id)];
		expect(rig.double.channel('general').messages.filter((m) => gone.includes(m.id))).toEqual([]);
		expect(files.some((f) => existsSync(f))).toBe(false);
		expect((await (await user('carol').runSlash('songs')).reply()).text).not.toContain('Bob Deleted Tune');
		const stored = (await rig.app.ctx.store.getTask(bobs.record.id)) as TaskRecord;
		expect(stored.hidden).toMatchObject({ by: owner.id, deleted: true });

		const log = await rig.double.channel('mod-log').waitFor((all) => all.length >= 2);
		expect(log[0]?.text).toContain(`🙈 Hidden **\u2068Alice Hidden Tune\u2069** by <@${user('alice').id}>`);
		expect(log[0]?.text).toContain('Reason: first draft');
		expect(log[1]?.text).toContain(`🗑️ Deleted **\u2068Bob Deleted Tune\u2069** by <@${user('bob').id}>`);
		expect(log[1]?.text).toContain(`by <@${owner.id}>`);
		expect(log[1]?.text).toContain('Reason: not music');
		expect(log.flatMap((m) => m.pinged.users)).toEqual([]);

		// Restoring is for admins, and brings the hidden song back.
		const refused = await (
			await user('alice').runSlash('remove-song', { song: alices.record.id, how: 'restore' })
		).reply();
		expect(refused.text).toContain('Only members with **Manage Server** can restore');
		await (await owner.runSlash('remove-song', { song: alices.record.id, how: 'restore' })).reply();
		expect((await (await user('carol').runSlash('songs')).reply()).text).toContain('Alice Hidden Tune');
	});

	it('GIVEN a song whose ready reply someone already deleted WHEN its requester deletes the song THEN the card goes and nothing is left over', async () => {
		const song = await makeSong('carol', 'Carol Short Tune');
		const general = rig.double.channel('general');
		const [ping] = readyPings(general.messages, song.tracker.id);
		general.deleteMessage(ping?.id ?? '');
		const deleted = await (
			await user('carol').runSlash('remove-song', { song: song.record.id, how: 'delete' })
		).reply();
		expect(deleted.text).toContain('Deleted: 1 message(s) and 2 file(s) removed');
		expect(deleted.text).not.toContain('could not be deleted');
		expect(general.messages.some((m) => m.id === song.tracker.id)).toBe(false);
	});

	it('GIVEN a song the provider failed WHEN an admin deletes it THEN its card and the failure ping to its requester are both gone', async () => {
		const general = rig.double.channel('general');
		const alice = user('alice');
		// Held at the provider until it is failed on purpose; the other tests' songs finish on their own.
		rig.fake.setTimeline({ type: 'manual' });
		const { cardId, taskId } = await (async () => {
			const tracker = await (await askForSong(alice, 'Alice Failed Tune')).reply();
			const running = await waitForMessage(general, tracker.id, (m) => taskIdOf(m) !== undefined);
			const id = taskIdOf(running) as string;
			rig.fake.failTask(id, { reason: 'The model is overloaded' });
			return { cardId: tracker.id, taskId: id };
		})().finally(() => rig.fake.setTimeline({ type: 'polls', every: 1 }));
		await waitForMessage(general, cardId, (m) => m.text.includes('Failed'));
		const ping = await general.waitForMessage(
			(m) => m.fromBot && m.referenceId === cardId && m.content.startsWith(`<@${alice.id}> your song failed:`),
			{ timeout: 10_000 },
		);
		await vi.waitFor(
			async () => {
				if ((await rig.app.ctx.store.getTask(taskId))?.settledAt === undefined) throw new Error('not settled yet');
			},
			{ timeout: 10_000, interval: 50 },
		);

		const deleted = await (await user('server-owner').runSlash('remove-song', { song: taskId, how: 'delete' })).reply();
		expect(deleted.text).toContain('Deleted: 2 message(s) and 0 file(s) removed');
		expect(deleted.text).not.toContain('could not be deleted');
		expect(general.messages.filter((m) => m.id === cardId || m.id === ping.id)).toEqual([]);
	});

	it('GIVEN a cooldown WHEN a member runs /limits THEN they see their songs left today and when the cooldown ends, privately', async () => {
		const owner = user('server-owner');
		expect(rig.double.commands.find((c) => c.name === 'limits')?.default_member_permissions ?? null).toBeNull();
		await (await owner.runSlash('songbot set', { cooldown: 600, per_user: 5 })).reply();
		const fresh = await (await user('carol').runSlash('limits')).reply();
		expect(fresh.ephemeral).toBe(true);
		expect(fresh.text).toMatch(/Songs left for you today: \*\*\d\*\* of 5/);
		expect(fresh.text).toContain('No cooldown running: you can make a song now (then one every 600 s)');
		const left = Number(await leftFor('carol'));

		const song = await (await askForSong(user('carol'), 'one more before the cooldown')).reply();
		expect(song.ephemeral).toBe(false);
		const after = await (await user('carol').runSlash('limits')).reply();
		expect(after.text).toContain(`Songs left for you today: **${left - 1}** of 5`);
		const end = Number(/Your cooldown ends <t:(\d+):T>/.exec(after.text)?.[1]);
		const now = Date.now() / 1000;
		expect(end).toBeGreaterThan(now + 590);
		expect(end).toBeLessThanOrEqual(now + 601);
		await waitForTakes(rig.double.channel('general'), song.id);
		// Reset goes back to the default limits and keeps the admin's rules.
		const reset = await (await owner.runSlash('songbot reset')).reply();
		expect(reset.text).toContain('Cooldown: none');
		expect(reset.text).toContain(`Log channel for hides and deletions: <#${channelId('mod-log')}>`);
	});
});
