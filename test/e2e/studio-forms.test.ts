import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import { waitForMessage, waitForTakes } from './song-steps.ts';
import { aTake, clickTool } from './studio-steps.ts';

/**
 * The studio's forms on the Discord double (issue 17): boost style, fix a section, house singer. Your own audio's form
 * is /own-audio's, in own-audio.test.ts.
 */

describe('✨ Boost style in the /song flow (family B)', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN /song with boost_style WHEN alice picks Use it THEN the song is made in the boosted style, not before', async () => {
		const alice = rig.double.user('alice');
		const slash = await alice.runSlash('song', { mode: 'custom', boost_style: true });
		const offer = await (
			await (await slash.modal()).submit({ lyrics: '[Verse]\nNeon rain', style: 'sad synthwave', title: 'Neon' })
		).reply();
		expect(offer.ephemeral).toBe(true);
		expect(offer.text).toContain('Boosted style');
		expect(offer.buttons).toEqual(['Use it', 'Edit', 'Keep mine']);
		const boosted = (rig.fake.requestsOf('boost')[0]?.body as { content: string }).content;
		expect(boosted).toBe('sad synthwave');
		expect(rig.fake.requestsOf('generate')).toHaveLength(0);

		const tracker = await (await alice.click(offer, 'Use it')).reply();
		await waitForTakes(rig.double.channel('general'), tracker.id);
		const sent = rig.fake.requestsOf('generate')[0]?.body as { style: string; title: string };
		expect(sent.style).toMatch(/^sad synthwave, .{20,}/);
		expect(offer.text).toContain(sent.style.slice(0, 40));
		expect(sent.title).toBe('Neon');
	});

	it('GIVEN the boosted style WHEN bob picks Edit THEN the form reopens with it and everything he typed', async () => {
		const bob = rig.double.user('bob');
		const slash = await bob.runSlash('song', { mode: 'custom', boost_style: true });
		const offer = await (
			await (await slash.modal()).submit({ lyrics: '[Verse]\nSea foam', style: 'folk', title: 'Shore' })
		).reply();
		const form = await (await bob.click(offer, 'Edit')).modal();
		expect(form.field('style').value).toMatch(/^folk, /);
		expect(form.field('lyrics').value).toBe('[Verse]\nSea foam');
		expect(form.field('title').value).toBe('Shore');
		const before = rig.fake.requestsOf('generate').length;
		const tracker = await (await form.submit({ style: 'folk, whistling' })).reply();
		await waitForTakes(rig.double.channel('general'), tracker.id);
		expect(rig.fake.requestsOf('generate')[before]?.body).toMatchObject({ style: 'folk, whistling', title: 'Shore' });
	});

	it('GIVEN family A THEN /song offers no boost_style option', async () => {
		const other = await startRig({ provider: { family: 'newapi' } });
		try {
			const options = (c: (typeof other.double.commands)[number]) => (c.options ?? []) as { name: string }[];
			const song = other.double.commands.find((c) => c.name === 'song');
			expect(song && options(song).map((o) => o.name)).toContain('mode');
			expect(song && options(song).map((o) => o.name)).not.toContain('boost_style');
			const here = rig.double.commands.find((c) => c.name === 'song');
			expect(here && options(here).map((o) => o.name)).toContain('boost_style');
		} finally {
			await other.close();
		}
	});
});

describe('Fix a section on the song card (family B)', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a take WHEN bob picks a section from its timed lyrics and writes new words THEN a new song replaces only that part', async () => {
		const channel = rig.double.channel('general');
		const take = await aTake(rig, 'a song to fix');
		const bob = rig.double.user('bob');
		const menu = await (await clickTool(bob, take, 'Fix a section')).reply();
		expect(menu.ephemeral).toBe(true);
		expect(rig.fake.requestsOf('timestamps')).toHaveLength(1);
		const select = menu.controls.find((c) => c.kind === 'select')!;
		// The fake's take 1 is 12 s: two lines of 6 s each, both at most half the take.
		expect(select.options.map((o) => o.label)).toEqual([
			'0:00–0:06 · A fake little song',
			'0:06–0:12 · played all night long',
		]);
		const form = await (await bob.select(menu, select.customId!, [select.options[1]!.value])).modal();
		expect(form.field('words').value).toBe('played all night long');
		const tracker = await (await form.submit({ words: 'sung again all night long', style: 'folk' })).reply();
		const takes = await waitForTakes(channel, tracker.id);
		expect(takes).toHaveLength(2);
		expect(rig.fake.requestsOf('replace')[0]?.body).toMatchObject({
			infillStartS: 6,
			infillEndS: 12,
			prompt: 'sung again all night long',
			tags: 'folk',
			// The song's own title, as its requester typed it (the fake named it otherwise).
			title: 'a song to fix',
		});
		expect(takes[0]?.text).toContain(`remixed by <@${bob.id}>`);
	});
});

describe('House singer (family B)', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a take WHEN the admin makes its voice the house singer THEN /song sings with it; members may not choose it', async () => {
		const take = await aTake(rig, 'a voice to keep');
		const refused = await (await clickTool(rig.double.user('bob'), take, 'House singer')).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('Only admins');

		const owner = rig.double.user('server-owner');
		const form = await (await clickTool(owner, take, 'House singer')).modal();
		expect(form.field('from').value).toBe('0:00');
		expect(form.field('to').value).toBe('0:12');
		const made = await (await form.submit({ name: 'Nova', description: 'airy pop voice' })).reply();
		expect(made.text).toContain("**\u2068Nova\u2069** is now this server's house singer");
		const persona = rig.fake.requestsOf('persona')[0]?.body as Record<string, unknown>;
		expect(persona).toMatchObject({ name: 'Nova', vocalStart: 0, vocalEnd: 12 });

		const alice = rig.double.user('alice');
		const describe = await alice.runSlash('song', { mode: 'describe', voice: 'h' });
		expect((await describe.reply()).text).toContain('house singer sings lyrics');
		const slash = await alice.runSlash('song', { mode: 'custom', voice: 'h' });
		const tracker = await (
			await (await slash.modal()).submit({ lyrics: '[Verse]\nHello Nova', style: 'pop', title: 'Nova sings' })
		).reply();
		await waitForTakes(rig.double.channel('general'), tracker.id);
		const sent = rig.fake.requestsOf('generate').at(-1)?.body as Record<string, unknown>;
		expect(sent.personaId).toMatch(/^[0-9a-f]{32}$/);
		// The card says who sings it.
		const card = await waitForMessage(rig.double.channel('general'), tracker.id, (m) => m.text.includes('Done'));
		expect(card.text).toContain('· 🎤 house singer');
		expect(sent).toMatchObject({ title: 'Nova sings', customMode: true });
	});
});
