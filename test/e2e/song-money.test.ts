import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { taskIdOf, waitForMessage, waitForTakes } from './song-steps.ts';

const USERS = ['alice', 'bob', 'carol'];
const TAKE_AUDIO = readFileSync(new URL('../fixtures/audio/take-1.mp3', import.meta.url));

describe('one request, one charge, with a cooldown, end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({
			double: { users: USERS },
			env: { COOLDOWN_SEC: '600', USER_DAILY_LIMIT: '2', GUILD_DAILY_LIMIT: '50' },
		});
	});
	afterAll(async () => {
		await rig?.close();
	});

	const link = (message: MessageView) =>
		`https://discord.com/channels/${rig.double.guild.id}/${rig.double.channel('general').id}/${message.id}`;

	it('GIVEN two /song forms filled alike WHEN both are sent THEN one song is made and the second answer is an ephemeral "already on it" with its link', async () => {
		const alice = rig.double.user('alice');
		// Opening forms checks the limits without starting the cooldown: both open.
		const forms = [
			await (await alice.runSlash('song', { mode: 'describe' })).modal(),
			await (await alice.runSlash('song', { mode: 'describe' })).modal(),
		];
		const submits = rig.fake.requestsOf('submit').length;
		const submittedAt = Date.now();
		const first = await (await forms[0]!.submit({ description: 'a sea shanty about lost socks' })).reply();
		expect(first.ephemeral).toBe(false);
		const second = await (await forms[1]!.submit({ description: 'A sea shanty about  lost socks ' })).reply();
		expect(second.ephemeral).toBe(true);
		expect(second.text).toContain('Already on it');
		expect(second.text).toContain(link(first));
		// The tracker message is the answer; the submit follows it: counted once the song is there.
		await waitForTakes(rig.double.channel('general'), first.id);
		expect(rig.fake.requestsOf('submit')).toHaveLength(submits + 1);

		// The one song counted once: one of two left; and the cooldown now runs from that submit.
		expect(first.text).toContain('1 left for you today');
		const again = await (await alice.runSlash('song', { mode: 'describe' })).reply();
		expect(again.ephemeral).toBe(true);
		expect(again.text).toContain('one song every 600 seconds per person');
		// It says when: a Discord timestamp of the end of the window, 600 s after the submit.
		const until = Number(/Try again <t:(\d+):R>/.exec(again.text)?.[1]);
		expect(Math.abs(until - (submittedAt / 1000 + 600))).toBeLessThan(10);
		expect(again.text).not.toContain('shortly');
	});

	it('GIVEN lyrics count against the limit THEN Regenerate clicked twice writes once, a call over the limit is refused, and lyrics set to cost 0 in /songbot are free', async () => {
		const bob = rig.double.user('bob');
		const channel = rig.double.channel('general');
		const lyricsCalls = () => rig.fake.requestsOf('lyrics').length;
		const form = await (await bob.runSlash('lyrics')).modal();
		const tracker = await (await form.submit({ theme: 'a lighthouse keeper' })).reply();
		expect(tracker.text).toContain('1 left for you today');
		const sheet = await waitForMessage(channel, tracker.id, (m) => m.buttons.includes('Regenerate'));

		const before = lyricsCalls();
		// A double click: both reach the bot before either is answered; whichever comes second is the duplicate.
		const clicks = [await bob.click(sheet, 'Regenerate'), await bob.click(sheet, 'Regenerate')];
		const answers = await Promise.all(clicks.map((c) => c.reply()));
		const written = answers.filter((a) => !a.ephemeral);
		const duplicate = answers.filter((a) => a.ephemeral);
		expect([written.length, duplicate.length]).toEqual([1, 1]);
		expect(duplicate[0]!.text).toContain('Already on it');
		expect(duplicate[0]!.text).toContain(link(written[0]!));
		expect(written[0]!.text).toContain('0 left for you today');
		// The tracker is answered before the request leaves the bot (its intent is saved first), so the call may
		// reach the provider a moment later; the duplicate was already refused, so one call is all there can be.
		await expect.poll(lyricsCalls).toBe(before + 1);

		// Both of bob's two are spent (on lyrics): /lyrics is refused before its form, and nothing is sent.
		const refused = await (await bob.runSlash('lyrics')).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('You have used all 2 of your songs for today');
		expect(lyricsCalls()).toBe(before + 1);
		// Make a song checks before its form too (a song costs one, and none is left).
		const make = await (await bob.click(sheet, 'Make a song')).reply();
		expect(make.ephemeral).toBe(true);
		expect(make.text).toContain('You have used all 2 of your songs for today');
		// The reset, next midnight UTC, as a Discord timestamp each reader sees in their own time zone.
		const midnight = Math.ceil((Date.now() + 1) / 86_400_000) * 86_400;
		expect(make.text).toContain(`The limit resets at <t:${midnight}:t> (<t:${midnight}:R>).`);

		const set = await (await rig.double.user('server-owner').runSlash('songbot costs', { lyrics: 0 })).reply();
		expect(set.ephemeral).toBe(true);
		expect(set.text).toContain('lyrics: free · *set for this server*');
		expect(set.text).toContain('new song: 1 song');
		const free = await (await (await bob.runSlash('lyrics')).modal()).submit({ theme: 'a free verse' });
		const freeSheet = await free.reply();
		expect(freeSheet.ephemeral).toBe(false);
		await waitForMessage(channel, freeSheet.id, (m) => m.buttons.includes('Regenerate'));
		expect(lyricsCalls()).toBe(before + 2);
		// Songs still cost: bob's day is used up.
		const song = await (await bob.runSlash('song', { mode: 'describe' })).reply();
		expect(song.text).toContain('You have used all 2 of your songs for today');
	});
});

describe('in-flight caps end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({
			double: { users: [...USERS, 'dave', 'erin'] },
			provider: { family: 'newapi', timeline: { type: 'manual' } },
			env: { USER_RUNNING_LIMIT: '2', GUILD_RUNNING_LIMIT: '3' },
		});
	});
	afterAll(async () => {
		await rig?.close();
	});

	const link = (id: string) =>
		`https://discord.com/channels/${rig.double.guild.id}/${rig.double.channel('general').id}/${id}`;

	/** Asks for a song and resolves with its tracker message once the provider's task id is on it. */
	async function ask(name: string, description: string): Promise<{ tracker: MessageView; taskId: string }> {
		const form = await (await rig.double.user(name).runSlash('song', { mode: 'describe' })).modal();
		const reply = await (await form.submit({ description })).reply();
		expect(reply.ephemeral).toBe(false);
		const tracker = await waitForMessage(rig.double.channel('general'), reply.id, (m) => taskIdOf(m) !== undefined);
		const taskId = taskIdOf(tracker) as string;
		return { tracker, taskId };
	}

	it('GIVEN two unfinished songs of one person THEN /song, Extend and Remix are refused before their forms, saying how many run and linking the oldest', async () => {
		const channel = rig.double.channel('general');
		const done = await ask('carol', 'a finished one');
		rig.fake.completeTask(done.taskId);
		const [take] = await waitForTakes(channel, done.tracker.id);
		const oldest = await ask('carol', 'the oldest running one');
		await ask('carol', 'the newest running one');
		const submits = rig.fake.requestsOf('submit').length;

		const refused = await (await rig.double.user('carol').runSlash('song', { mode: 'describe' })).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('You already have 2 songs being made (at most 2 at a time per person)');
		expect(refused.text).toContain(link(oldest.tracker.id));
		for (const button of ['Extend', 'Remix']) {
			const answer = await (await rig.double.user('carol').click(take!, button)).reply();
			expect(answer.ephemeral).toBe(true);
			expect(answer.text).toContain('You already have 2 songs being made');
		}
		expect(rig.fake.requestsOf('submit')).toHaveLength(submits);

		// Someone else may still extend it; then the server has three running, its cap.
		const form = await (await rig.double.user('dave').click(take!, 'Extend')).modal();
		expect((await (await form.submit({})).reply()).ephemeral).toBe(false);
		const server = await (await rig.double.user('erin').runSlash('song', { mode: 'describe' })).reply();
		expect(server.ephemeral).toBe(true);
		expect(server.text).toContain('This server already has 3 songs being made (at most 3 at a time)');
		expect(server.text).toContain(link(oldest.tracker.id));

		// When a song finishes, its slot is free again.
		rig.fake.completeTask(oldest.taskId);
		await waitForTakes(channel, oldest.tracker.id);
		await ask('erin', 'now there is room');
	});
});

describe('every paid call is counted, end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({
			provider: { family: 'newapi', mode: 'reseller' },
			env: { USER_DAILY_LIMIT: '3', GUILD_DAILY_LIMIT: '50' },
		});
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN three a day THEN the upload, the extension and Full song each count, a second Full song is “already on it”, and an upload over the limit is refused before any provider call', async () => {
		const alice = rig.double.user('alice');
		const channel = rig.double.channel('general');
		const ready = await (
			await alice.runSlash('extend', { audio: { name: 'porch demo.mp3', bytes: TAKE_AUDIO } })
		).reply();
		expect(ready.text).toContain('is uploaded');
		const form = await (await alice.click(ready, 'Continue')).modal();
		const tracker = await (await form.submit({ at: '0:04' })).reply();
		// The upload was one, the extension another.
		expect(tracker.text).toContain('1 left for you today');
		const [extension] = await waitForTakes(channel, tracker.id);

		const concats = rig.fake.requestsOf('concat').length;
		const full = await (await alice.click(extension!, 'Full song')).reply();
		expect(full.ephemeral).toBe(false);
		expect(full.text).toContain('0 left for you today');
		await waitForMessage(channel, full.id, (m) => m.text.includes('Done'));
		expect(rig.fake.requestsOf('concat')).toHaveLength(concats + 1);

		const again = await (await alice.click(extension!, 'Full song')).reply();
		expect(again.ephemeral).toBe(true);
		// The same Full song within a minute is the one already made; a new upload is over the limit.
		expect(again.text).toContain('Already on it');
		const upload = await (
			await alice.runSlash('extend', { audio: { name: 'another.mp3', bytes: TAKE_AUDIO } })
		).reply();
		expect(upload.ephemeral).toBe(true);
		expect(upload.text).toContain('You have used all 3 of your songs for today');
		expect(rig.fake.requestsOf('concat')).toHaveLength(concats + 1);
		expect(rig.fake.requestsOf('upload')).toHaveLength(1);
	});
});
