import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Rig, startRig } from './rig.ts';

/**
 * Issue 15: `/song` alone asks for everything in one form (Discord's Label, radio group, string select and file
 * upload components): the words, the style, describe or lyrics with the voice or instrumental, the model, and an
 * audio file to cover where the provider covers audio. The double submits it the way the Discord client does.
 */

const body = (rig: Rig, op: string) => rig.fake.requestsOf(op).at(-1)?.body as Record<string, unknown> | undefined;

describe('/song with no options, end to end (family B: voices, several models, covers)', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN /song alone THEN one form holds the words, style, how, model and an audio upload, five components', async () => {
		const form = await (await rig.double.user('alice').runSlash('song')).modal();
		expect(form.fields.map((f) => [f.customId, f.type])).toEqual([
			['words', 4],
			['style', 4],
			['how', 21],
			['model', 3],
			['audio', 19],
		]);
		expect(form.field('how').options.map((o) => o.value)).toEqual([
			'describe:any',
			'describe:f',
			'describe:m',
			'describe:inst',
			'custom:any',
			'custom:f',
			'custom:m',
		]);
		expect(form.field('how').options.find((o) => o.default)?.value).toBe('describe:any');
		expect(form.field('model').options.filter((o) => o.default)).toHaveLength(1);
		expect(form.field('audio').required).toBe(false);
	});

	it('GIVEN my lyrics, a female voice and another model picked THEN the provider gets exactly that, titled by the first line', async () => {
		const form = await (await rig.double.user('alice').runSlash('song')).modal();
		const other = form.field('model').options.find((o) => !o.default)?.value as string;
		const tracker = await (
			await form.submit({
				words: '[Verse]\nNeon on the rain\n[Chorus]\nDrive',
				style: 'synthwave',
				how: 'custom:f',
				model: other,
			})
		).reply();
		expect(tracker.ephemeral).toBe(false);
		await vi.waitFor(() => expect(body(rig, 'generate')?.prompt).toContain('Neon on the rain'), { timeout: 10_000 });
		expect(body(rig, 'generate')).toMatchObject({
			customMode: true,
			instrumental: false,
			style: 'synthwave',
			title: 'Neon on the rain',
			vocalGender: 'f',
		});
		// The select offers the names people use (v4); the provider gets its own spelling (V4).
		expect(body(rig, 'generate')?.model).toBe(other.toUpperCase());
	});

	it('GIVEN an audio file with lyrics THEN the file is covered in the style, titled by its name', async () => {
		const form = await (await rig.double.user('bob').runSlash('song')).modal();
		const tracker = await (
			await form.submit({
				words: '[Verse]\nHumming by the window',
				style: 'bossa nova',
				how: 'custom:any',
				audio: [{ name: 'window hum.mp3', bytes: Buffer.alloc(2048, 1) }],
			})
		).reply();
		expect(tracker.ephemeral).toBe(false);
		await vi.waitFor(() => expect(body(rig, 'cover')).toBeDefined(), { timeout: 10_000 });
		expect(body(rig, 'cover')).toMatchObject({ style: 'bossa nova', title: 'window hum', customMode: true });
		expect(String(body(rig, 'cover')?.uploadUrl)).toContain('window');
	});

	it('GIVEN my lyrics without a style THEN Fix and try again reopens the form with the words and choices kept', async () => {
		const carol = rig.double.user('server-owner');
		const form = await (await carol.runSlash('song')).modal();
		const other = form.field('model').options.find((o) => !o.default)?.value as string;
		const refused = await (await form.submit({ words: '[Verse]\nPaper boats', how: 'custom:m', model: other })).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('Give the song a style');
		const again = await (await carol.click(refused, 'Fix and try again')).modal();
		expect(again.field('words').value).toBe('[Verse]\nPaper boats');
		expect(again.field('how').options.find((o) => o.default)?.value).toBe('custom:m');
		expect(again.field('model').options.find((o) => o.default)?.value).toBe(other);
		const made = await (await again.submit({ style: 'sea shanty' })).reply();
		expect(made.ephemeral).toBe(false);
	});

	it('GIVEN words the server filters THEN Fix and try again reopens the whole form, choices kept', async () => {
		await (await rig.double.user('server-owner').runSlash('songbot filter', { add: 'gloom' })).reply();
		const bob = rig.double.user('bob');
		const form = await (await bob.runSlash('song')).modal();
		const refused = await (await form.submit({ words: 'a gloom ballad for a lighthouse', how: 'describe:m' })).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('“gloom”');
		const again = await (await bob.click(refused, 'Fix and try again')).modal();
		expect(again.customId).toBe(form.customId);
		expect(again.field('words').value).toBe('a gloom ballad for a lighthouse');
		expect(again.field('how').options.find((o) => o.default)?.value).toBe('describe:m');
	});
});

describe('/song with no options on a provider without covers or voices (family A)', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig();
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN /song alone THEN the form offers no audio upload and no voices, and a description is made as before', async () => {
		const form = await (await rig.double.user('alice').runSlash('song')).modal();
		expect(form.fields.map((f) => f.customId)).not.toContain('audio');
		expect(form.field('how').options.map((o) => o.value)).toEqual(['describe:any', 'describe:inst', 'custom:any']);
		const tracker = await (await form.submit({ words: 'a lullaby for a sleepy robot', how: 'describe:inst' })).reply();
		expect(tracker.ephemeral).toBe(false);
		await vi.waitFor(
			() => expect(JSON.stringify(rig.fake.requestsOf('submit').at(-1)?.body)).toContain('sleepy robot'),
			{ timeout: 10_000 },
		);
	});
});
