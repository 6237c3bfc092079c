import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskRecord } from '../../src/core/records.ts';
import type { MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, takeMarkerOf, takesIn, taskIdOf, waitForMessage, waitForTakes } from './song-steps.ts';

/** What the bot does with today's providers (issue 14): refusals in words, buttons it cannot honour hidden. */

let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

describe('a failed song on family B', () => {
	it('GIVEN copyrighted lyrics (callback code 400) THEN the tracker says so, and Change and try again reopens the form filled in', async () => {
		rig = await startRig({ provider: { family: 'sunoapi', mode: 'kie', timeline: { type: 'manual' } } });
		const alice = rig.double.user('alice');
		const channel = rig.double.channel('general');
		const tracker = await (await askForSong(alice, 'a song about yesterday')).reply();
		const queued = await waitForMessage(channel, tracker.id, (m) => taskIdOf(m) !== undefined);
		rig.fake.failTask(taskIdOf(queued) as string, { code: 400, reason: 'Lyrics contain copyrighted content' });

		const failed = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Failed'));
		expect(failed.text).toContain('the lyrics look copyrighted: change them and try again');
		expect(failed.buttons).toContain('Change and try again');

		const modal = await (await alice.click(failed, 'Change and try again')).modal();
		expect(modal.field('description').value).toBe('a song about yesterday');
		expect(modal.field('title').value).toBe('a song about yesterday');
		rig.fake.setTimeline({ type: 'polls', every: 1 });
		const again = await (await modal.submit({ description: 'a song about tomorrow' })).reply();
		await waitForTakes(channel, again.id);
		expect((rig.fake.requestsOf('generate').at(-1)?.body as { prompt?: string }).prompt).toBe('a song about tomorrow');
	});
});

describe('a described song with a title, on family B', () => {
	it('GIVEN a title typed with the description THEN it names the song, not the provider’s own; without one the provider’s is kept', async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
		const alice = rig.double.user('alice');
		const channel = rig.double.channel('general');
		const slash = await alice.runSlash('song', { mode: 'describe' });
		const form = await slash.modal();
		const tracker = await (
			await form.submit({ description: 'a slow song about the sea', title: 'Lantern Harbor' })
		).reply();
		const takes = await waitForTakes(channel, tracker.id);
		// Family B's describe mode takes no title: the provider answered with one of its own.
		expect(rig.fake.requestsOf('generate').at(-1)?.body).not.toHaveProperty('title');
		const provided = [...rig.fake.tasks.values()].at(-1)?.clips.map((c) => c.title);
		expect(provided).toEqual([expect.stringMatching(/^Fake Song \d+$/), expect.stringMatching(/^Fake Song \d+$/)]);

		const card = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Done'));
		expect(card.text).toContain('1️⃣ **\u2068Lantern Harbor · take 1\u2069**');
		expect(card.text).toContain('2️⃣ **\u2068Lantern Harbor · take 2\u2069**');
		expect(card.text).not.toContain('Fake Song');
		expect(takes.flatMap((t) => t.attachments.map((a) => a.filename))).toEqual([
			'Lantern Harbor - take 1.mp3',
			'Lantern Harbor - take 2.mp3',
		]);
		const found = await (await rig.double.user('bob').runSlash('songs', { search: 'lantern' })).reply();
		expect(found.text).toContain('Lantern Harbor');
		expect(found.text).not.toContain('Fake Song');

		const untitled = await (
			await (await alice.runSlash('song', { mode: 'describe' })).modal()
		).submit({
			description: 'a song without a title',
		});
		await waitForTakes(channel, (await untitled.reply()).id);
		const library = await (await rig.double.user('bob').runSlash('songs', { search: 'fake' })).reply();
		expect(library.text).toMatch(/Fake Song \d+/);
	});
});

describe('a song refused at submit', () => {
	it('GIVEN words the provider refuses before any task exists THEN Change and try again reopens the form filled in', async () => {
		rig = await startRig({ provider: { family: 'sunoapi', mode: 'kie' } });
		const alice = rig.double.user('alice');
		const channel = rig.double.channel('general');
		rig.fake.inject('content_policy', { on: 'submit' });
		const tracker = await (await askForSong(alice, 'a song with a bad word')).reply();
		const failed = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Failed'));
		expect(failed.text).toContain('content policy');
		expect(rig.fake.tasks.size).toBe(0);

		const modal = await (await alice.click(failed, 'Change and try again')).modal();
		expect(modal.field('description').value).toBe('a song with a bad word');
		const again = await (await modal.submit({ description: 'a song with a good word' })).reply();
		await waitForTakes(channel, again.id);
		expect(rig.fake.tasks.size).toBe(1);
	});
});

describe('a stock new-api that cannot join songs', () => {
	const isFullSongTake = (m: MessageView) => m.text.includes('extends *');

	async function extensionOf(take: MessageView, at: string): Promise<MessageView[]> {
		const r = rig as Rig;
		const modal = await (await r.double.user('bob').click(take, 'Extend')).modal();
		await modal.submit({ at });
		const marker = `at ${at}`;
		const all = await r.double
			.channel('general')
			.waitFor((ms) => takesIn(ms).filter((m) => isFullSongTake(m) && m.text.includes(marker)).length === 2, {
				timeout: 20_000,
			});
		return takesIn(all).filter((m) => isFullSongTake(m) && m.text.includes(marker));
	}

	it('GIVEN Full song refused THEN it is explained in words once, hidden on later takes, and still hidden after a restart', async () => {
		rig = await startRig({ provider: { family: 'newapi', mode: 'newapi' } });
		const channel = rig.double.channel('general');
		const song = await (await askForSong(rig.double.user('alice'), 'harbour lights')).reply();
		const [first] = await waitForTakes(channel, song.id);

		const [extension] = await extensionOf(first as MessageView, '0:05');
		expect(extension?.buttons).toContain('Full song');
		const join = await (await rig.double.user('alice').click(extension as MessageView, 'Full song')).reply();
		const refused = await waitForMessage(channel, join.id, (m) => m.text.includes('Failed'));
		expect(refused.text).toContain('This music provider cannot join songs, so Full song is no longer offered.');
		expect(refused.text).not.toMatch(/invalid_action|HTTP 400/);

		for (const take of await extensionOf(first as MessageView, '0:06')) expect(take.buttons).not.toContain('Full song');

		await rig.stopBot();
		await rig.restartBot();
		for (const take of await extensionOf(first as MessageView, '0:07')) expect(take.buttons).not.toContain('Full song');
		expect(rig.fake.requestsOf('concat')).toHaveLength(1);
	});

	it('GIVEN an uploaded file refused (the relay’s web page) THEN it is explained in words, and after a restart /extend offers no file option', async () => {
		rig = await startRig({ provider: { family: 'newapi', mode: 'newapi' } });
		const audioOption = () => {
			const definition = (rig as Rig).double.commands.find((c) => c.name === 'extend');
			return (definition?.options as { name: string }[] | undefined)?.some((o) => o.name === 'audio');
		};
		expect(audioOption()).toBe(true);
		const bytes = readFileSync(new URL('../fixtures/audio/take-1.mp3', import.meta.url));
		const alice = rig.double.user('alice');
		const refused = await (await alice.runSlash('extend', { audio: { name: 'demo.mp3', bytes } })).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('This music provider cannot take uploaded audio, so uploads are no longer offered.');
		const again = await (await alice.runSlash('extend', { audio: { name: 'demo.mp3', bytes } })).reply();
		expect(again.text).toContain('This music provider cannot take audio files.');
		expect(rig.fake.requestsOf('upload')).toHaveLength(1);

		await rig.stopBot();
		await rig.restartBot();
		expect(audioOption()).toBe(false);
	});
});

describe('models by the provider’s own name and declared ones', () => {
	it('GIVEN SUNO_MODEL=chirp-crow and SUNO_MODELS=v6=chirp-xyz THEN /song offers v6, defaults to v5, and v6 goes out as chirp-xyz', async () => {
		rig = await startRig({ env: { SUNO_MODEL: 'chirp-crow', SUNO_MODELS: 'v6=chirp-xyz' } });
		const definition = rig.double.commands.find((c) => c.name === 'song');
		const model = (definition?.options as { name: string; choices?: { value: string }[] }[]).find(
			(o) => o.name === 'model',
		);
		expect(model?.choices?.map((c) => c.value)).toEqual([
			'v3.5',
			'v4',
			'v4.5',
			'v4.5+',
			'v4.5-all',
			'v5',
			'v5.5',
			'v6',
		]);
		const channel = rig.double.channel('general');
		const alice = rig.double.user('alice');
		await waitForTakes(channel, (await (await askForSong(alice, 'default model')).reply()).id);
		expect((rig.fake.requestsOf('music').at(-1)?.body as { mv?: string }).mv).toBe('chirp-crow');
		const slash = await alice.runSlash('song', { mode: 'describe', model: 'v6' });
		const tracker = await (await (await slash.modal()).submit({ description: 'a new model' })).reply();
		await waitForTakes(channel, tracker.id);
		expect((rig.fake.requestsOf('music').at(-1)?.body as { mv?: string }).mv).toBe('chirp-xyz');
	});
});

describe('files the provider deleted after about 15 days', () => {
	it('GIVEN a take finished 20 days ago WHEN it is remixed as a cover THEN the provider gets the bot’s own attachment, not its expired URL', async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
		const channel = rig.double.channel('general');
		const [first] = await waitForTakes(
			channel,
			(await (await askForSong(rig.double.user('alice'), 'old times')).reply()).id,
		);
		const taskId = takeMarkerOf(first as MessageView)?.split(':')[0] as string;
		const store = rig.app.ctx.store;
		await vi.waitFor(async () => {
			const record = await store.getTask(taskId);
			expect(record?.clips.every((c) => c.delivery?.status === 'delivered')).toBe(true);
		});
		const record = (await store.getTask(taskId)) as TaskRecord;
		const days20 = 20 * 86_400_000;
		await store.saveTask({
			...record,
			createdAt: record.createdAt - days20,
			finishedAt: (record.finishedAt ?? record.createdAt) - days20,
		});

		const modal = await (await rig.double.user('bob').click(first as MessageView, 'Remix')).modal();
		await modal.submit({ style: 'acoustic folk', title: 'Old times (folk)' });
		await vi.waitFor(() => expect(rig?.fake.requestsOf('cover')).toHaveLength(1));
		const cover = rig.fake.requestsOf('cover')[0]?.body as { uploadUrl?: string };
		expect(cover.uploadUrl).toBe(first?.attachments[0]?.url);
		expect(cover.uploadUrl).not.toContain(rig.fake.origin);
	});
});
