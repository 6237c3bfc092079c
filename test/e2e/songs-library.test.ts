import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/core/records.ts';
import type { MessageView, UserHandle } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { takeMarkerOf, takesIn } from './song-steps.ts';
import { makeSong, until as untilTrue, VOICE_ENV, waitForText } from './voice-steps.ts';

const STYLES = ['polka', 'sea shanty', 'synthwave', 'bossa nova'];

/**
 * The library at scale: 1,000 songs seeded straight into the bot's store (as the tracker saves them), then found
 * through /songs as members would: by word, style, person, votes; shared into the channel; played all in voice.
 */
describe('/songs filters, search over 1,000 songs, Share and Play all', () => {
	let rig: Rig;
	let alice: UserHandle;
	let bob: UserHandle;
	let real: TaskRecord;
	let settled = false;

	beforeAll(async () => {
		rig = await startRig({ voice: true, env: { ...VOICE_ENV, USER_DAILY_LIMIT: '0', GUILD_DAILY_LIMIT: '0' } });
		alice = rig.double.user('alice');
		bob = rig.double.user('bob');
		// One real song (takes posted, audio there to play); the 1,000 others are copies of its record, older.
		const [take] = await makeSong(rig, 'Harbour Lights');
		const taskId = takeMarkerOf(take)?.split(':')[0] as string;
		const store = rig.app.ctx.store;
		// The takes are posted a moment before the task settles and enters the library.
		await until(
			() => settled,
			'the song to settle',
			10_000,
			async () => {
				real = (await store.getTask(taskId)) as TaskRecord;
				settled = real.settledAt !== undefined;
			},
		);
		for (let i = 0; i < 1000; i++) {
			const person = i % 3 === 0 ? bob : alice;
			const title = i === 7 ? 'Zephyr Lullaby' : `Song ${String(i).padStart(4, '0')}`;
			const style = STYLES[i % STYLES.length] as string;
			await store.saveTask({
				...real,
				id: `seed-${i}`,
				request: { action: 'generate', request: { mode: 'custom', model: 'v5', lyrics: 'la la', title, style } },
				requester: { userId: person.id, name: person.name },
				credits: [{ role: 'asked', userId: person.id }],
				createdAt: real.createdAt - 1_000_000 + i,
				clips: real.clips.map((c) => ({ ...c, title, tags: style })),
				...(i % 100 === 5 ? { votes: { counts: [Math.floor(i / 100), 1], winner: 1, endedAt: 1 } } : {}),
			});
		}
	}, 120_000);
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN 1,000 songs WHEN a member searches for a word only the 993rd newest has THEN /songs finds it', async () => {
		const found = await (await alice.runSlash('songs', { search: 'zephyr lull' })).reply();
		expect(titlesIn(found)).toEqual(['Zephyr Lullaby']);
		const none = await (await alice.runSlash('songs', { search: 'zephyr polka' })).reply();
		expect(none.text).toContain('No song in this server matches “zephyr polka”');
	});

	it('GIVEN styles THEN the style filter lists only those songs, pages on, and keeps the filter on the next page', async () => {
		const first = await (await alice.runSlash('songs', { style: 'shanty' })).reply();
		expect(first.text).toContain('Songs in the style “shanty”');
		expect(titlesIn(first)).toEqual(['Song 0997', 'Song 0993', 'Song 0989', 'Song 0985']);
		const second = await (await alice.click(first, 'Next')).reply();
		expect(titlesIn(second)).toEqual(['Song 0981', 'Song 0977', 'Song 0973', 'Song 0969']);
	});

	it('GIVEN songs by two people THEN `mine` and `by` list only that person’s songs', async () => {
		const mine = await (await bob.runSlash('songs', { mine: true })).reply();
		expect(titlesIn(mine)).toEqual(['Song 0999', 'Song 0996', 'Song 0993', 'Song 0990']);
		expect(mine.text).toContain(`by <@${bob.id}>`);
		const byBob = await (await alice.runSlash('songs', { by: 'bob', search: 'song 099' })).reply();
		expect(titlesIn(byBob)).toEqual(['Song 0999', 'Song 0996', 'Song 0993', 'Song 0990']);
	});

	it('GIVEN vote winners THEN `top` ranks them by votes with their star', async () => {
		const top = await (await alice.runSlash('songs', { top: true })).reply();
		expect(titlesIn(top)).toEqual(['Song 0905', 'Song 0805', 'Song 0705', 'Song 0605']);
		expect(top.text).toContain('⭐ take 1 won with 9 votes');
		const next = await (await alice.click(top, 'Next')).reply();
		expect(titlesIn(next)).toEqual(['Song 0505', 'Song 0405', 'Song 0305', 'Song 0205']);
	});

	it('GIVEN a library entry WHEN bob shares it THEN everyone sees its card with the credits, and nobody is pinged', async () => {
		const page = await (await bob.runSlash('songs', { search: 'zephyr' })).reply();
		const shared = await (await bob.click(page, '1 · Share')).reply();
		expect(shared.ephemeral).toBe(false);
		expect(shared.text).toContain(`<@${bob.id}> shared a song`);
		expect(shared.text).toContain('Zephyr Lullaby');
		expect(shared.text).toContain(`by <@${alice.id}>`);
		expect(shared.pinged.users).toEqual([]);
		expect(shared.buttons).toEqual(['Play take 1', 'Play take 2']);
	});

	it('GIVEN a library entry WHEN a member presses Lyrics THEN they alone see the lyrics of its take', async () => {
		const page = await (await alice.runSlash('songs', { search: 'zephyr' })).reply();
		const lyrics = await (await alice.click(page, '1 · Lyrics')).reply();
		expect(lyrics.ephemeral).toBe(true);
		expect(lyrics.text).toContain('Zephyr Lullaby');
		expect(lyrics.text).toContain('A fake little song');
	});

	it('GIVEN a song of a channel not everyone sees WHEN shared elsewhere THEN it is refused, naming the channel', async () => {
		const secret = rig.double.channel('songs');
		secret.setPermissions({ id: rig.double.guild.id }, { deny: ['VIEW_CHANNEL'] });
		secret.setPermissions({ id: bob.id }, { allow: ['VIEW_CHANNEL'] });
		await rig.app.ctx.store.saveTask({
			...real,
			id: 'secret-song',
			place: { ...real.place, channelId: secret.id },
			clips: real.clips.map((c) => ({ ...c, title: 'Quiet Room' })),
		});
		const page = await (await bob.runSlash('songs', { search: 'quiet room' })).reply();
		const refusal = await (await bob.click(page, '1 · Share')).reply();
		expect(refusal.ephemeral).toBe(true);
		expect(refusal.text).toContain(`made in <#${secret.id}>, which not everyone can see`);
	});

	it('GIVEN a list WHEN alice in voice presses Play all THEN its songs are queued in order', async () => {
		const page = await (await alice.runSlash('songs', { search: 'harbour' })).reply();
		const away = await (await alice.click(page, 'Play all')).reply();
		expect(away.text).toContain('Join a voice channel first');

		await alice.joinVoice('General');
		const top = await (await alice.runSlash('songs', { top: true })).reply();
		const player = await (await alice.click(top, 'Play all')).reply();
		expect(player.ephemeral).toBe(false);
		const general = rig.double.channel('general');
		// Ten songs queued, most voted first (the first may be playing or done by the time the message is read).
		const shown = await waitForText(general, player.id, 'Now playing', 'Up next', 'Song 0605', 'Song 0505');
		expect(shown.text.indexOf('Song 0605')).toBeLessThan(shown.text.indexOf('Song 0505'));
		expect(shown.text).toMatch(/Up next \((9|8|7)\)/);
		await untilTrue(() => rig.double.botVoiceChannelId() !== null, 'the bot to join');
		const stop = await (await alice.click(shown, 'Stop')).response();
		expect(stop.type).toBe(6);
	});

	it('GIVEN the bot playing in the server WHEN the poll on a song’s takes ends THEN the winning take joins the queue with its star', async () => {
		const general = rig.double.channel('general');
		// The previous test stopped the player: the bot is gone from voice before this one starts.
		await untilTrue(() => rig.double.botVoiceChannelId() === null, 'the bot to leave voice');
		await alice.joinVoice('General');
		const poll = general.messages.find((m) => m.poll && m.text.includes('Harbour Lights')) as MessageView;
		expect(poll.poll?.question).toBe('Which take wins?');
		const [take1] = takesIn(general.messages, real.id);
		const player = await (await alice.click(take1 as MessageView, 'Play')).reply();
		expect(player.ephemeral, player.text).toBe(false);
		await waitForText(general, player.id, 'Now playing', 'Harbour Lights');
		bob.vote(poll, 2);
		rig.double.endPoll(poll);
		// The winner (take 2, 0:09) is queued behind what plays; on a slow machine it may be playing already.
		const queued = await waitForText(general, player.id, '⭐ Harbour Lights', '0:09');
		await (await alice.click(queued, 'Stop')).response();
	});
});

/** The song titles a library page lists, in order (`**1. Title** · …`). */
function titlesIn(message: MessageView): string[] {
	return [...message.text.matchAll(/\*\*\d+\. \u2068(.+?)\u2069\*\* ·/g)].map((m) =>
		(m[1] as string).replace(/\\(.)/g, '$1'),
	);
}

/** Runs `step` until `check` holds. */
async function until(check: () => boolean, what: string, timeoutMs: number, step: () => Promise<void>): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (await step(); !check(); await step()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}
