import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/discord/i18n.ts';
import { CATALOGS } from '../../src/i18n/index.ts';
import { type Rig, startRig } from './rig.ts';
import { taskIdOf, waitForMessage, waitForTakes } from './song-steps.ts';

/**
 * `/own-audio` on the Discord double against the family-B fake (issue 17): the command asks what to do, and a form
 * takes the file through its upload, the style, the title and lyrics on as many lines as the song has.
 */

describe('/own-audio (family B)', () => {
	let rig: Rig;
	const take = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'audio', 'take-1.mp3'));
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN each way the provider has THEN the form asks for an audio file, the style, the title and (to sing) lyrics', async () => {
		const command = rig.double.commands.find((c) => c.name === 'own-audio');
		const options = (command as { options?: { name: string }[] } | undefined)?.options;
		expect(options?.map((o) => o.name)).toEqual(['what']);
		const alice = rig.double.user('alice');
		const fields = async (what: string) => (await (await alice.runSlash('own-audio', { what })).modal()).fields;
		const vocals = await fields('add_vocals');
		expect(vocals.map((f) => [f.customId, f.type, f.required])).toEqual([
			['file', 19, true],
			['style', 4, true],
			['title', 4, false],
			['lyrics', 4, true],
		]);
		expect(vocals.find((f) => f.customId === 'file')?.description).toContain('at most 8:00');
		expect(vocals.find((f) => f.customId === 'lyrics')?.style).toBe(2);
		const cover = await fields('cover');
		expect(cover.find((f) => f.customId === 'lyrics')).toMatchObject({ required: false, style: 2 });
		expect(cover.find((f) => f.customId === 'lyrics')?.description).toContain('instrumental cover');
		expect((await fields('add_instrumental')).map((f) => f.customId)).toEqual(['file', 'style', 'title']);
	});

	it('GIVEN an instrumental WHEN alice adds vocals with lyrics on several lines THEN add-vocals gets them line for line and the new song is posted', async () => {
		const form = await (await rig.double.user('alice').runSlash('own-audio', { what: 'add_vocals' })).modal();
		const lyrics = '[Verse]\nSinging over my beat\nall night long\n\n[Chorus]\nOh my beat';
		const tracker = await (
			await form.submit({
				file: [{ name: 'my beat.mp3', bytes: take }],
				style: 'soul, warm female vocals',
				title: 'Over my beat',
				lyrics,
			})
		).reply();
		expect(tracker.ephemeral).toBe(false);
		const takes = await waitForTakes(rig.double.channel('general'), tracker.id);
		expect(takes).toHaveLength(2);
		const sent = rig.fake.requestsOf('add-vocals')[0]?.body as Record<string, unknown>;
		expect(sent).toMatchObject({ title: 'Over my beat', style: 'soul, warm female vocals', prompt: lyrics });
		expect(String(sent.uploadUrl)).toMatch(/beat\.mp3/);
		// The card says what was asked, as for any song: the style and the model.
		const card = await waitForMessage(rig.double.channel('general'), tracker.id, (m) => m.text.includes('Done'));
		expect(card.text).toContain('soul, warm female vocals');
		expect(card.text).toMatch(/v4\.5\+|v5/);
	});

	it('GIVEN an add-instrumental form without a title THEN the song is titled by the file’s name', async () => {
		const form = await (await rig.double.user('bob').runSlash('own-audio', { what: 'add_instrumental' })).modal();
		const tracker = await (
			await form.submit({ file: [{ name: 'humming in the hall.mp3', bytes: take }], style: 'indie rock' })
		).reply();
		await waitForTakes(rig.double.channel('general'), tracker.id);
		const sent = rig.fake.requestsOf('add-instrumental').at(-1)?.body as Record<string, unknown>;
		expect(sent).toMatchObject({ title: 'humming in the hall', tags: 'indie rock' });
		expect(sent.prompt).toBeUndefined();
	});

	it("GIVEN a cover of alice's own file WHEN Reroll is pressed after Discord's link to the file expired THEN it is refused before anything is sent or counted; while the link lives, it makes the song again", async () => {
		const channel = rig.double.channel('general');
		const alice = rig.double.user('alice');
		const form = await (await alice.runSlash('own-audio', { what: 'cover' })).modal();
		const tracker = await (
			await form.submit({ file: [{ name: 'my demo.mp3', bytes: take }], style: 'bossa nova', title: 'Demo in bossa' })
		).reply();
		await waitForTakes(channel, tracker.id);
		const done = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Done'));
		const covers = rig.fake.requestsOf('cover').length;
		// No lyrics: an instrumental cover.
		expect(rig.fake.requestsOf('cover').at(-1)?.body).toMatchObject({ title: 'Demo in bossa', instrumental: true });

		// A day later, for Discord's CDN and for the bot alike.
		const ctx = rig.app.ctx;
		const now = ctx.now;
		rig.double.ageAttachmentLinks(25 * 3_600_000);
		ctx.now = () => now() + 25 * 3_600_000;
		try {
			const refused = await (await alice.click(done, 'Reroll')).reply();
			expect(refused.ephemeral).toBe(true);
			expect(refused.text).toContain('Discord only keeps the link to such a file for a day');
			expect(refused.text).toContain('Nothing was counted');
			expect(rig.fake.requestsOf('cover')).toHaveLength(covers);
		} finally {
			rig.double.ageAttachmentLinks(-25 * 3_600_000);
			ctx.now = now;
		}
		const again = await (await alice.click(done, 'Reroll')).reply();
		expect(again.ephemeral).toBe(false);
		await waitForTakes(channel, again.id);
		expect(rig.fake.requestsOf('cover')).toHaveLength(covers + 1);
	});

	it('GIVEN a file over 8 minutes THEN it is refused before anything is sent, and Fix and try again reopens the form with what was typed, asking for the file again', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'songbot-long-'));
		const long = join(dir, 'long.mp3');
		const silence = ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '485', '-b:a', '8k'];
		execFileSync('ffmpeg', [...silence, long]);
		const before = rig.fake.requests.length;
		const bob = rig.double.user('bob');
		const form = await (await bob.runSlash('own-audio', { what: 'add_vocals' })).modal();
		const lyrics = '[Verse]\nToo long a night\n\n[Chorus]\nTrim it down';
		const refused = await (
			await form.submit({
				file: [{ name: 'long.mp3', bytes: readFileSync(long) }],
				style: 'lofi',
				title: 'Too long',
				lyrics,
			})
		).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('This file is 8:05 long');
		expect(refused.buttons).toEqual(['Fix and try again']);
		expect(rig.fake.requests.length).toBe(before);

		const again = await (await bob.click(refused, 'Fix and try again')).modal();
		expect(again.field('style').value).toBe('lofi');
		expect(again.field('title').value).toBe('Too long');
		expect(again.field('lyrics').value).toBe(lyrics);
		expect(again.field('file').description).toContain('Pick the file again');
		const tracker = await (await again.submit({ file: [{ name: 'trimmed.mp3', bytes: take }] })).reply();
		expect(tracker.ephemeral).toBe(false);
		await waitForTakes(rig.double.channel('general'), tracker.id);
		expect(rig.fake.requestsOf('add-vocals').at(-1)?.body).toMatchObject({ title: 'Too long', prompt: lyrics });
	});

	it('GIVEN a file that is not audio, or add vocals with blank lyrics THEN each is refused with what to change, nothing sent', async () => {
		const before = rig.fake.requests.length;
		const alice = rig.double.user('alice');
		const notes = await (await alice.runSlash('own-audio', { what: 'cover' })).modal();
		const notAudio = await (
			await notes.submit({
				file: [{ name: 'notes.txt', bytes: 'la la la', contentType: 'text/plain' }],
				style: 'pop',
			})
		).reply();
		expect(notAudio.ephemeral).toBe(true);
		expect(notAudio.text).toContain('notes.txt');
		const blank = await (await alice.runSlash('own-audio', { what: 'add_vocals' })).modal();
		const noWords = await (
			await blank.submit({ file: [{ name: 'beat.mp3', bytes: take }], style: 'soul', lyrics: ' \n ' })
		).reply();
		expect(noWords.ephemeral).toBe(true);
		expect(noWords.text).toContain('Write the words to sing in Lyrics');
		expect(rig.fake.requests.length).toBe(before);
	});

	it('GIVEN a ja member THEN the form, its refusal and the reopened form are in Japanese', async () => {
		const ja = CATALOGS.ja;
		const bob = rig.double.user('bob').setLocale('ja');
		try {
			const form = await (await bob.runSlash('own-audio', { what: 'add_vocals' })).modal();
			expect(form.title).toBe(ja['studio.own_form_add_vocals']);
			expect(form.field('file').label).toBe(ja['studio.own_form_file']);
			expect(form.field('lyrics').label).toBe(ja['form.lyrics']);
			expect(form.field('lyrics').description).toBe(ja['studio.own_form_lyrics_help']);
			const refused = await (
				await form.submit({ file: [{ name: 'beat.mp3', bytes: take }], style: 'soul', lyrics: ' ' })
			).reply();
			expect(refused.text).toContain(ja['studio.own_lyrics_needed']);
			const again = await (await bob.click(refused, ja['fix.button'])).modal();
			expect(again.title).toBe(ja['studio.own_form_add_vocals']);
			expect(again.field('style').value).toBe('soul');
			expect(again.field('file').description).toBe(t('ja', 'studio.own_form_file_again', { max: '8:00' }));
		} finally {
			bob.setLocale('en-US');
		}
	});

	it("GIVEN a cover of alice's file the provider failed THEN Change and try again reopens the /own-audio form with what was sent, asking for the file again", async () => {
		const channel = rig.double.channel('general');
		const alice = rig.double.user('alice');
		rig.fake.setTimeline({ type: 'manual' });
		try {
			const form = await (await alice.runSlash('own-audio', { what: 'cover' })).modal();
			const lyrics = '[Verse]\nMy demo\nin a new coat';
			const sent = { style: 'gospel choir', title: 'Demo in gospel', lyrics };
			const tracker = await (await form.submit({ file: [{ name: 'demo.mp3', bytes: take }], ...sent })).reply();
			const running = await waitForMessage(channel, tracker.id, (m) => taskIdOf(m) !== undefined);
			rig.fake.failTask(taskIdOf(running) as string, { code: 531 });
			const failed = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Failed'));
			expect(failed.buttons).toContain('Change and try again');
			const again = await (await alice.click(failed, 'Change and try again')).modal();
			expect(again.customId).toBe(form.customId);
			expect(again.field('style').value).toBe(sent.style);
			expect(again.field('title').value).toBe(sent.title);
			expect(again.field('lyrics').value).toBe(lyrics);
			expect(again.field('file').description).toContain('Pick the file again');
		} finally {
			rig.fake.setTimeline({ type: 'polls', every: 1 });
		}
	});

	it('GIVEN a file that takes longer than Discord waits for an answer to fetch THEN the check answers alice privately first, and the song follows in public; a refusal stays private, with Fix and try again', async () => {
		const alice = rig.double.user('alice');
		rig.double.slowAttachmentDownloads(3_500);
		try {
			const form = await (await alice.runSlash('own-audio', { what: 'add_instrumental' })).modal();
			const submitted = await form.submit({ file: [{ name: 'slow vocals.mp3', bytes: take }], style: 'lofi' });
			const checked = await submitted.reply({ timeout: 15_000 });
			expect(checked.ephemeral).toBe(true);
			expect(checked.text).toContain('Your file checks out');
			const [tracker] = await submitted.waitForFollowUps(1, { timeout: 15_000 });
			expect(tracker?.ephemeral).toBe(false);
			expect(await waitForTakes(rig.double.channel('general'), tracker?.id ?? '')).toHaveLength(2);

			const dir = mkdtempSync(join(tmpdir(), 'songbot-slow-'));
			const long = join(dir, 'long.mp3');
			execFileSync('ffmpeg', [
				'-v',
				'error',
				'-f',
				'lavfi',
				'-i',
				'anullsrc=r=8000:cl=mono',
				'-t',
				'485',
				'-b:a',
				'8k',
				long,
			]);
			const before = rig.fake.requests.length;
			const refused = await (
				await (await alice.runSlash('own-audio', { what: 'add_instrumental' })).modal()
			).submit({ file: [{ name: 'long.mp3', bytes: readFileSync(long) }], style: 'lofi' });
			const reply = await refused.reply({ timeout: 15_000 });
			expect(reply.ephemeral).toBe(true);
			expect(reply.text).toContain('8:05 long');
			expect(reply.buttons).toContain('Fix and try again');
			expect(refused.followUps).toHaveLength(0);
			expect(rig.fake.requests.length).toBe(before);
		} finally {
			rig.double.slowAttachmentDownloads(0);
		}
	});
});
