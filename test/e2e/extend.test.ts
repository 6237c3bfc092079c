import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { pingsOf, readyPings, takesIn } from './song-steps.ts';

const TAKE_AUDIO = readFileSync(new URL('../fixtures/audio/take-1.mp3', import.meta.url));

/** Family A reseller mode: extend, upload and concat (Full song) are all offered. Takes are 12 s and 9 s. */
describe('/extend end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'newapi', mode: 'reseller' } });
		await song('Cat Nap');
		await song('Night Drive');
	}, 60_000);
	afterAll(async () => {
		await rig?.close();
	});

	/** Alice makes a song and waits until both takes are in the channel; resolves with them. */
	async function song(title: string): Promise<MessageView[]> {
		const modal = await (await rig.double.user('alice').runSlash('song', { mode: 'custom' })).modal();
		const tracker = await (
			await modal.submit({ lyrics: `[Verse]\nAll about ${title}`, style: 'synthpop', title })
		).reply();
		const ofSong = (m: MessageView) => m.content.includes(`**\u2068${title}`);
		// Done on the tracker means every take is posted and the song is in the server's library.
		const done = (ms: MessageView[]) => ms.some((m) => m.id === tracker.id && m.text.includes('Done'));
		const all = await rig.double
			.channel('general')
			.waitFor((ms) => takesIn(ms).filter(ofSong).length === 2 && done(ms), {
				timeout: 20_000,
			});
		return takesIn(all).filter(ofSong);
	}

	/** Waits for `count` takes whose text contains `marker`. */
	async function takesWith(marker: string, count = 2): Promise<MessageView[]> {
		const match = (m: MessageView) => m.text.includes(marker) && m.text.includes('Done');
		const all = await rig.double.channel('general').waitFor((ms) => takesIn(ms).filter(match).length >= count, {
			timeout: 20_000,
		});
		return takesIn(all).filter(match);
	}

	it('GIVEN two songs WHEN bob picks a take in /extend THEN the choices are newest first, searchable, and the extension credits both', async () => {
		const bob = rig.double.user('bob');

		const choices = await bob.autocomplete('extend', 'take', '');
		// Each take by the name it has everywhere else (src/core/take-name.ts).
		expect(choices.slice(0, 4).map((c) => c.name.replace(/ · by .*$/, ''))).toEqual([
			'Night Drive · take 1',
			'Night Drive · take 2',
			'Cat Nap · take 1',
			'Cat Nap · take 2',
		]);
		expect(choices[0]!.name).toMatch(/^Night Drive · take 1 · by Alice · 0:12$/);
		const searched = await bob.autocomplete('extend', 'take', 'cat');
		expect(searched.map((c) => c.name.replace(/ · by .*$/, ''))).toEqual(['Cat Nap · take 1', 'Cat Nap · take 2']);

		const modal = await (await bob.runSlash('extend', { take: String(choices[0]!.value) })).modal();
		// The end of a 12-second take, as the last whole second inside it.
		expect(modal.field('at').value).toBe('0:11');
		expect(modal.field('style').value).toBe('synthpop');
		const tracker = await (await modal.submit({ lyrics: '[Bridge]\nThe road goes on' })).reply();
		expect(tracker.text).toContain('extension');

		const takes = await takesWith('extends *\u2068Night Drive\u2069* at 0:11');
		for (const take of takes) {
			expect(take.text).toContain(`asked by <@${rig.double.user('alice').id}>`);
			expect(take.text).toContain(`extended by <@${bob.id}>`);
			expect(take.buttons).toContain('Full song');
		}
		expect(pingsOf([tracker, ...readyPings(rig.double.channel('general').messages, tracker.id)])).toEqual({
			users: [bob.id],
			roles: [],
			everyone: 0,
		});
		const extend = rig.fake.requestsOf('music').at(-1)!.body as Record<string, unknown>;
		expect(extend).toMatchObject({ continue_at: 11, task: 'extend', prompt: '[Bridge]\nThe road goes on' });
	});

	it('GIVEN a time outside the take WHEN the form is sent THEN an ephemeral error and nothing reaches the provider', async () => {
		const bob = rig.double.user('bob');
		const [choice] = await bob.autocomplete('extend', 'take', 'cat');
		const before = rig.fake.requestsOf('music').length;
		for (const at of ['0:30', '0', 'soon']) {
			const modal = await (await bob.runSlash('extend', { take: String(choice!.value) })).modal();
			const reply = await (await modal.submit({ at })).reply();
			expect(reply.ephemeral).toBe(true);
			expect(reply.text).toMatch(
				at === 'soon' ? /is not a time/ : /after the start \(0:00\) and before the end of the take \(0:12\)/,
			);
		}
		expect(bob.ephemeralReplies.length).toBeGreaterThanOrEqual(3);
		expect(rig.fake.requestsOf('music').length).toBe(before);
	});

	it('GIVEN a take that is not in the list WHEN /extend runs THEN a kind ephemeral answer and no form', async () => {
		const bob = rig.double.user('bob');
		const typed = await (await bob.runSlash('extend', { take: 'Cat Nap' })).reply();
		expect(typed.ephemeral).toBe(true);
		expect(typed.text).toContain('Pick a take from the list');
		const unknown = await (await bob.runSlash('extend', { take: 'task_gone:clip-gone' })).reply();
		expect(unknown.text).toContain('I do not know this take any more');
		const nothing = await (await bob.runSlash('extend')).reply();
		expect(nothing.text).toContain('Pick a take to extend');
	});

	it('GIVEN a take WHEN its Extend button is used THEN the same form continues it, and Full song joins the extension', async () => {
		const [first] = await song('Sea Shanty');
		const bob = rig.double.user('bob');
		const modal = await (await bob.click(first!, 'Extend')).modal();
		expect(modal.field('at').value).toBe('0:11');
		await modal.submit({ at: '0:05' });
		const [extension] = await takesWith('extends *\u2068Sea Shanty\u2069* at 0:05');
		expect(extension!.text).toContain(`extended by <@${bob.id}>`);

		// Full song (shown on extensions where the provider can join them) posts the joined song as one take.
		const tracker = await (await rig.double.user('alice').click(extension!, 'Full song')).reply();
		expect(tracker.text).toContain('full song');
		const isFull = (m: MessageView) =>
			m.attachments[0]?.filename.includes('(full song)') === true && m.content.includes(' · 0:21');
		const full = takesIn(
			await rig.double.channel('general').waitFor((ms) => takesIn(ms).some(isFull), { timeout: 20_000 }),
		).find(isFull) as MessageView;
		expect(full.attachments[0]!.bytes.length).toBeGreaterThan(10_000);
		expect(full.text).toContain(`extended by <@${bob.id}>`);
		const clipId = extension!.controls.find((c) => c.label === 'Full song')!.customId!.split(':')[3];
		expect(rig.fake.requestsOf('concat').at(-1)!.body).toMatchObject({ clip_id: clipId });
	});

	it('GIVEN an attached audio file WHEN /extend uploads it THEN Continue opens the form and the extension is posted', async () => {
		const alice = rig.double.user('alice');
		const slash = await alice.runSlash('extend', { audio: { name: 'porch demo.mp3', bytes: TAKE_AUDIO } });
		const ready = await slash.reply();
		expect(ready.ephemeral).toBe(true);
		expect(ready.text).toContain('**\u2068porch demo\u2069** is uploaded');
		expect(rig.fake.requestsOf('upload')).toHaveLength(1);

		const modal = await (await alice.click(ready, 'Continue')).modal();
		expect(modal.title).toContain('porch demo');
		await modal.submit({ at: '0:04', lyrics: '[Verse]\nMy own loop, carried on' });
		const takes = await takesWith('extends *an uploaded file* at 0:04');
		// Lyrics once: behind the take's Lyrics button, not on the take.
		expect(takes[0]!.text).not.toContain('My own loop, carried on');
		expect((await (await alice.click(takes[0]!, 'Lyrics')).reply()).text).toContain('My own loop, carried on');
		expect(takes[0]!.content).toContain('**\u2068porch demo');
		expect(rig.fake.requestsOf('music').at(-1)!.body).toMatchObject({ task: 'upload_extend', continue_at: 4 });
	});

	it('GIVEN a file that is not audio WHEN /extend gets it THEN a clear ephemeral error and no upload', async () => {
		const uploads = rig.fake.requestsOf('upload').length;
		const slash = await rig.double.user('bob').runSlash('extend', { audio: { name: 'notes.txt', bytes: 'hello' } });
		const reply = await slash.reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain('“notes.txt” is not an audio file');
		expect(rig.fake.requestsOf('upload')).toHaveLength(uploads);
	});
});

/** Family B: an extension must use the source's model; left as it is, it inherits everything from the take. */
describe('/extend on family B', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a v5 take WHEN the Extend form is sent as it is THEN it continues in v5 from the end, inheriting the rest', async () => {
		const slash = await rig.double.user('alice').runSlash('song', { mode: 'custom', model: 'v5' });
		await (await slash.modal()).submit({ lyrics: '[Verse]\nTide comes in', style: 'folk', title: 'Tide' });
		const isTide = (m: MessageView) => m.content.includes('**\u2068Tide');
		const first = takesIn(
			await rig.double.channel('general').waitFor((ms) => takesIn(ms).some(isTide), { timeout: 20_000 }),
		).find(isTide) as MessageView;
		const modal = await (await rig.double.user('bob').click(first, 'Extend')).modal();
		await modal.submit();
		const match = (m: MessageView) => m.text.includes('extends *\u2068Tide\u2069* at 0:11');
		const all = await rig.double
			.channel('general')
			.waitFor((ms) => takesIn(ms).filter(match).length === 2, { timeout: 20_000 });
		// Family B cannot join an extension into the full song, so the button is not offered.
		expect(takesIn(all).filter(match)[0]!.buttons).not.toContain('Full song');
		expect(takesIn(all).filter(match)[0]!.buttons).toContain('Extend');
		const body = rig.fake.requestsOf('extend').at(-1)!.body as Record<string, unknown>;
		expect(body).toMatchObject({ model: 'V5', continueAt: 11, defaultParamFlag: false });
		expect(body.style).toBeUndefined();
	});

	it('GIVEN an attached file WHEN /extend uploads it THEN the provider continues the file itself', async () => {
		const alice = rig.double.user('alice');
		const ready = await (await alice.runSlash('extend', { audio: { name: 'hum.mp3', bytes: TAKE_AUDIO } })).reply();
		const modal = await (await alice.click(ready, 'Continue')).modal();
		// Family B does not say how long an uploaded file is, so there is no default; with new lyrics it needs one.
		expect(modal.field('at').value).toBeNull();
		const refused = await (await modal.submit({ lyrics: '[Verse]\nHumming on', style: 'lofi' })).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('Say where the extension should start');
		// Continue still works: the upload is remembered in the store, not in the form.
		const again = await (await alice.click(ready, 'Continue')).modal();
		await again.submit({ at: '3', lyrics: '[Verse]\nHumming on', style: 'lofi' });
		const match = (m: MessageView) => m.text.includes('extends *an uploaded file* at 0:03');
		const takes = await rig.double.channel('general').waitFor((ms) => takesIn(ms).filter(match).length === 2, {
			timeout: 20_000,
		});
		expect(takesIn(takes).filter(match)[0]!.content).toContain('**\u2068hum');
		const body = rig.fake.requestsOf('upload-extend').at(-1)!.body as Record<string, unknown>;
		expect(String(body.uploadUrl)).toContain('hum.mp3');
		expect(body).toMatchObject({
			defaultParamFlag: true,
			continueAt: 3,
			style: 'lofi',
			title: 'hum',
			prompt: '[Verse]\nHumming on',
		});
	});
});
