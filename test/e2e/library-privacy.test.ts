import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MessageView, UserHandle } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, takeMarkerOf, waitForTakes } from './song-steps.ts';

const HIDDEN = 'This song was made in a channel you cannot see, so it is not open to you.';

/**
 * The library rule on the whole bot: bob makes a song in #songs; alice, who used to see #songs, loses access.
 * Every way of reaching the song (listing, autocomplete, the buttons of a listing she got earlier, a form she
 * opened earlier, the take's own buttons from a stale or forged client) must refuse her, and still serve bob.
 */
describe('a song from a channel the member cannot see', () => {
	let rig: Rig;
	let alice: UserHandle;
	let bob: UserHandle;
	let takes: MessageView[];
	let earlierList: MessageView;
	let earlierRemixForm: Awaited<ReturnType<Awaited<ReturnType<UserHandle['click']>>['modal']>>;
	let secretSheet: MessageView;

	beforeAll(async () => {
		rig = await startRig({ env: { USER_DAILY_LIMIT: '0', GUILD_DAILY_LIMIT: '0' } });
		alice = rig.double.user('alice');
		bob = rig.double.user('bob');
		const open = await (await askForSong(alice, 'Open Meadow')).reply();
		await waitForTakes(rig.double.channel('general'), open.id);
		const secret = await (await askForSong(bob, 'Secret Garden', { channel: 'songs' })).reply();
		takes = await waitForTakes(rig.double.channel('songs'), secret.id);
		// Bob's lyrics sheet in #songs, with its Make a song, Edit and Regenerate buttons.
		const sheetForm = await (await bob.runSlash('lyrics', {}, { channel: 'songs' })).modal();
		const sheetReply = await (await sheetForm.submit({ theme: 'a walled garden at night' })).reply();
		secretSheet = await rig.double
			.channel('songs')
			.waitForMessage((m) => m.id === sheetReply.id && m.buttons.includes('Regenerate'), { timeout: 10_000 });
		// While alice can still see #songs: she lists the library and opens a Remix form on a take.
		earlierList = await (await alice.runSlash('songs')).reply();
		earlierRemixForm = await (await alice.click(takes[0] as MessageView, 'Remix')).modal();
		rig.double.channel('songs').setPermissions({ id: alice.id }, { deny: ['VIEW_CHANNEL'] });
		// The bot learns the new overwrite from the gateway.
		await vi.waitFor(
			async () => {
				const names = (await alice.autocomplete('extend', 'take', 'Secret')).map((c) => c.name);
				expect(names).toEqual([]);
			},
			{ timeout: 10_000, interval: 200 },
		);
	}, 60_000);
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN /extend autocomplete THEN alice is offered only takes she can see, bob is offered the secret ones', async () => {
		const forAlice = (await alice.autocomplete('extend', 'take', '')).map((c) => c.name);
		expect(forAlice.some((n) => n.startsWith('Open Meadow'))).toBe(true);
		expect(forAlice.some((n) => n.includes('Secret Garden'))).toBe(false);
		expect(await alice.autocomplete('extend', 'take', 'garden')).toEqual([]);
		const forBob = (await bob.autocomplete('extend', 'take', 'garden')).map((c) => c.name);
		expect(forBob).toHaveLength(2);
		expect(forBob.every((n) => n.startsWith('Secret Garden'))).toBe(true);
	});

	it('GIVEN /songs THEN the secret song is left out for alice and listed for bob', async () => {
		expect((await (await alice.runSlash('songs')).reply()).text).not.toContain('Secret Garden');
		expect((await (await bob.runSlash('songs')).reply()).text).toContain('Secret Garden');
		// The value of a secret choice typed by hand is refused too.
		const ref = (await bob.autocomplete('extend', 'take', 'garden'))[0]?.value as string;
		const typed = await (await alice.runSlash('extend', { take: ref })).reply();
		expect(typed.text).toContain(HIDDEN);
	});

	it('GIVEN the Play button of a library list alice got before THEN it is refused and the bot does not join', async () => {
		expect(earlierList.text).toContain('Secret Garden');
		await alice.joinVoice('General');
		const plays = earlierList.controls.filter((c) => c.customId?.startsWith('play:clip:'));
		const secretPlay = plays.findIndex((c) => c.customId?.includes(`:${takeTask(takes)}:`));
		expect(secretPlay).toBeGreaterThanOrEqual(0);
		const reply = await (await alice.click(earlierList, /· take \d/, { nth: secretPlay })).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain(HIDDEN);
		expect(rig.double.botVoiceChannelId()).toBeNull();
		await alice.leaveVoice();
	});

	it('GIVEN a Remix form alice opened before THEN submitting it is refused and no song is started', async () => {
		const before = rig.fake.requests.length;
		const reply = await (await earlierRemixForm.submit({ style: 'sea shanty', title: 'Stolen Garden' })).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain(HIDDEN);
		expect(rig.fake.requests.slice(before).filter((r) => r.route !== 'file')).toEqual([]);
	});

	it('GIVEN the take’s own Play, Remix, Extend and Lyrics buttons pressed by a stale or forged client THEN each is refused; bob still gets them', async () => {
		const take = takes[0] as MessageView;
		await alice.joinVoice('General');
		for (const label of ['Play', 'Remix', 'Extend', 'Lyrics']) {
			const response = await (await alice.click(take, label)).reply();
			expect(response.ephemeral, label).toBe(true);
			expect(response.text, label).toContain(HIDDEN);
		}
		await alice.leaveVoice();
		const lyrics = await (await bob.click(take, 'Lyrics')).reply();
		expect(lyrics.text).not.toContain(HIDDEN);
		expect((await (await bob.click(take, 'Remix')).modal()).field('title').value).toBe('Secret Garden');
	});

	it('GIVEN the buttons of a lyrics sheet from #songs pressed by a stale or forged client THEN each is refused for alice and nothing is written', async () => {
		const lyricsCalls = rig.fake.requestsOf('lyrics').length;
		for (const button of ['Regenerate', 'Make a song', 'Edit']) {
			const reply = await (await alice.click(secretSheet, button)).reply();
			expect(reply.ephemeral, button).toBe(true);
			expect(reply.text, button).toContain(HIDDEN);
		}
		expect(rig.fake.requestsOf('lyrics')).toHaveLength(lyricsCalls);
		// Bob still gets his form.
		expect((await (await bob.click(secretSheet, 'Edit')).modal()).field('title').value).toBeTruthy();
	});
});

/** The task id in a take's hidden delivery marker. */
function takeTask(messages: MessageView[]): string {
	const marker = messages[0] ? takeMarkerOf(messages[0]) : undefined;
	return marker?.split(':')[0] ?? 'none';
}
