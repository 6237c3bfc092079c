import { Events, GatewayIntentBits, type Message, MessageType, Partials, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';

/** Polls in Discord's shapes, seen through an unmodified discord.js client. */
describe('polls', () => {
	let double: DiscordDouble;
	let bot: BareClient;
	let withPollIntent: BareClient;
	let channel: TextChannel;

	beforeAll(async () => {
		double = await startDiscordDouble();
		bot = await connectBareClient(double, {
			intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
		});
		withPollIntent = await connectBareClient(double, {
			intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessagePolls],
			// Without GuildMessages the poll's message is not cached: votes arrive on partials.
			partials: [Partials.Message, Partials.Poll, Partials.PollAnswer],
		});
		channel = (await bot.client.channels.fetch(double.channel('general').id)) as TextChannel;
	});
	afterAll(async () => {
		await bot.client.destroy();
		await withPollIntent.client.destroy();
		await double.stop();
	});

	const sendPoll = () =>
		channel.send({
			poll: {
				question: { text: 'Which take wins?' },
				answers: [{ text: 'Take 1', emoji: '1️⃣' }, { text: 'Take 2' }],
				duration: 2,
				allowMultiselect: false,
			},
		});

	it('GIVEN a poll sent with a message THEN discord.js reads it back with its answers, expiry and open results', async () => {
		const sent = await sendPoll();
		expect(sent.poll?.question.text).toBe('Which take wins?');
		expect(sent.poll?.answers.map((a) => a.text)).toEqual(['Take 1', 'Take 2']);
		expect(Math.round(((sent.poll?.expiresTimestamp ?? 0) - Date.now()) / 60_000)).toBe(120);
		expect(sent.poll?.resultsFinalized).toBe(false);
	});

	it('GIVEN a poll with too long an answer THEN Discord refuses the body (50035)', async () => {
		await expect(
			channel.send({
				poll: { question: { text: 'q' }, answers: [{ text: 'x'.repeat(56) }], duration: 1, allowMultiselect: false },
			}),
		).rejects.toMatchObject({ code: 50035 });
	});

	it('GIVEN votes THEN only the poll intent hears them live, the answers endpoint lists voters, and a voter changes their mind', async () => {
		const sent = await sendPoll();
		const live: string[] = [];
		withPollIntent.client.on(Events.MessagePollVoteAdd, (answer, userId) => live.push(`${answer.id}:${userId}`));
		const heardWithout: string[] = [];
		bot.client.on(Events.MessagePollVoteAdd, (_, userId) => heardWithout.push(userId));
		const [alice, bob] = [double.user('alice'), double.user('bob')];
		alice.vote(sent.id, 'Take 1');
		bob.vote(sent.id, 2);
		bob.vote(sent.id, 1);
		await expect.poll(() => live.length).toBe(3);
		expect(live).toEqual([`1:${alice.id}`, `2:${bob.id}`, `1:${bob.id}`]);
		expect(heardWithout).toEqual([]);
		const voters = await sent.poll?.answers.get(1)?.fetchVoters();
		expect([...(voters?.keys() ?? [])].sort()).toEqual([alice.id, bob.id].sort());
		expect((await sent.poll?.answers.get(2)?.fetchVoters())?.size).toBe(0);
	});

	it('GIVEN the poll ends THEN the message shows final results (MESSAGE_UPDATE) and a POLL_RESULT message names the winner', async () => {
		const sent = await sendPoll();
		double.user('alice').vote(sent.id, 2);
		const updated = new Promise<Message>((resolve) =>
			bot.client.on(
				Events.MessageUpdate,
				(_, m) => m.id === sent.id && m.poll?.resultsFinalized && resolve(m as Message),
			),
		);
		const result = new Promise<Message>((resolve) =>
			bot.client.on(Events.MessageCreate, (m) => m.type === MessageType.PollResult && resolve(m)),
		);
		double.endPoll(sent);
		expect((await updated).poll?.answers.get(2)?.voteCount).toBe(1);
		const posted = await result;
		expect(posted.reference?.messageId).toBe(sent.id);
		const fields = Object.fromEntries((posted.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
		expect(fields).toMatchObject({ victor_answer_id: '2', victor_answer_votes: '1', total_votes: '1' });
		const fetched = await channel.messages.fetch({ message: sent.id, force: true });
		expect(fetched.poll?.resultsFinalized).toBe(true);
		expect(() => double.user('bob').vote(sent.id, 1)).toThrow(/ended/);
	});

	it('GIVEN the author ends its poll early THEN it is final at once', async () => {
		const sent = await sendPoll();
		const ended = await sent.poll?.end();
		expect(ended?.poll?.resultsFinalized).toBe(true);
	});
});
