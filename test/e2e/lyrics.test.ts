import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView, UserHandle } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { pingsOf, readyPings, takesIn } from './song-steps.ts';

const USERS = ['alice', 'bob', 'carol'];
const SHEET_BUTTONS = ['Make a song', 'Edit', 'Regenerate'];
/** The credits on a song card: the parts of its one "who made it" line that name a role. */
const madeBy = (m: MessageView) =>
	String(m.embeds[0]?.description ?? '')
		.split('\n')
		.find((line) => line.startsWith('asked by '))
		?.split(' · ')
		.filter((part) => /^(asked|lyrics|lyrics edited|extended|remixed) by /.test(part))
		.join(' · ');

/** Runs /lyrics with a theme and resolves with the sheet once the lyrics are written. */
async function writeLyrics(rig: Rig, user: UserHandle, theme: string): Promise<MessageView> {
	const form = await (await user.runSlash('lyrics')).modal();
	const tracker = await (await form.submit({ theme })).reply();
	return rig.double
		.channel('general')
		.waitForMessage((m) => m.id === tracker.id && m.buttons.includes('Regenerate'), { timeout: 10_000 });
}

/** The two takes on the song card `trackerId`. */
async function takesAfter(rig: Rig, trackerId: string): Promise<MessageView[]> {
	const after = (all: MessageView[]) => takesIn(all.filter((m) => m.id === trackerId));
	return after(await rig.double.channel('general').waitFor((all) => after(all).length === 2, { timeout: 20_000 }));
}

describe('/lyrics end to end', () => {
	let rig: Rig;
	let sheet: MessageView;
	let revision: MessageView;
	beforeAll(async () => {
		rig = await startRig({ double: { users: USERS } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a theme THEN the tracker message becomes a sheet with title, lyrics and three buttons', async () => {
		const alice = rig.double.user('alice');
		const form = await (await alice.runSlash('lyrics')).modal();
		expect(form.fields.map((f) => [f.customId, f.maxLength])).toEqual([['theme', 1000]]);
		sheet = await writeLyrics(rig, alice, 'a rainy harbour town');
		expect(sheet.text).toContain('Lyrics 1');
		expect(sheet.text).toContain('Version 1 about a rainy harbour town');
		expect(sheet.text).toContain(`written with <@${alice.id}>`);
		expect(sheet.buttons).toEqual(SHEET_BUTTONS);
	});

	it('GIVEN another user clicks Make a song THEN the form holds the lyrics and both takes credit both users', async () => {
		const [alice, bob] = [rig.double.user('alice'), rig.double.user('bob')];
		const form = await (await bob.click(sheet, 'Make a song')).modal();
		expect(form.field('title').value).toBe('Lyrics 1');
		expect(form.field('lyrics').value).toBe('[Verse]\nVersion 1 about a rainy harbour town\n[Chorus]\nLa la la');
		const tracker = await (await form.submit({ style: 'sea shanty' })).reply();
		expect(tracker.text).toContain('Lyrics 1');
		const takes = await takesAfter(rig, tracker.id);
		for (const take of takes) {
			expect(madeBy(take)).toBe(`asked by <@${bob.id}> · lyrics by <@${alice.id}>`);
			// Lyrics once: not on the take, in full behind its Lyrics button.
			expect(take.text).not.toContain('Version 1 about a rainy harbour town');
			const lyrics = await (await alice.click(take, 'Lyrics')).reply();
			expect(lyrics.ephemeral).toBe(true);
			expect(lyrics.text).toContain('Version 1 about a rainy harbour town');
		}
		// Credits name alice, but only bob, who asked for the song, is notified, and once.
		expect(pingsOf([sheet, tracker, ...readyPings(rig.double.channel('general').messages, tracker.id)])).toEqual({
			users: [bob.id],
			roles: [],
			everyone: 0,
		});
		expect(rig.fake.requestsOf('music').at(-1)?.body).toMatchObject({ title: 'Lyrics 1', tags: 'sea shanty' });
	});

	it('GIVEN bob edits the sheet THEN a new version credits him, the old one stays, and its Make a song works', async () => {
		const [alice, bob, carol] = USERS.map((name) => rig.double.user(name)) as [UserHandle, UserHandle, UserHandle];
		const form = await (await bob.click(sheet, 'Edit')).modal();
		expect(form.field('lyrics').value).toContain('Version 1 about a rainy harbour town');
		revision = await (await form.submit({ title: 'Harbour Lights', lyrics: 'Lanterns swing on the quay' })).reply();
		expect(revision.id).not.toBe(sheet.id);
		expect(revision.text).toContain('Harbour Lights');
		expect(revision.text).toContain('Lanterns swing on the quay');
		expect(revision.text).toContain(`written with <@${alice.id}>`);
		expect(revision.text).toContain(`revised by <@${bob.id}>`);
		expect(pingsOf([revision])).toEqual({ users: [], roles: [], everyone: 0 });
		expect(revision.buttons).toEqual(SHEET_BUTTONS);
		const old = rig.double.channel('general').messages.find((m) => m.id === sheet.id);
		expect(old?.text).toContain('Version 1 about a rainy harbour town');

		const songForm = await (await carol.click(revision, 'Make a song')).modal();
		expect(songForm.field('lyrics').value).toBe('Lanterns swing on the quay');
		const tracker = await (await songForm.submit({ style: 'folk' })).reply();
		const takes = await takesAfter(rig, tracker.id);
		for (const take of takes)
			expect(madeBy(take)).toBe(`asked by <@${carol.id}> · lyrics by <@${alice.id}> · lyrics edited by <@${bob.id}>`);
		expect(pingsOf([tracker, ...readyPings(rig.double.channel('general').messages, tracker.id)])).toEqual({
			users: [carol.id],
			roles: [],
			everyone: 0,
		});
	});

	it('GIVEN an edit that changes nothing THEN only the editor is told, and nothing is posted', async () => {
		const bob = rig.double.user('bob');
		const before = rig.double.channel('general').messages.length;
		const submitted = await (await (await bob.click(sheet, 'Edit')).modal()).submit();
		const reply = await submitted.reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain('Nothing was changed');
		expect(rig.double.channel('general').messages.length).toBe(before);
	});

	it('GIVEN carol clicks Regenerate THEN a second sheet on the same theme appears, written with her', async () => {
		const carol = rig.double.user('carol');
		const tracker = await (await carol.click(sheet, 'Regenerate')).reply();
		expect(tracker.id).not.toBe(sheet.id);
		const second = await rig.double
			.channel('general')
			.waitForMessage((m) => m.id === tracker.id && m.buttons.includes('Regenerate'), { timeout: 10_000 });
		expect(second.text).toContain('Version 1 about a rainy harbour town');
		expect(second.text).toContain(`written with <@${carol.id}>`);
	});

	it('GIVEN the provider refuses the request THEN the message says why and no empty fields are sent', async () => {
		rig.fake.inject('credits', { on: 'submit' });
		const form = await (await rig.double.user('alice').runSlash('lyrics')).modal();
		const submitted = await form.submit({ theme: 'a lighthouse' });
		const failed = await rig.double
			.channel('general')
			.waitForMessage((m) => m.id === submitted.record.originalMessageId && m.text.includes('Failed'));
		expect(failed.text).toContain('New lyrics');
		expect(failed.text).toContain('out of credits');
		expect(failed.text).not.toContain('Model');
	});

	it('GIVEN the lyrics fail after they were accepted THEN the sheet shows why, and Try again writes them', async () => {
		rig.fake.setOutcome('failure');
		const alice = rig.double.user('alice');
		const form = await (await alice.runSlash('lyrics')).modal();
		const tracker = await (await form.submit({ theme: 'a lost kite' })).reply();
		const failed = await rig.double
			.channel('general')
			.waitForMessage((m) => m.id === tracker.id && m.text.includes('Lyrics failed'), { timeout: 10_000 });
		expect(failed.text).toContain('a lost kite');
		expect(failed.buttons).toEqual(['Try again']);
		rig.fake.setOutcome('success');
		const retry = await (await alice.click(failed, 'Try again')).reply();
		const sheetAgain = await rig.double
			.channel('general')
			.waitForMessage((m) => m.id === retry.id && m.buttons.includes('Regenerate'), { timeout: 10_000 });
		expect(sheetAgain.text).toContain('Version 1 about a lost kite');
	});

	it('GIVEN a restart THEN the buttons of a revision still open the pre-filled song form', async () => {
		await rig.stopBot();
		await rig.restartBot();
		const form = await (await rig.double.user('alice').click(revision, 'Make a song')).modal({ timeout: 10_000 });
		expect(form.field('title').value).toBe('Harbour Lights');
		expect(form.field('lyrics').value).toBe('Lanterns swing on the quay');
	});
});

describe('/lyrics with a provider that writes two versions', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN two versions THEN both are on the sheet and the second has its own Make a song', async () => {
		const alice = rig.double.user('alice');
		const sheet = await writeLyrics(rig, alice, 'night trains');
		expect(sheet.embeds).toHaveLength(2);
		expect(sheet.text).toContain('Version 1 about night trains');
		expect(sheet.text).toContain('Version 2 about night trains');
		expect(sheet.buttons).toEqual(['Make a song (v1)', 'Edit (v1)', 'Regenerate', 'Make a song (v2)', 'Edit (v2)']);
		const form = await (await rig.double.user('bob').click(sheet, 'Make a song (v2)')).modal();
		expect(form.field('title').value).toBe('Lyrics 2');
		expect(form.field('lyrics').value).toContain('Version 2 about night trains');
	});
});

describe('/lyrics with a provider that cannot write lyrics', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'v1music' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN /lyrics THEN the user is told kindly, privately, and offered /song instead', async () => {
		const alice = rig.double.user('alice');
		const reply = await (await alice.runSlash('lyrics')).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain('cannot write lyrics');
		expect(reply.text).toContain('/song');
		expect(rig.double.channel('general').messages).toEqual([]);
	});
});
