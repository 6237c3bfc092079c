import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/core/records.ts';
import type { MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, taskIdOf, waitForMessage, waitForTakes } from './song-steps.ts';

const TITLES = ['Apple Rain', 'Blue Walrus', 'Copper Sky', 'Dune Walrus', 'Ember Road'];

describe('/songs library end to end', () => {
	let rig: Rig;
	/** Take messages by song title, oldest song first. */
	const takes = new Map<string, MessageView[]>();

	beforeAll(async () => {
		rig = await startRig({ env: { USER_DAILY_LIMIT: '0', GUILD_DAILY_LIMIT: '0' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN no song yet THEN /songs answers kindly', async () => {
		const reply = await (await rig.double.user('alice').runSlash('songs')).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain('No songs in this server yet. Make the first one with `/song`!');
	});

	it('GIVEN five songs THEN /songs lists them newest first with authors, durations, take links and Play buttons, four to a page', async () => {
		const channel = rig.double.channel('general');
		const trackers: string[] = [];
		// One after the other (each accepted before the next), so "newest first" has a defined order.
		for (const [i, title] of TITLES.entries()) {
			const user = rig.double.user(i % 2 ? 'bob' : 'alice');
			const reply = await (await askForSong(user, title)).reply();
			await waitForMessage(channel, reply.id, (m) => taskIdOf(m) !== undefined);
			trackers.push(reply.id);
		}
		for (const [i, id] of trackers.entries()) takes.set(TITLES[i] as string, await waitForTakes(channel, id));

		const alice = rig.double.user('alice');
		const first = await (await alice.runSlash('songs')).reply();
		expect(first.ephemeral).toBe(true);
		expect(titlesIn(first)).toEqual(['Ember Road', 'Dune Walrus', 'Copper Sky', 'Blue Walrus']);
		expect(first.text).toContain(`by <@${rig.double.user('bob').id}>`);
		expect(first.text).toContain('take 1 (0:12)');
		const ember = takes.get('Ember Road') ?? [];
		const link = `https://discord.com/channels/${rig.double.guild.id}/${channel.id}/${ember[0]?.id}`;
		expect(first.text).toContain(`[take 1 (0:12)](${link})`);
		// The Play buttons are the very ones on the takes themselves.
		const playOnTake = ember.map((m) => m.controls.find((c) => c.label === 'Play')?.customId);
		const plays = first.controls.filter((c) => c.customId?.startsWith('play:clip:')).map((c) => c.customId);
		expect(plays).toHaveLength(8);
		expect(plays.slice(0, 2)).toEqual(playOnTake);
		expect(first.buttons).toEqual(expect.arrayContaining(['Previous', 'Next']));
		expect(first.controls.find((c) => c.label === 'Previous')?.disabled).toBe(true);

		const second = await (await alice.click(first, 'Next')).reply();
		expect(titlesIn(second)).toEqual(['Apple Rain']);
		expect(second.text).toContain('5. ');
		expect(second.controls.find((c) => c.label === 'Next')?.disabled).toBe(true);
		const back = await (await alice.click(second, 'Previous')).reply();
		expect(titlesIn(back)).toEqual(['Ember Road', 'Dune Walrus', 'Copper Sky', 'Blue Walrus']);
	});

	it('GIVEN a search THEN only matching songs are listed, and a search without match says so', async () => {
		const alice = rig.double.user('alice');
		const found = await (await alice.runSlash('songs', { search: 'walrus' })).reply();
		expect(titlesIn(found)).toEqual(['Dune Walrus', 'Blue Walrus']);
		expect(found.buttons).not.toContain('Next');
		const none = await (await alice.runSlash('songs', { search: 'zebra' })).reply();
		expect(none.text).toContain('No song in this server matches “zebra”');
	});

	it('GIVEN a remix and an extension in the library THEN their lineage is shown', async () => {
		const store = rig.app.ctx.store;
		const [parent] = await store.listLibrary(rig.double.guild.id, { limit: 1, search: 'Copper Sky' });
		const source = parent as TaskRecord;
		const clip = source.clips[0]?.id as string;
		const now = Date.now();
		const derived = (
			id: string,
			title: string,
			lineage: NonNullable<TaskRecord['lineage']>,
			at: number,
		): TaskRecord => ({
			...source,
			id,
			createdAt: at,
			lineage,
			clips: source.clips.map((c) => ({ ...c, id: `${c.id}-${id}`, title })),
		});
		await store.saveTask(
			derived('remix-1', 'Copper Sky (jazz)', { type: 'remix', taskId: source.id, clipId: clip }, now),
		);
		await store.saveTask(
			derived('extend-1', 'Copper Sky II', { type: 'extend', taskId: source.id, clipId: clip, atSec: 80 }, now + 1),
		);
		const page = await (await rig.double.user('bob').runSlash('songs', { search: 'copper' })).reply();
		// Each song named as its takes are everywhere (src/core/take-name.ts), so derived songs are told apart.
		expect(titlesIn(page)).toEqual(['Copper Sky II (extended at 1:20)', 'Copper Sky (jazz) (remix)', 'Copper Sky']);
		expect(page.text).toContain('extends *\u2068Copper Sky\u2069* at 1:20');
		expect(page.text).toContain('remix of *\u2068Copper Sky\u2069*');
	});

	it('GIVEN a song made in a channel alice cannot see THEN her library leaves it out, and the buttons still page after a restart', async () => {
		const bob = rig.double.user('bob');
		const songs = rig.double.channel('songs');
		const reply = await (await askForSong(bob, 'Secret Garden', { channel: 'songs' })).reply();
		await waitForTakes(songs, reply.id);
		songs.setPermissions({ id: rig.double.user('alice').id }, { deny: ['VIEW_CHANNEL'] });

		const forBob = await (await bob.runSlash('songs')).reply();
		expect(titlesIn(forBob)[0]).toBe('Secret Garden');
		const alice = rig.double.user('alice');
		const forAlice = await (await alice.runSlash('songs')).reply();
		expect(titlesIn(forAlice)).not.toContain('Secret Garden');

		await rig.stopBot();
		await rig.restartBot();
		const next = await (await alice.click(forAlice, 'Next')).reply();
		expect(titlesIn(next).length).toBeGreaterThan(0);
		expect(titlesIn(next)).not.toContain(titlesIn(forAlice)[0]);
	});
});

/** The song titles a library page lists, in order (`**1. Title** · …`). */
function titlesIn(message: MessageView): string[] {
	return [...message.text.matchAll(/\*\*\d+\. \u2068(.+?)\u2069\*\* ·/g)].map((m) =>
		(m[1] as string).replace(/\\(.)/g, '$1'),
	);
}
