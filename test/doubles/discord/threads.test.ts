import {
	ChannelType,
	DiscordAPIError,
	Events,
	GatewayIntentBits,
	type Message,
	type TextChannel,
	type ThreadChannel,
	Routes,
	VoiceChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';

/** Threads in Discord's shapes, through an unmodified discord.js client, refused where Discord refuses them. */
describe('threads', () => {
	let double: DiscordDouble;
	let bot: BareClient;
	let channel: TextChannel;

	beforeAll(async () => {
		double = await startDiscordDouble({ users: ['alice', 'bob'] });
		bot = await connectBareClient(double, {
			intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
		});
		channel = (await bot.client.channels.fetch(double.channel('general').id)) as TextChannel;
	});
	afterAll(async () => {
		await bot.client.destroy();
		await double.stop();
	});

	const codeOf = (promise: Promise<unknown>) =>
		promise.then(
			() => 'accepted',
			(error: unknown) => (error instanceof DiscordAPIError ? error.code : String(error)),
		);

	async function threadFrom(text: string): Promise<{ starter: Message; thread: ThreadChannel }> {
		const starter = await channel.send(text);
		const created = new Promise<ThreadChannel>((resolve) =>
			bot.client.once(Events.ThreadCreate, (thread) => resolve(thread)),
		);
		const thread = await starter.startThread({ name: text });
		expect((await created).id).toBe(thread.id);
		return { starter, thread };
	}

	it('GIVEN a message WHEN a thread is started from it THEN the thread has its id, its parent, and the bot as member; messages go in it', async () => {
		const { starter, thread } = await threadFrom('Jam one');
		expect(thread.id).toBe(starter.id);
		expect(thread.type).toBe(ChannelType.PublicThread);
		expect(thread.parentId).toBe(channel.id);
		expect(thread.archived).toBe(false);
		const inside = await thread.send('first line');
		expect(inside.channelId).toBe(thread.id);
		expect(double.channel(thread.id).messages.map((m) => m.text)).toEqual(['first line']);
		expect((await thread.members.fetch({ member: bot.client.user?.id ?? '' })).id).toBe(bot.client.user?.id);
		// Not a member: Discord answers Unknown Member (10007) until someone adds them.
		const alice = double.user('alice').id;
		expect(await codeOf(thread.members.fetch({ member: alice, force: true }))).toBe(10007);
		await thread.members.add(alice);
		expect(double.channel(thread.id).thread?.members).toContain(alice);
		// The starter message names its thread.
		expect((await channel.messages.fetch({ message: starter.id, force: true })).hasThread).toBe(true);
	});

	it('GIVEN a message with a thread THEN a second thread from it is refused (160004), as is one from a voice channel (50024) or an empty name (50035)', async () => {
		const { starter } = await threadFrom('Jam two');
		// Past discord.js's own check (it knows the message has a thread): the double refuses it too.
		expect(await codeOf(channel.threads.create({ startMessage: starter.id, name: 'again' }))).toBe(160004);
		const other = await channel.send('no name');
		expect(await codeOf(other.startThread({ name: '' }))).toBe(50035);
		const voice = bot.client.channels.cache.find((c) => c instanceof VoiceChannel) as VoiceChannel;
		const inVoice = await voice.send('voice chat message');
		// discord.js refuses this itself; the raw request shows what Discord answers.
		const raw = bot.client.rest.post(Routes.threads(voice.id, inVoice.id), { body: { name: 'nope' } });
		expect(await codeOf(raw)).toBe(50024);
	});

	it('GIVEN a thread WHEN archived and locked THEN discord.js sees it (THREAD_UPDATE); a locked one needs Manage Threads to post in or reopen', async () => {
		const { thread } = await threadFrom('Jam three');
		const updated = new Promise<ThreadChannel>((resolve) =>
			bot.client.once(Events.ThreadUpdate, (_, after) => resolve(after)),
		);
		await thread.edit({ archived: true, locked: true });
		expect((await updated).locked).toBe(true);
		expect(double.channel(thread.id).thread).toMatchObject({ archived: true, locked: true });
		expect(() => double.user('alice').send(thread.id, 'hello?')).toThrow(/locked/);

		double.channel('general').setPermissions('bot', { deny: ['MANAGE_THREADS'] });
		expect(await codeOf(thread.send('still here?'))).toBe(50083);
		expect(await codeOf(thread.edit({ locked: false }))).toBe(50013);
		double.channel('general').setPermissions('bot', {});
		// With Manage Threads back, posting reopens it as on Discord.
		await thread.edit({ locked: false });
		await thread.send('reopened');
		expect(double.channel(thread.id).thread?.archived).toBe(false);
	});

	it('GIVEN an archived thread that is not locked THEN posting in it reopens it', async () => {
		const { thread } = await threadFrom('Jam four');
		await thread.setArchived(true);
		await thread.send('back again');
		expect(double.channel(thread.id).thread?.archived).toBe(false);
	});

	it('GIVEN a thread a moderator deletes THEN discord.js drops it (THREAD_DELETE) and Discord answers Unknown Channel (10003)', async () => {
		const { thread } = await threadFrom('Gone soon');
		await thread.send('a line');
		const deleted = new Promise<string>((resolve) => bot.client.once(Events.ThreadDelete, (t) => resolve(t.id)));
		double.channel(thread.id).deleteThread();
		expect(await deleted).toBe(thread.id);
		expect(bot.client.channels.cache.has(thread.id)).toBe(false);
		expect(await codeOf(bot.client.channels.fetch(thread.id))).toBe(10003);
		expect(await codeOf(bot.client.rest.post(Routes.channelMessages(thread.id), { body: { content: 'x' } }))).toBe(
			10003,
		);
		expect(double.guild.channels.some((c) => c.id === thread.id)).toBe(false);
	});
});
