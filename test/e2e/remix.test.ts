import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { pingsOf, readyPings, takesIn } from './song-steps.ts';

/** Alice makes a song in lyrics mode; resolves with its two takes once both are in the channel. */
async function song(rig: Rig, title: string, model?: string): Promise<MessageView[]> {
	const slash = await rig.double.user('alice').runSlash('song', { mode: 'custom', ...(model ? { model } : {}) });
	await (await slash.modal()).submit({ lyrics: '[Verse]\nWhiskers in the sun', style: 'synthpop', title });
	const ofSong = (m: MessageView) => m.content.includes(`**\u2068${title}`);
	const all = await rig.double
		.channel('general')
		.waitFor((ms) => takesIn(ms).filter(ofSong).length === 2, { timeout: 20_000 });
	return takesIn(all).filter(ofSong);
}

/** Waits for two takes whose text contains `marker`. */
async function takesWith(rig: Rig, marker: string): Promise<MessageView[]> {
	const match = (m: MessageView) => m.text.includes(marker) && m.text.includes('Done');
	const all = await rig.double
		.channel('general')
		.waitFor((ms) => takesIn(ms).filter(match).length >= 2, { timeout: 20_000 });
	return takesIn(all).filter(match);
}

describe('Remix on a provider with covers (family B)', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a take WHEN bob remixes it in a new style THEN its audio is covered and the takes say "remix of" with both credits', async () => {
		const [first] = await song(rig, 'Cat Nap', 'v5');
		const bob = rig.double.user('bob');
		const modal = await (await bob.click(first!, 'Remix')).modal();
		expect(modal.field('title').value).toBe('Cat Nap');
		expect(modal.field('style').value).toBe('synthpop');
		expect(modal.field('lyrics').value).toContain('Whiskers in the sun');

		const tracker = await (await modal.submit({ style: 'acoustic folk', title: 'Cat Nap (folk)' })).reply();
		expect(tracker.text).toContain('remix');
		const takes = await takesWith(rig, 'remix of *\u2068Cat Nap\u2069*');
		for (const take of takes) {
			expect(take.text).toContain(`asked by <@${rig.double.user('alice').id}>`);
			expect(take.text).toContain(`remixed by <@${bob.id}>`);
		}
		// bob asked for the remix: he is told once; alice is credited, not pinged.
		expect(pingsOf([tracker, ...readyPings(rig.double.channel('general').messages, tracker.id)])).toEqual({
			users: [bob.id],
			roles: [],
			everyone: 0,
		});
		const cover = rig.fake.requestsOf('cover').at(-1)!.body as Record<string, unknown>;
		// The melody comes from the take itself: its audio is what the provider covers, in the take's model.
		const clipId = first!.controls.find((c) => c.label === 'Remix')!.customId!.split(':')[3];
		expect(String(cover.uploadUrl)).toContain(`${clipId}.mp3`);
		expect(cover).toMatchObject({ style: 'acoustic folk', title: 'Cat Nap (folk)', model: 'V5', customMode: true });
	});
});

describe('Remix on a provider without covers (family A)', () => {
	let rig: Rig;
	let takes: MessageView[];
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'newapi' } });
		takes = await song(rig, 'Cat Nap');
	}, 30_000);
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a take WHEN bob remixes it THEN a new song is made from the edited lyrics and style, recorded as a remix', async () => {
		const second = takes[1];
		const bob = rig.double.user('bob');
		const modal = await (await bob.click(second!, 'Remix')).modal();
		expect(modal.field('style').value).toBe('synthpop');
		await modal.submit({ style: 'sea shanty', lyrics: '[Verse]\nWhiskers on the waves', title: 'Cat Ahoy' });
		const remixes = await takesWith(rig, 'remix of *\u2068Cat Nap\u2069*');
		expect(remixes[0]!.content).toContain('**\u2068Cat Ahoy');
		expect(remixes[0]!.text).toContain(`remixed by <@${bob.id}>`);
		const music = rig.fake.requestsOf('music').at(-1)!.body as Record<string, unknown>;
		expect(music).toMatchObject({ prompt: '[Verse]\nWhiskers on the waves', tags: 'sea shanty', title: 'Cat Ahoy' });
		expect(music.continue_clip_id).toBeUndefined();
	});

	it('GIVEN a remix form WHEN the lyrics are cleared THEN the remix is an instrumental', async () => {
		const before = rig.fake.requestsOf('music').length;
		const modal = await (await rig.double.user('bob').click(takes[0]!, 'Remix')).modal();
		const tracker = await (await modal.submit({ lyrics: '', style: 'ambient piano' })).reply();
		expect(tracker.text).toContain('remix, instrumental');
		// The tracker message is posted before the request goes out.
		await vi.waitFor(() => expect(rig.fake.requestsOf('music')).toHaveLength(before + 1));
		expect(rig.fake.requestsOf('music').at(-1)!.body).toMatchObject({ make_instrumental: true, tags: 'ambient piano' });
	});

	it('GIVEN a remix form WHEN the style is emptied THEN a clear ephemeral error and nothing is sent', async () => {
		const before = rig.fake.requestsOf('music').length;
		const modal = await (await rig.double.user('bob').click(takes[0]!, 'Remix')).modal();
		// The style field is required in the form; a style of only spaces gets past Discord but not the bot.
		const reply = await (await modal.submit({ style: '   ' })).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain('Give the remix a style');
		expect(rig.fake.requestsOf('music')).toHaveLength(before);
	});
});
