import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView, UserHandle } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { waitForMessage } from './song-steps.ts';

/** Takes a message holds: a song card carries all of its takes' files. */
const takesOn = (m: MessageView) => (m.fromBot ? m.attachments.filter((a) => a.filename.endsWith('.mp3')).length : 0);

/**
 * A jam as a server lives it: alice opens /jam, the thread holds the sheet; alice, bob and carol write sections
 * through the form (section type picked in a select), one edit is undone, the history shows who did what; a poll
 * on the suggested styles picks the style; the bot restarts in the middle; bob makes the song, carol the next part
 * with the section written since, bob the full song; the takes credit all three; after a quiet period the jam
 * closes itself with a final card (writers by section) and the thread is archived and locked.
 * Family A reseller mode, so the provider can join parts (concat).
 */
describe('/jam end to end', () => {
	let rig: Rig;
	let general: ChannelHandle;
	let thread: ChannelHandle;
	let sheetId: string;
	let alice: UserHandle;
	let bob: UserHandle;
	let carol: UserHandle;

	beforeAll(async () => {
		rig = await startRig({
			provider: { family: 'newapi', mode: 'reseller' },
			double: { users: ['alice', 'bob', 'carol'] },
		});
		general = rig.double.channel('general');
		[alice, bob, carol] = [rig.double.user('alice'), rig.double.user('bob'), rig.double.user('carol')];
	}, 30_000);
	afterAll(async () => {
		await rig?.close();
	});

	const sheet = () => thread.messages.find((m) => m.id === sheetId) as MessageView;
	/** Waits until the sheet shows `text`. */
	const sheetShows = (text: string) => waitForMessage(thread, sheetId, (m) => m.text.includes(text));

	async function addSection(user: UserHandle, type: string, text: string): Promise<MessageView> {
		const modal = await (await user.click(sheet(), 'Add section')).modal();
		expect(modal.field('type').options.map((o) => o.value)).toContain(type);
		await (await modal.submit({ type: [type], text })).response();
		return sheetShows(text);
	}

	it('GIVEN /jam WHEN alice opens one THEN a short starter message gets a thread holding the sheet', async () => {
		const starter = await (
			await alice.runSlash('jam', { title: 'Harbour Lights', theme: 'a night at the harbour', style: 'sea shanty' })
		).reply();
		expect(starter.text).toContain('started a jam: **\u2068Harbour Lights\u2069**');
		// The thread is started from the starter message (so it has the message's id) once the reply is out.
		const threadOf = () => rig.double.guild.channels.find((c) => c.id === starter.id);
		await expect.poll(threadOf, { timeout: 5_000 }).toBeDefined();
		thread = threadOf() as ChannelHandle;
		expect(thread.thread).toMatchObject({ parentId: general.id, archived: false, locked: false });
		const [first] = await thread.waitFor((ms) => ms.some((m) => m.fromBot && m.text.includes('Harbour Lights')));
		sheetId = (first as MessageView).id;
		// Whoever starts a jam is added to its thread (so Discord lists it for them) before the sheet is posted.
		expect(thread.thread?.members).toContain(alice.id);
		expect(sheet().text).toContain('Press **Add section**');
		expect(sheet().buttons).toContain('Make it');
	});

	it('GIVEN the sheet WHEN three members write, one edits and undoes THEN the sheet is edited in place with writers and a history', async () => {
		await addSection(alice, 'verse', 'Lanterns swing on the old stone pier');
		await addSection(bob, 'chorus', 'Harbour lights, bring us home');
		await addSection(carol, 'bridge', 'The fog rolls in, the bells ring out');
		// Still one sheet message in the thread: edited in place.
		expect(thread.messages.filter((m) => m.fromBot && m.text.includes('Harbour Lights'))).toHaveLength(1);
		expect(sheet().text).toContain(`by <@${bob.id}>`);

		const modal = await (await carol.select(sheet(), 'Edit a section…', [pickValue('2. Chorus')])).modal();
		expect(modal.field('text').value).toBe('Harbour lights, bring us home');
		await (await modal.submit({ type: ['chorus'], text: 'Harbour lights, lead us home' })).response();
		await sheetShows('lead us home');
		expect(sheet().text).toContain(`by <@${bob.id}> and <@${carol.id}>`);

		await (await alice.click(sheet(), 'Undo last change')).response();
		const undone = await sheetShows('bring us home');
		expect(undone.text).not.toContain('lead us home');

		const history = await (await bob.click(sheet(), 'History')).reply();
		expect(history.text).toContain(`<@${carol.id}> edited the chorus (undone)`);
		expect(history.text).toContain(`<@${alice.id}> undid a change to the chorus`);
		expect(history.text).toContain(`<@${bob.id}> added the chorus`);
	});

	it('GIVEN suggested styles WHEN the style poll ends THEN its winner is the jam’s style', async () => {
		const few = await (await bob.click(sheet(), 'Style poll')).reply();
		expect(few.text).toContain('Suggest at least one more style');
		for (const [user, style] of [
			[bob, 'synthwave'],
			[carol, 'lo-fi'],
		] as const) {
			const form = await (await user.click(sheet(), 'Suggest a style')).modal();
			await (await form.submit({ style })).response();
		}
		await sheetShows('synthwave · lo\\-fi');
		await (await alice.click(sheet(), 'Style poll')).response();
		const [poll] = (await thread.waitFor((ms) => ms.some((m) => m.poll))).filter((m) => m.poll);
		expect(poll?.poll?.question).toBe('Which style for the jam?');
		expect(poll?.poll?.answers.map((a) => a.text)).toEqual(['sea shanty', 'synthwave', 'lo-fi']);
		bob.vote(poll as MessageView, 'synthwave');
		carol.vote(poll as MessageView, 'synthwave');
		alice.vote(poll as MessageView, 'lo-fi');
		rig.double.endPoll(poll as MessageView);
		await thread.waitFor((ms) => ms.some((m) => m.text.includes('The style poll picked **\u2068synthwave\u2069**')), {
			timeout: 10_000,
		});
		expect((await sheetShows('Style: synthwave')).text).not.toContain('Style: sea shanty');
	});

	it('GIVEN a restart WHEN bob and carol press Make it at once THEN one song sings the sheet in the chosen style, charged to whoever started it, and its takes credit every writer', async () => {
		await rig.stopBot();
		await rig.restartBot();
		const clicks = await Promise.all([bob.click(sheet(), 'Make it'), carol.click(sheet(), 'Make it')]);
		const replies = await Promise.all(clicks.map((c) => c.reply()));
		const started = replies.filter((r) => !r.ephemeral);
		expect(started).toHaveLength(1);
		const maker = replies[0]?.ephemeral ? carol : bob;
		// The other press is refused: the song is being started, or its part is already sung.
		expect(replies.find((r) => r.ephemeral)?.text).toMatch(/starting this jam’s song|Write a new section first/);
		expect(started[0]?.channelId).toBe(thread.id);
		const takes = await takesIn(2);
		expect(rig.fake.requestsOf('music')).toHaveLength(1);
		const [generate] = rig.fake.requestsOf('music');
		expect(JSON.stringify(generate?.body)).toContain('synthwave');
		expect(JSON.stringify(generate?.body)).toContain('[Verse]\\nLanterns swing on the old stone pier');
		expect(takes[0]?.text).toContain(`asked by <@${maker.id}>`);
		expect(takes[0]?.text).toContain(`lyrics by <@${alice.id}>, <@${bob.id}> and <@${carol.id}>`);
		await sheetShows('Part 1: sections 1, 2, 3');
		// Counted against the daily limit of the member who pressed the button.
		const saved = await rig.app.ctx.store.getValue<{ parts: { taskId: string }[] }>(`jam:${thread.id}`);
		expect(saved?.parts).toHaveLength(1);
		const part = await rig.app.ctx.store.getTask(saved?.parts[0]?.taskId ?? '');
		expect(part?.charge?.userId).toBe(maker.id);
		expect(part?.requester.userId).toBe(maker.id);
	});

	it('GIVEN take 2 wins the thread’s vote and a new section WHEN carol presses Next part and bob Full song THEN take 2 is extended with it and the parts are joined', async () => {
		// The vote on the takes (src/discord/votes.ts) runs in the thread too; its winner is the chosen take.
		const isTakePoll = (m: MessageView) => m.poll?.question === 'Which take wins?';
		const takePoll = (await thread.waitFor((ms) => ms.some(isTakePoll), { timeout: 10_000 })).find(isTakePoll);
		const saved = await rig.app.ctx.store.getValue<{ parts: { taskId: string }[] }>(`jam:${thread.id}`);
		const firstPart = saved?.parts[0]?.taskId ?? '';
		// Polls last an hour; this one ends at once, so first the bot must have noted it as open.
		await expect.poll(() => rig.app.ctx.store.getValue<string[]>('polls:open')).toContain(firstPart);
		carol.vote(takePoll as MessageView, 2);
		rig.double.endPoll(takePoll as MessageView);
		await expect
			.poll(async () => (await rig.app.ctx.store.getTask(firstPart))?.votes?.winner, { timeout: 10_000 })
			.toBe(2);
		const take2 = (await rig.app.ctx.store.getTask(firstPart))?.clips.find((c) => c.take === 2);

		await addSection(alice, 'outro', 'And we sail before the dawn');
		await (await carol.click(sheet(), 'Next part')).reply();
		await takesIn(4);
		const extend = rig.fake.requestsOf('music')[1];
		expect(extend?.body).toMatchObject({ task: 'extend', continue_clip_id: take2?.id });
		const body = JSON.stringify(extend?.body);
		expect(body).toContain('And we sail before the dawn');
		expect(body).not.toContain('Lanterns swing');
		await sheetShows('Part 2: sections 4');

		await (await bob.click(sheet(), 'Full song')).reply();
		const all = await takesIn(5);
		expect(rig.fake.requestsOf('concat')).toHaveLength(1);
		expect(all.at(-1)?.text).toContain(`lyrics by <@${alice.id}>, <@${bob.id}> and <@${carol.id}>`);
		await sheetShows('Full song on its way');

		// The library shows the jam as one song with its parts.
		await expect
			.poll(async () => (await (await alice.runSlash('songs')).reply()).text, { timeout: 10_000 })
			.toContain(`🎸 jam in <#${thread.id}>: [part 1](`);
		const library = (await (await alice.runSlash('songs')).reply()).text;
		// One entry for the whole jam (named by its newest piece, e.g. "Harbour Lights (full song)").
		expect(library.match(/Harbour Lights[^\n*]*\u2069\*\*/g)).toHaveLength(1);
		expect(library).toMatch(/\[part 2\]\(https:\/\/discord\.com\/channels\/.+\) · \[Full song\]\(/);
	});

	it('GIVEN no activity for the configured time THEN the jam closes: a final card with writers by section, the thread archived and locked', async () => {
		await rig.stopBot();
		await rig.restartBot({ JAM_IDLE_SEC: '1' });
		const final = (
			await thread.waitFor((ms) => ms.some((m) => m.text.includes('the jam is over')), { timeout: 15_000 })
		).find((m) => m.text.includes('the jam is over')) as MessageView;
		// carol's edit of the chorus was undone: the chorus is bob's alone.
		expect(final.text).toContain(`2. Chorus: <@${bob.id}>\n`);
		expect(final.text).toContain(`4. Outro: <@${alice.id}>`);
		expect(final.text).toContain('Part 1');
		expect(final.text).toContain('Full song');
		await expect.poll(() => thread.thread, { timeout: 10_000 }).toMatchObject({ archived: true, locked: true });
		expect(sheet().buttons).toEqual([]);
		expect(() => alice.send(thread, 'one more verse?')).toThrow(/locked/);
	});

	it('GIVEN songs are made only in #songs WHEN alice opens a jam in #general THEN she is told where, and no thread is opened', async () => {
		const owner = rig.double.user('server-owner');
		await (await owner.runSlash('songbot channels', { add: 'songs' })).reply();
		const threadsBefore = rig.double.guild.channels.filter((c) => c.thread).length;
		const refused = await (
			await alice.runSlash('jam', { title: 'Wrong Place', theme: 'anything', style: 'pop' }, { channel: 'general' })
		).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain(`Songs are made in <#${rig.double.channel('songs').id}> on this server`);
		expect(rig.double.guild.channels.filter((c) => c.thread)).toHaveLength(threadsBefore);
		await (await owner.runSlash('songbot channels', { clear: true })).reply();
	});

	function pickValue(label: string): string {
		const menu = sheet().controls.find((c) => c.kind === 'select');
		const option = menu?.options.find((o) => o.label.startsWith(label));
		if (!option) throw new Error(`no option ${label}`);
		return option.value;
	}

	/** The song cards in the thread once they hold `count` takes in all. */
	async function takesIn(count: number): Promise<MessageView[]> {
		const total = (ms: MessageView[]) => ms.reduce((n, m) => n + takesOn(m), 0);
		const all = await thread.waitFor((ms) => total(ms) >= count, { timeout: 20_000 });
		return all.filter((m) => takesOn(m) > 0);
	}
});
