import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InteractionHandle, MessageView, UserHandle } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { takesIn } from './song-steps.ts';

/**
 * Issue 15, "Forms": every form refused before anything is sent answers with "Fix and try again", which reopens the
 * same form with everything typed. The word filter ("gloom") refuses each one here; the fixed form is then made.
 */

describe('Fix and try again on every form, end to end', () => {
	let rig: Rig;
	let alice: UserHandle;
	let take: MessageView;
	let sheet: MessageView;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' }, double: { users: ['alice', 'server-owner'] } });
		alice = rig.double.user('alice');
		const form = await (await alice.runSlash('song', { mode: 'custom' })).modal();
		await form.submit({ lyrics: '[Verse]\nWhiskers in the sun', style: 'synthpop', title: 'Cat Nap' });
		const all = await rig.double.channel('general').waitFor((ms) => takesIn(ms).length === 2, { timeout: 20_000 });
		take = takesIn(all)[0] as MessageView;
		const theme = await (await alice.runSlash('lyrics')).modal();
		const tracker = await (await theme.submit({ theme: 'a rainy harbour town' })).reply();
		sheet = await rig.double
			.channel('general')
			.waitForMessage((m) => m.id === tracker.id && m.buttons.includes('Regenerate'), { timeout: 10_000 });
		await (await rig.double.user('server-owner').runSlash('songbot filter', { add: 'gloom' })).reply();
	}, 40_000);
	afterAll(async () => {
		await rig?.close();
	});

	/** Submits, expects the private refusal with its button, and clicks it: resolves with the reopened form. */
	async function refusedThenReopened(submitted: InteractionHandle, says: string) {
		const refused = await submitted.reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain(says);
		expect(refused.buttons).toEqual(['Fix and try again']);
		return (await alice.click(refused, 'Fix and try again')).modal();
	}

	it('GIVEN a refused Extend form THEN Fix and try again reopens it with the time, lyrics and style typed, and the fixed one is made', async () => {
		const extensions = rig.fake.requestsOf('extend').length;
		const form = await (await alice.click(take, 'Extend')).modal();
		const typed = { at: '0:05', lyrics: '[Bridge]\nThe gloom lifts', style: 'synthpop, brass' };
		const again = await refusedThenReopened(await form.submit(typed), '“gloom” in the lyrics');
		expect(again.field('at').value).toBe(typed.at);
		expect(again.field('lyrics').value).toBe(typed.lyrics);
		expect(again.field('style').value).toBe(typed.style);
		// A time outside the take is refused the same way, and keeps the words too.
		const late = await refusedThenReopened(
			await again.submit({ at: '9:59', lyrics: '[Bridge]\nThe sun' }),
			'Continue from',
		);
		expect(late.field('lyrics').value).toBe('[Bridge]\nThe sun');
		expect(rig.fake.requestsOf('extend')).toHaveLength(extensions);
		const made = await (await late.submit({ at: '0:05' })).reply();
		expect(made.ephemeral).toBe(false);
		await vi.waitFor(() => expect(rig.fake.requestsOf('extend')).toHaveLength(extensions + 1), { timeout: 10_000 });
	});

	it('GIVEN a refused Remix form THEN Fix and try again reopens it with the new style, lyrics and title typed', async () => {
		const form = await (await alice.click(take, 'Remix')).modal();
		const typed = { style: 'gloom folk', lyrics: '[Verse]\nWhiskers in the rain', title: 'Cat Nap (rain)' };
		const again = await refusedThenReopened(await form.submit(typed), '“gloom” in the style');
		expect(again.field('style').value).toBe(typed.style);
		expect(again.field('lyrics').value).toBe(typed.lyrics);
		expect(again.field('title').value).toBe(typed.title);
		const made = await (await again.submit({ style: 'sunny folk' })).reply();
		expect(made.ephemeral).toBe(false);
		expect(made.text).toContain('remix');
	});

	it('GIVEN a refused /lyrics theme THEN Fix and try again reopens it with the theme typed', async () => {
		const form = await (await alice.runSlash('lyrics')).modal();
		const again = await refusedThenReopened(await form.submit({ theme: 'gloom over the harbour' }), '“gloom”');
		expect(again.field('theme').value).toBe('gloom over the harbour');
		const made = await (await again.submit({ theme: 'sun over the harbour' })).reply();
		expect(made.ephemeral).toBe(false);
	});

	it('GIVEN a refused Make a song form from a sheet THEN Fix and try again reopens it with the style and edited lyrics', async () => {
		const form = await (await alice.click(sheet, 'Make a song (v1)')).modal();
		const typed = { style: 'gloom pop', lyrics: '[Verse]\nLanterns on the quay' };
		const again = await refusedThenReopened(await form.submit(typed), '“gloom” in the style');
		expect(again.field('style').value).toBe(typed.style);
		expect(again.field('lyrics').value).toBe(typed.lyrics);
		expect(again.field('title').value).toBe(form.field('title').value);
		const made = await (await again.submit({ style: 'sea shanty' })).reply();
		expect(made.ephemeral).toBe(false);
	});

	it('GIVEN a refused Edit of a sheet THEN Fix and try again reopens it with the lyrics typed', async () => {
		const form = await (await alice.click(sheet, 'Edit (v1)')).modal();
		const again = await refusedThenReopened(await form.submit({ lyrics: 'Gloom on the quay' }), '“gloom”');
		expect(again.field('lyrics').value).toBe('Gloom on the quay');
		const revised = await (await again.submit({ lyrics: 'Lights on the quay' })).reply();
		expect(revised.ephemeral).toBe(false);
		expect(revised.text).toContain('Lights on the quay');
	});

	it('GIVEN a refused /own-audio form THEN Fix and try again reopens it with the style, title and lyrics typed, the file to pick again', async () => {
		const form = await (await alice.runSlash('own-audio', { what: 'add_vocals' })).modal();
		const beat = {
			name: 'beat.mp3',
			bytes: readFileSync(join(import.meta.dirname, '..', 'fixtures', 'audio', 'take-1.mp3')),
		};
		const typed = { style: 'soul', title: 'Harbour Soul', lyrics: '[Verse]\nGloom on the quay\n\n[Chorus]\nStay' };
		const again = await refusedThenReopened(await form.submit({ file: [beat], ...typed }), '“gloom” in the lyrics');
		expect(again.customId).toBe(form.customId);
		expect(again.field('lyrics').value).toBe(typed.lyrics);
		expect(again.field('title').value).toBe(typed.title);
		expect(again.field('file').description).toContain('Pick the file again');
		const made = await (await again.submit({ file: [beat], lyrics: '[Verse]\nLights on the quay' })).reply();
		expect(made.ephemeral).toBe(false);
		await vi.waitFor(() => expect(rig.fake.requestsOf('add-vocals')).toHaveLength(1), { timeout: 10_000 });
		expect(rig.fake.requestsOf('add-vocals')[0]?.body).toMatchObject({
			title: 'Harbour Soul',
			prompt: '[Verse]\nLights on the quay',
		});
	});

	it('GIVEN a remix the provider refuses when it is sent THEN the failed message offers Change and try again, reopening the remix form as typed', async () => {
		rig.fake.inject('content_policy', { on: 'submit' });
		const form = await (await alice.click(take, 'Remix')).modal();
		const typed = { style: 'dark folk', lyrics: '[Verse]\nWhiskers at midnight', title: 'Cat Nap (midnight)' };
		const tracker = await (await form.submit(typed)).reply();
		const failed = await rig.double
			.channel('general')
			.waitForMessage((m) => m.id === tracker.id && m.text.includes('Failed'), { timeout: 10_000 });
		expect(failed.buttons).toContain('Change and try again');
		// Only alice typed it: someone else is told so instead of getting her words.
		const other = await (await rig.double.user('server-owner').click(failed, 'Change and try again')).reply();
		expect(other.text).toContain('Only the person who filled in this form');
		const again = await (await alice.click(failed, 'Change and try again')).modal();
		expect(again.customId).toBe(form.customId);
		expect(again.field('style').value).toBe(typed.style);
		expect(again.field('lyrics').value).toBe(typed.lyrics);
		expect(again.field('title').value).toBe(typed.title);
	});
});
