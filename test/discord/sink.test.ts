import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Capabilities } from '../../src/core/provider.ts';
import type { ClipRecord, TaskRecord } from '../../src/core/records.ts';
import { TakeRefused } from '../../src/core/sink.ts';
import { DiscordSink } from '../../src/discord/sink.ts';
import { takeMarkerId } from '../../src/discord/views/take.ts';
import { createLogger } from '../../src/log.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { clip, newRecord } from '../core/records.fixtures.ts';
import { type BareClient, connectBareClient } from '../doubles/discord/bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from '../doubles/discord/index.ts';

const CAPABILITIES: Capabilities = {
	extend: true,
	lyrics: true,
	upload: false,
	cover: false,
	concat: false,
	negativeStyle: false,
	vocalGender: false,
	callbacks: false,
	credits: false,
	batchSize: 1,
	models: ['v5'],
	defaultModel: 'v5',
};
const TAKE_FILE = join(import.meta.dirname, '../fixtures/audio/take-1.mp3');

describe('DiscordSink on the Discord double: exactly once without the newest-100 window', () => {
	let double: DiscordDouble;
	let bare: BareClient;
	let sink: DiscordSink;
	let channel: TextChannel;

	beforeAll(async () => {
		double = await startDiscordDouble();
		bare = await connectBareClient(double);
		sink = new DiscordSink({
			client: bare.client,
			store: createMemoryStore(),
			capabilities: CAPABILITIES,
			log: createLogger({ level: 'silent', secrets: [] }),
		});
		channel = (await bare.client.channels.fetch(double.channel('general').id)) as TextChannel;
	});
	afterAll(async () => {
		sink?.stop();
		await bare?.client.destroy();
		await double?.stop();
	});

	/** A finished song whose tracker message is posted now, so its takes come after it. */
	async function song(id: string): Promise<{ task: TaskRecord; takes: ClipRecord[] }> {
		const tracker = await channel.send({ content: `tracker of ${id}` });
		const takes = [
			{ ...clip(`${id}-a`, 'complete'), take: 1 },
			{ ...clip(`${id}-b`, 'complete'), take: 2 },
		];
		const task = newRecord({
			id,
			place: { guildId: double.guild.id, channelId: channel.id, messageId: tracker.id },
			state: { status: 'finished', outcome: 'complete' },
			clips: takes,
			createdAt: Date.now(),
		});
		return { task, takes };
	}

	/** Waits until the client has heard of the permission change (CHANNEL_UPDATE over the gateway). */
	async function botMay(permission: 'AttachFiles', allowed: boolean): Promise<void> {
		while (channel.permissionsFor(bare.client.user?.id ?? '')?.has(permission) !== allowed) await sleep(10);
	}

	function chatter(count: number): void {
		const bob = double.user('bob');
		for (let i = 0; i < count; i++) bob.send('general', `chatter ${i}`);
	}

	it('GIVEN a take posted and 150 messages after it THEN findDelivered finds it, and a take never posted is not found', async () => {
		const { task, takes } = await song('busy-1');
		const posted = await sink.deliver(task, takes[0] as ClipRecord);
		chatter(150);
		const newest = await channel.messages.fetch({ limit: 100, cache: false });
		expect(newest.has(posted?.messageId as string)).toBe(false);

		expect(await sink.findDelivered(task, takes[0] as ClipRecord)).toBe(posted?.messageId);
		expect(await sink.findDelivered(task, takes[1] as ClipRecord)).toBeUndefined();
	});

	it('GIVEN a take posted by an earlier version (its marker in the embed footer) THEN findDelivered still finds it', async () => {
		const { task, takes } = await song('old-1');
		const clip = takes[0] as ClipRecord;
		const old = await channel.send({
			embeds: [{ title: 'Rain', footer: { text: `take 1 of 2 · songbot:old-1:${clip.id}` } }],
		});
		chatter(120);
		expect(await sink.findDelivered(task, clip)).toBe(old.id);
		expect(await sink.findDelivered(task, takes[1] as ClipRecord)).toBeUndefined();
	});

	it('GIVEN a task without a tracker message THEN the search starts from when the task was saved', async () => {
		const { task, takes } = await song('busy-2');
		const { messageId: _none, ...place } = task.place;
		const orphan = { ...task, place };
		const posted = await sink.deliver(orphan, takes[1] as ClipRecord);
		chatter(120);
		expect(await sink.findDelivered(orphan, takes[1] as ClipRecord)).toBe(posted?.messageId);
	});

	it('GIVEN the same take posted again right after a lost answer THEN Discord returns the first message (nonce): one message', async () => {
		const { task, takes } = await song('retry-1');
		const first = await sink.deliver(task, takes[0] as ClipRecord);
		const second = await sink.deliver(task, takes[0] as ClipRecord);
		expect(second?.messageId).toBe(first?.messageId);
		const marker = takeMarkerId('retry-1', takes[0]?.id as string);
		const carrying = double.channel('general').messages.filter((m) => m.controls.some((c) => c.customId === marker));
		expect(carrying).toHaveLength(1);
	});

	it('GIVEN buttons another feature adds to takes THEN the posted take carries them on its rows', async () => {
		const withTools = new DiscordSink({
			client: bare.client,
			store: createMemoryStore(),
			capabilities: CAPABILITIES,
			log: createLogger({ level: 'silent', secrets: [] }),
			takeActions: (task, clip) => ({
				take: [{ type: 2, style: 2, label: 'Split', custom_id: `studio:split:${task.id}:${clip.id}` }],
				song: [{ type: 2, style: 2, label: 'Reroll', custom_id: `song:reroll:${task.id}` }],
			}),
		});
		const { task, takes } = await song('tools-1');
		const posted = await withTools.deliver(task, takes[0] as ClipRecord);
		withTools.stop();
		const view = double.channel('general').messages.find((m) => m.id === posted?.messageId);
		expect(view?.components.map((row) => (row.components as { label?: string }[]).map((b) => b.label))).toEqual([
			['Play', 'Extend', 'Remix', 'Split'],
			['Lyrics', 'Details', 'Play all', 'Reroll'],
		]);
	});

	it('GIVEN the lease is lost while the take was being prepared THEN nothing is posted', async () => {
		const { task, takes } = await song('lost-1');
		const before = double.channel('general').messages.length;
		const result = await sink.deliver(task, takes[0] as ClipRecord, { confirm: async () => false });
		expect(result).toBeUndefined();
		expect(double.channel('general').messages).toHaveLength(before);
	});

	it('GIVEN the bot may not attach files THEN the post is refused for good, naming the permission', async () => {
		const general = double.channel('general');
		const { task, takes } = await song('refused-1');
		const take = { ...(takes[0] as ClipRecord), file: { path: TAKE_FILE, bytes: statSync(TAKE_FILE).size } };
		general.setPermissions('bot', { deny: ['ATTACH_FILES'] });
		try {
			await botMay('AttachFiles', false);
			const refusal = await sink.deliver(task, take).catch((error: unknown) => error);
			expect(refusal).toBeInstanceOf(TakeRefused);
			expect((refusal as Error).message).toBe('the bot lacks Attach Files here');
		} finally {
			general.setPermissions('bot', {});
		}
		await botMay('AttachFiles', true);
		const posted = await sink.deliver(task, take);
		const message = general.messages.find((m) => m.id === posted?.messageId);
		expect(message?.attachments).toHaveLength(1);
	});

	describe('the song card: takes with their files are added to the tracker message', () => {
		const withFile = (c: ClipRecord): ClipRecord => ({
			...c,
			file: { path: TAKE_FILE, bytes: statSync(TAKE_FILE).size },
		});
		const viewOf = (id: string | undefined) => double.channel('general').messages.find((m) => m.id === id);

		it('GIVEN a take added twice (an edit whose answer was lost) THEN the card holds its file once, and findDelivered finds it there', async () => {
			const { task, takes } = await song('card-1');
			const [one, two] = takes.map(withFile) as [ClipRecord, ClipRecord];
			const first = await sink.deliver(task, one);
			expect(first?.messageId).toBe(task.place.messageId);
			const again = await sink.deliver(task, one);
			expect(again?.messageId).toBe(task.place.messageId);
			expect(viewOf(task.place.messageId)?.attachments.map((a) => a.filename)).toEqual(['Rain - take 1.mp3']);
			expect(await sink.findDelivered(task, two)).toBeUndefined();

			await sink.deliver(task, two);
			chatter(120);
			const card = viewOf(task.place.messageId);
			expect(card?.attachments.map((a) => a.filename)).toEqual(['Rain - take 1.mp3', 'Rain - take 2.mp3']);
			expect(card?.buttons).toEqual(expect.arrayContaining(['Play', 'Extend', 'Remix', 'Details']));
			expect(await sink.findDelivered(task, one)).toBe(task.place.messageId);
			expect(await sink.findDelivered(task, two)).toBe(task.place.messageId);
			// The requester is told once, in a reply to the card, however often the take was added.
			const ready = double
				.channel('general')
				.messages.filter((m) => m.referenceId === task.place.messageId && m.content.includes('your song is ready'));
			expect(ready).toHaveLength(1);
			expect(ready[0]?.content).toMatch(new RegExp(`^<@${task.requester.userId}> your song is ready: `));
		});

		it('GIVEN both files together over the upload limit THEN the second take gets a message of its own that says why', async () => {
			const { task, takes } = await song('card-2');
			const bytes = statSync(TAKE_FILE).size;
			const small = { ...task, place: { ...task.place, uploadLimitBytes: Math.round(bytes * 1.5) } };
			const [one, two] = takes.map(withFile) as [ClipRecord, ClipRecord];
			expect((await sink.deliver(small, one))?.messageId).toBe(task.place.messageId);
			const alone = await sink.deliver(small, two);
			expect(alone?.messageId).not.toBe(task.place.messageId);
			expect(viewOf(task.place.messageId)?.attachments).toHaveLength(1);
			const own = viewOf(alone?.messageId);
			expect(own?.attachments).toHaveLength(1);
			expect(own?.text).toContain('together with the other take it is over this server’s upload limit');
			expect(await sink.findDelivered(small, two)).toBe(alone?.messageId);
		});

		/** Sink dependencies whose tracker notes each ping's id in `kept`. */
		const notingDeps = () => {
			const kept: [string, string][] = [];
			const deps = {
				client: bare.client,
				store: createMemoryStore(),
				capabilities: CAPABILITIES,
				log: createLogger({ level: 'silent', secrets: [] }),
				notePing: async (taskId: string, messageId: string) => {
					kept.push([taskId, messageId]);
					return undefined;
				},
			};
			return { kept, deps };
		};

		it('GIVEN the ready reply posted, or found after a crash cut off noting it THEN its id is kept on the song and no second reply is sent', async () => {
			const { kept, deps } = notingDeps();
			const noting = new DiscordSink(deps);
			const { task, takes } = await song('card-ping');
			await noting.deliver(task, withFile(takes[0] as ClipRecord));
			noting.stop();
			const ready = () =>
				double.channel('general').messages.filter((m) => m.referenceId === task.place.messageId && m.fromBot);
			expect(kept).toEqual([['card-ping', ready()[0]?.id]]);

			// A new process finds the take on the card and the reply in the channel, but no id on the record.
			const onCard = {
				...(takes[0] as ClipRecord),
				delivery: { status: 'delivered' as const, messageId: task.place.messageId as string, at: 1 },
			};
			const restarted = new DiscordSink(deps);
			await restarted.update({ ...task, clips: [onCard, takes[1] as ClipRecord] }, []);
			restarted.stop();
			expect(ready()).toHaveLength(1);
			expect(kept).toEqual([
				['card-ping', ready()[0]?.id],
				['card-ping', ready()[0]?.id],
			]);
		});

		it('GIVEN a song that failed THEN the failure ping’s id is kept on the song; after a crash cut off noting it, the next process finds the ping, keeps its id and sends no second one', async () => {
			const { kept, deps } = notingDeps();
			const { task } = await song('failed-ping');
			const failure = { kind: 'generation' as const, message: 'The provider gave up.', source: 'provider' as const };
			const failed: TaskRecord = { ...task, state: { status: 'failed', failure, at: Date.now() }, clips: [] };
			const pings = () =>
				double.channel('general').messages.filter((m) => m.referenceId === task.place.messageId && m.fromBot);

			const first = new DiscordSink(deps);
			await first.update(failed, [{ type: 'failed', failure }]);
			first.stop();
			expect(pings()).toHaveLength(1);
			expect(pings()[0]?.content).toMatch(new RegExp(`^<@${task.requester.userId}> your song failed: `));
			expect(kept).toEqual([['failed-ping', pings()[0]?.id]]);

			// A new process re-renders the failed song (no events): the ping is in the channel, its id not on the record.
			const restarted = new DiscordSink(deps);
			await restarted.update(failed, []);
			restarted.stop();
			expect(pings()).toHaveLength(1);
			expect(kept).toEqual([
				['failed-ping', pings()[0]?.id],
				['failed-ping', pings()[0]?.id],
			]);

			// Once the id is on the record, a later process finds the ping and has nothing to note.
			const noted = { ...failed, place: { ...failed.place, pingMessageIds: [pings()[0]?.id as string] } };
			const later = new DiscordSink(deps);
			await later.update(noted, []);
			later.stop();
			expect(pings()).toHaveLength(1);
			expect(kept).toHaveLength(2);
		});

		it('GIVEN the tracker message was deleted THEN the take is posted as a message of its own', async () => {
			const { task, takes } = await song('card-3');
			await channel.messages.delete(task.place.messageId as string);
			const posted = await sink.deliver(task, withFile(takes[0] as ClipRecord));
			expect(posted?.messageId).not.toBe(task.place.messageId);
			expect(viewOf(posted?.messageId)?.attachments).toHaveLength(1);
		});
	});
});
