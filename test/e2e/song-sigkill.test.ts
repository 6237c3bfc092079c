import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, LoggedRequest, MessageView } from '../doubles/discord/index.ts';
import type { Stage } from '../doubles/providers/index.ts';
import { type KillRig, startKillRig } from './kill-rig.ts';
import { askForSong, readyPings, takeMarkerOf, takesIn, taskIdOf, waitForMessage } from './song-steps.ts';

/** Messages of other people posted while the bot is down: more than one page of Discord's message list. */
const CHATTER = 120;
const POST = 'POST /channels/:channel/messages';
const EDIT = 'PATCH /channels/:channel/messages/:message';
/** Long enough to kill the bot while Discord holds its request (which then succeeds without it seeing the answer). */
const HELD_MS = 1_200;

interface Song {
	channel: ChannelHandle;
	taskId: string;
	trackerId: string;
}

let rig: KillRig;

function advanceTo(taskId: string, stage: Stage): void {
	for (let i = 0; i < 10 && rig.fake.tasks.get(taskId)?.stage !== stage; i++) rig.fake.advance(taskId);
}

const takesOf = (song: Song) => takesIn(song.channel.messages, song.taskId);
const trackerShows = (song: Song, text: string) =>
	waitForMessage(song.channel, song.trackerId, (m) => m.text.includes(text), 30_000);
const takePosted = (song: Song, count: number) =>
	song.channel.waitFor(() => takesOf(song).length >= count, { timeout: 30_000 });

/** Holds every request on `route` at Discord, waits until one of them is held, then kills the bot. */
async function killWhileHeld(route: string, since: number, which?: (r: LoggedRequest) => boolean): Promise<void> {
	const held = await rig.inFlight(route, since, which);
	// The body has reached Discord; the answer never reaches the bot.
	await sleep(200);
	await rig.kill();
	// Discord finishes the request without the bot: the message exists before anyone else posts.
	while (held.status === 0) await sleep(10);
}

/** The moments of a song's life the bot is killed at, each reached from a fresh song. */
const KILL_POINTS: { name: string; reach(song: Song): Promise<void>; unseenPosts?: number }[] = [
	{ name: 'right after the submit was saved, before any poll', reach: () => rig.kill() },
	{
		name: 'while the provider has it queued (after a poll saw it)',
		async reach(song) {
			advanceTo(song.taskId, 'text');
			const since = Date.now();
			while (!rig.fake.requestsOf('fetch').some((r) => r.at > since + 50)) await sleep(20);
			await rig.kill();
		},
	},
	{
		name: 'while the first take streams',
		async reach(song) {
			advanceTo(song.taskId, 'streaming');
			await trackerShows(song, 'First take streaming');
			await rig.kill();
		},
	},
	{
		name: 'as soon as one clip is done',
		async reach(song) {
			advanceTo(song.taskId, 'first');
			await trackerShows(song, 'First take done');
			await rig.kill();
		},
	},
	{
		name: 'while adding take 1 to the card (Discord saved the edit, the bot never heard)',
		unseenPosts: 1,
		async reach(song) {
			const since = Date.now();
			rig.double.rateLimits.latency(EDIT, HELD_MS);
			advanceTo(song.taskId, 'first');
			await killWhileHeld(EDIT, since, (r) => r.upload === true);
		},
	},
	{
		name: 'after take 1 was added to the card, before the requester was told',
		async reach(song) {
			// Discord asks the bot to wait before the "ready" reply: it dies waiting.
			const since = Date.now();
			rig.double.rateLimits.rateLimit(POST, { retryAfterMs: 5_000 });
			advanceTo(song.taskId, 'first');
			while (!rig.double.requests.some((r) => r.route === POST && r.status === 429 && r.at >= since)) await sleep(10);
			await rig.kill();
		},
	},
	{
		name: 'between take 1 and take 2',
		async reach(song) {
			advanceTo(song.taskId, 'first');
			await takePosted(song, 1);
			await trackerShows(song, 'First take done');
			await rig.kill();
		},
	},
	{
		name: 'while adding take 2 to the card',
		unseenPosts: 2,
		async reach(song) {
			advanceTo(song.taskId, 'first');
			await takePosted(song, 1);
			const since = Date.now();
			rig.double.rateLimits.latency(EDIT, HELD_MS);
			advanceTo(song.taskId, 'done');
			await killWhileHeld(EDIT, since, (r) => r.upload === true);
		},
	},
	{
		name: 'right after the last take was posted, before the tracker says Done',
		async reach(song) {
			advanceTo(song.taskId, 'done');
			await takePosted(song, 2);
			await rig.kill();
		},
	},
	{
		name: 'while editing the tracker message',
		async reach(song) {
			const since = Date.now();
			rig.double.rateLimits.latency(EDIT, HELD_MS);
			advanceTo(song.taskId, 'streaming');
			await killWhileHeld(EDIT, since);
		},
	},
	{
		name: 'while editing the tracker message to its final state',
		async reach(song) {
			advanceTo(song.taskId, 'done');
			await takePosted(song, 2);
			const since = Date.now();
			rig.double.rateLimits.latency(EDIT, HELD_MS);
			await killWhileHeld(EDIT, since);
		},
	},
];

describe('the whole bot SIGKILLed across a song’s life, in a busy channel', () => {
	beforeAll(async () => {
		rig = await startKillRig();
	});
	afterAll(async () => {
		await rig?.close();
	});

	for (const [index, point] of KILL_POINTS.entries()) {
		it(`GIVEN the bot killed ${point.name} and ${CHATTER} messages posted meanwhile THEN after a restart each take appears exactly once and the tracker ends final`, async () => {
			if (!rig.bot) await rig.start();
			const channel = rig.double.channel('general');
			const alice = rig.double.user('alice');
			const submits = rig.fake.requestsOf('submit').length;
			const reply = await (await askForSong(alice, `song ${index} killed ${point.name}`.slice(0, 90))).reply();
			const tracker = await waitForMessage(channel, reply.id, (m) => taskIdOf(m) !== undefined, 30_000);
			const song: Song = { channel, taskId: taskIdOf(tracker) as string, trackerId: reply.id };

			await point.reach(song);
			rig.double.rateLimits.clearFaults();
			const bob = rig.double.user('bob');
			for (let i = 0; i < CHATTER; i++) bob.send(channel, `chatter ${i} while the bot is down`);
			if (point.unseenPosts !== undefined) {
				// The take the bot never heard about is on a card behind more than a page of newer messages.
				expect(takesOf(song)).toHaveLength(point.unseenPosts);
				const last = takesOf(song).at(-1) as MessageView;
				expect(channel.messages.filter((m) => BigInt(m.id) > BigInt(last.id)).length).toBeGreaterThan(100);
			}
			await rig.start();
			rig.fake.completeTask(song.taskId);

			const final = await trackerShows(song, 'Done: takes 1 and 2 are here');
			const takes = takesOf(song);
			const expected = (rig.fake.tasks.get(song.taskId)?.clips ?? []).map((c) => `${song.taskId}:${c.id}`);
			expect(expected).toHaveLength(2);
			for (const marker of expected)
				expect(
					takes.filter((m) => takeMarkerOf(m) === marker),
					marker,
				).toHaveLength(1);
			expect(takes).toHaveLength(2);
			expect(takes.every((m) => m.attachments.length === 1 && m.attachments[0]!.size > 10_000)).toBe(true);
			// One message for the song: both files on the card, none twice; the requester told once.
			expect(final.attachments).toHaveLength(2);
			expect(readyPings(channel.messages, song.trackerId)).toHaveLength(1);
			expect(final.text).not.toContain('could not be posted');
			expect(rig.fake.requestsOf('submit')).toHaveLength(submits + 1);
			// The chatter really is in between: the takes are not among the newest 100 messages of the channel.
			const after = channel.messages.filter((m) => BigInt(m.id) > BigInt(song.trackerId));
			expect(after.length).toBeGreaterThan(100);
		}, 120_000);
	}
});

describe('the whole bot SIGKILLed while a song is stalled', () => {
	beforeAll(async () => {
		rig = await startKillRig({ STALL_TIMEOUT_SEC: '1' });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it(`GIVEN the bot killed after pinging about a stall and ${CHATTER} messages posted meanwhile THEN after a restart the requester is not pinged again, and the song arrives once`, async () => {
		const channel = rig.double.channel('general');
		const alice = rig.double.user('alice');
		const reply = await (await askForSong(alice, 'a song that stalls before a crash')).reply();
		const tracker = await waitForMessage(channel, reply.id, (m) => taskIdOf(m) !== undefined, 30_000);
		const song: Song = { channel, taskId: taskIdOf(tracker) as string, trackerId: reply.id };
		const stallPings = () => channel.messages.filter((m) => m.fromBot && m.content.includes('your song stalled'));
		await trackerShows(song, 'Stalled');
		await channel.waitFor(() => stallPings().length > 0, { timeout: 30_000 });
		await rig.kill();

		const bob = rig.double.user('bob');
		for (let i = 0; i < CHATTER; i++) bob.send(channel, `chatter ${i} while the bot is down`);
		await rig.start();
		await trackerShows(song, 'Stalled');
		rig.fake.completeTask(song.taskId);
		await trackerShows(song, 'Done: takes 1 and 2 are here');

		expect(stallPings()).toHaveLength(1);
		expect(stallPings()[0]?.content).toContain(`<@${alice.id}>`);
		expect(takesOf(song)).toHaveLength(2);
		expect(new Set(takesOf(song).map((m) => takeMarkerOf(m))).size).toBe(2);
		expect(readyPings(channel.messages, song.trackerId)).toHaveLength(1);
	}, 120_000);
});

describe('the whole bot SIGKILLed around the ping of a failed song', () => {
	beforeAll(async () => {
		rig = await startKillRig();
		rig.fake.setOutcome('content_policy');
	});
	afterAll(async () => {
		await rig?.close();
	});

	const FAILURE_POINTS: { name: string; reach(song: Song, since: number): Promise<void> }[] = [
		{
			name: 'while the ping is being posted (it lands, the bot never hears)',
			async reach(song, since) {
				rig.double.rateLimits.latency(POST, HELD_MS);
				advanceTo(song.taskId, 'failed');
				await killWhileHeld(POST, since);
			},
		},
		{
			name: 'after the failure was saved, before the ping reached Discord',
			async reach(song, since) {
				// Discord asks the bot to wait before the ping: it dies waiting.
				rig.double.rateLimits.rateLimit(POST, { retryAfterMs: 5_000 });
				advanceTo(song.taskId, 'failed');
				while (!rig.double.requests.some((r) => r.route === POST && r.status === 429 && r.at >= since)) await sleep(10);
				await rig.kill();
			},
		},
	];

	for (const point of FAILURE_POINTS) {
		it(`GIVEN the bot killed ${point.name} THEN after a restart the requester has exactly one ping and the tracker says Failed`, async () => {
			if (!rig.bot) await rig.start();
			const channel = rig.double.channel('general');
			const alice = rig.double.user('alice');
			const reply = await (await askForSong(alice, `a refused song, killed ${point.name}`.slice(0, 90))).reply();
			const tracker = await waitForMessage(channel, reply.id, (m) => taskIdOf(m) !== undefined, 30_000);
			const song: Song = { channel, taskId: taskIdOf(tracker) as string, trackerId: reply.id };
			const pings = () => channel.messages.filter((m) => m.fromBot && m.content.includes(`/${song.trackerId}>`));

			await point.reach(song, Date.now());
			rig.double.rateLimits.clearFaults();
			const bob = rig.double.user('bob');
			for (let i = 0; i < CHATTER; i++) bob.send(channel, `chatter ${i} while the bot is down`);
			const restartedAt = Date.now();
			await rig.start();

			const failed = await trackerShows(song, 'Failed');
			expect(failed.text).toContain('content policy');
			await channel.waitFor(() => pings().length > 0, { timeout: 30_000 });
			// The restarted bot looked for an earlier ping in the channel (past the chatter) before deciding.
			const searched = () =>
				rig.double.requests.some(
					(r) => r.route === 'GET /channels/:channel/messages' && r.at >= restartedAt && r.status === 200,
				);
			while (!searched()) await sleep(10);
			// A second ping would follow the search at once; give it the time to show if it were coming.
			await sleep(1_000);
			expect(pings()).toHaveLength(1);
			expect(pings()[0]?.content).toMatch(new RegExp(`^<@${alice.id}> your song failed: `));
			expect(takesOf(song)).toHaveLength(0);
		}, 120_000);
	}
});
