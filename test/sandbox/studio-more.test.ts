import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openSandboxHere, type SandboxPage, switchUser } from './page-rig.ts';
import type { Sandbox } from '../../sandbox/sandbox.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The rest of the studio in the sandbox (issue 17: "the sandbox offers every tool on its simulated provider"): ✨ Boost
 * style in /song, the House singer an admin makes from a take, /own-audio with a file picked in its form's upload, and
 * Karaoke in the page's voice channel, clicked in Debian's Chromium. The sandbox runs in this process so the test also reads what reached its simulated
 * provider, as an operator reads their provider's dashboard.
 */

let rig: (SandboxPage & { sandbox: Sandbox }) | undefined;
let page: Page;
let provider: Sandbox['provider'];
const files = mkdtempSync(join(tmpdir(), 'sandbox-own-audio-'));

beforeAll(async () => {
	rig = await openSandboxHere({ stepMs: 400, viewport: { width: 1280, height: 1400 } });
	({ page } = rig);
	provider = rig.sandbox.provider;
}, 60_000);

afterAll(async () => {
	await rig?.close();
	rmSync(files, { recursive: true, force: true });
});

/** Picks a command in the message box and fills its options (menus by value, files from disk, text typed). */
async function command(name: string, options: Record<string, string>): Promise<void> {
	await page.locator('#composer-input').fill(`/${name.slice(0, 3)}`);
	await page.locator(`#command-menu li[data-command="${name}"]`).waitFor();
	await page.locator(`#command-menu li[data-command="${name}"]`).click();
	for (const [option, value] of Object.entries(options)) {
		const field = page.locator(`#command-form [data-option="${option}"]`);
		const kind = await field.evaluate((el) => `${el.tagName}:${el.getAttribute('type') ?? ''}`);
		if (kind === 'SELECT:') await field.selectOption(value);
		else if (kind === 'INPUT:file') await field.setInputFiles(value);
		else await field.fill(value);
	}
	await page.locator('#command-run').click();
}

/** Fills the open form's fields (a file upload with a file from disk) and sends it. */
async function submitForm(fields: Record<string, string>): Promise<void> {
	for (const [field, value] of Object.entries(fields)) {
		const input = page.locator(`#modal [data-field="${field}"]`);
		await input.waitFor();
		if ((await input.getAttribute('type')) === 'file') await input.setInputFiles(value);
		else await input.fill(value);
	}
	await page.locator('#modal-submit').click();
}

/** The song card with this title once both takes are on it. */
async function finishedCard(title: string) {
	const card = page.locator('discord-message', {
		has: page.locator(`discord-embed[embed-title*="${title}"]`),
	});
	await expect.poll(() => card.locator('discord-audio-attachment').count(), { timeout: 30_000 }).toBe(2);
	return card.first();
}

const bodiesOf = (op: string) => provider.requestsOf(op).map((r) => r.body as Record<string, unknown>);

/** A real audio file made by ffmpeg: a sine tone, or silence (quick to make at any length). */
function audioFile(name: string, source: string, seconds: number): string {
	const path = join(files, name);
	execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', source, '-t', `${seconds}`, '-b:a', '32k', path]);
	return path;
}

describe('npm run sandbox: boost style, house singer, your own audio and karaoke', () => {
	it('GIVEN /song with boost_style WHEN alice sees the boosted style, opens Edit, then clicks Use it THEN the song is made with the boosted style', async () => {
		await command('song', { mode: 'custom', boost_style: 'true' });
		const lyrics = '[Verse]\nEmpty road and a rising sun\n[Chorus]\nDrive on';
		await submitForm({ lyrics, style: 'dreamy synthwave', title: 'Dawn Road' });

		// Nothing is made before the choice: the offer shows the boosted style next to the person's own.
		const offer = page.locator('discord-message', { hasText: 'Boosted style' }).last();
		await offer.waitFor({ timeout: 15_000 });
		await expect(offer.textContent()).resolves.toContain('dreamy synthwave, layered arrangement');
		expect(provider.requestsOf('generate')).toHaveLength(0);
		await offer.screenshot({ path: join(mkdirArtifacts(), 'sandbox-studio-boost.png') });

		// Edit reopens the form with the boosted style in it; closing it keeps the choice open.
		await offer.locator('discord-button[data-label="Edit"]').click();
		const style = page.locator('#modal [data-field="style"]');
		await style.waitFor({ timeout: 15_000 });
		await expect(style.inputValue()).resolves.toMatch(/^dreamy synthwave, layered arrangement/);
		await expect(page.locator('#modal [data-field="lyrics"]').inputValue()).resolves.toBe(lyrics);
		await page.locator('#modal-cancel').click();

		await offer.locator('discord-button[data-label="Use it"]').click();
		const card = await finishedCard('Dawn Road');
		await expect(card.textContent()).resolves.toContain('dreamy synthwave, layered arrangement');
		const [sent] = bodiesOf('generate');
		expect(String(sent?.style)).toMatch(/^dreamy synthwave, layered arrangement, warm analog synths/);
	}, 90_000);

	it('GIVEN no house singer yet WHEN the owner makes one from a take with Studio → House singer THEN /song offers the house singer and a song made with it carries the persona', async () => {
		await command('song', { mode: 'custom', voice: 'h' });
		await page.locator('discord-message', { hasText: 'no house singer yet' }).last().waitFor({ timeout: 15_000 });

		await switchUser(page, 'server-owner');
		await command('song', { mode: 'custom' });
		await submitForm({ lyrics: '[Verse]\nSalt on the window\nLight on the sea', style: 'folk', title: 'Harbour' });
		const card = await finishedCard('Harbour');
		await card.locator('discord-button[data-label="Studio"]').first().click();
		const singer = page.locator('discord-button[data-label="House singer"]').last();
		await singer.waitFor({ timeout: 15_000 });
		await singer.click();
		// The window is filled in from the take (0:00 to at most 30 s later): the admin names the voice and sends it.
		await expect(page.locator('#modal [data-field="from"]').inputValue()).resolves.toBe('0:00');
		await submitForm({ name: 'Nova', description: 'a warm alto with a little rasp' });
		const made = page.locator('discord-message', { hasText: 'is now this server' }).last();
		await made.waitFor({ timeout: 15_000 });
		await expect(made.textContent()).resolves.toContain('Nova');
		// The persona is learnt from the take the owner clicked, over a 10 to 30 s window.
		const [asked] = bodiesOf('persona');
		const harbour = [...provider.tasks.values()].find((task) => task.request.title === 'Harbour');
		expect(harbour?.clips[0]?.id).toBe(asked?.audioId);
		const window = Number(asked?.vocalEnd) - Number(asked?.vocalStart);
		expect(window >= 10 && window <= 30).toBe(true);

		await page.locator('#composer-input').fill('/son');
		await page.locator('#command-menu li[data-command="song"]').click();
		await expect(page.locator('[data-option="voice"] option[value="h"]').textContent()).resolves.toBe('house singer');
		await page.locator('#command-cancel').click();
		await command('song', { mode: 'custom', voice: 'h' });
		await submitForm({ lyrics: '[Verse]\nNova sings the harbour home', style: 'folk ballad', title: 'Homecoming' });
		await finishedCard('Homecoming');
		const sung = bodiesOf('generate').find((b) => b.title === 'Homecoming');
		expect(sung?.personaId).toMatch(/^[0-9a-f]{32}$/);
		// Only the song sung by the house singer carries it.
		expect(bodiesOf('generate').find((b) => b.title === 'Harbour')?.personaId).toBeUndefined();
		await page.locator('#scroller').evaluate((scroller) => {
			scroller.scrollTop = scroller.scrollHeight;
		});
		await page.screenshot({ path: join(mkdirArtifacts(), 'sandbox-studio-singer.png') });
		await switchUser(page, 'alice');
	}, 120_000);

	it('GIVEN an mp3 picked in the /own-audio form WHEN alice covers it, adds vocals and adds an instrumental THEN each makes a song from the uploaded file', async () => {
		const tone = audioFile('hum.mp3', 'sine=frequency=440:sample_rate=44100', 6);
		const sung = '[Verse]\nHumming in the kitchen\n\n[Chorus]\nKettle sings along';
		const asks = [
			{ what: 'cover', form: { title: 'Hum Cover', style: 'lo-fi jazz' } },
			{ what: 'add_vocals', form: { title: 'Hum Sung', style: 'soul', lyrics: sung } },
			{ what: 'add_instrumental', form: { title: 'Hum Band', style: 'indie rock' } },
		];
		for (const ask of asks) {
			await command('own-audio', { what: ask.what });
			await submitForm({ file: tone, ...ask.form });
			await finishedCard(ask.form.title);
		}
		// Each way the provider has is offered in the command's menu.
		await page.locator('#composer-input').fill('/own');
		await page.locator('#command-menu li[data-command="own-audio"]').click();
		const offered = page.locator('#command-form [data-option="what"] option:not([value=""])');
		await expect(offered.allTextContents()).resolves.toHaveLength(3);
		await page.locator('#command-cancel').click();

		// What reached the provider is the file picked on the page, byte for byte, at the address it was given.
		const [cover] = bodiesOf('cover');
		const [vocals] = bodiesOf('add-vocals');
		const [band] = bodiesOf('add-instrumental');
		for (const body of [cover, vocals, band]) {
			const uploaded = await fetch(String(body?.uploadUrl));
			expect(Buffer.from(await uploaded.arrayBuffer()).equals(readFileSync(tone))).toBe(true);
		}
		// The words keep their lines, as typed in the form's paragraph.
		expect(vocals).toMatchObject({ title: 'Hum Sung', style: 'soul', prompt: sung });
		expect(band).toMatchObject({ title: 'Hum Band', tags: 'indie rock' });
		await page.locator('#scroller').evaluate((scroller) => {
			scroller.scrollTop = scroller.scrollHeight;
		});
		await page.screenshot({ path: join(mkdirArtifacts(), 'sandbox-studio-own-audio.png') });
	}, 120_000);

	it('GIVEN a file over 8 minutes WHEN alice picks it in the /own-audio form THEN it is refused with its length before anything is sent, with Fix and try again', async () => {
		const long = audioFile('long.mp3', 'anullsrc=r=8000:cl=mono', 8 * 60 + 5);
		const before = provider.requestsOf('submit').length;
		await command('own-audio', { what: 'cover' });
		await submitForm({ file: long, title: 'Too Long', style: 'pop' });
		const refusal = page.locator('discord-message', { hasText: 'the music provider takes at most 8:00' }).last();
		await refusal.waitFor({ timeout: 20_000 });
		await expect(refusal.textContent()).resolves.toContain('This file is 8:05 long');
		await expect(refusal.locator('discord-button[data-label="Fix and try again"]').count()).resolves.toBe(1);
		expect(provider.requestsOf('submit')).toHaveLength(before);
	}, 60_000);

	it('GIVEN alice in the voice channel WHEN she presses Studio → Karaoke on a take with no split THEN the split is made and karaoke starts by itself: the line being sung shows in bold and she hears the instrumental', async () => {
		const lines = [
			'Lanterns on the water',
			'waves against the pier',
			'sing it to the harbour',
			'till the boats are here',
		];
		await command('song', { mode: 'custom' });
		await submitForm({ lyrics: `[Verse]\n${lines.join('\n')}`, style: 'sea shanty', title: 'Lantern Song' });
		const card = await finishedCard('Lantern Song');
		await page.locator('#voice-join').click();
		await page.locator('#voice-members li[data-member="alice"]').waitFor();
		const splits = provider.requestsOf('split').length;

		await card.locator('discord-button[data-label="Studio"]').first().click();
		const karaoke = page.locator('discord-button[data-label="Karaoke"]').last();
		await karaoke.waitFor({ timeout: 15_000 });
		await karaoke.click();
		await page.locator('discord-message', { hasText: 'Karaoke starts in your voice channel' }).last().waitFor();

		// Nobody presses anything more: once the parts are posted, the player comes with the lyric lines.
		await page.locator('discord-message', { hasText: '🎚️ instrumental' }).last().waitFor({ timeout: 30_000 });
		const player = page.locator('discord-message', { hasText: '🎤' }).last();
		await player.waitFor({ timeout: 20_000 });
		await expect.poll(() => player.locator('strong').allTextContents(), { timeout: 10_000 }).toContain(lines[0]);
		const soundSent = () => page.locator('#voice-status').getAttribute('data-audio-sec').then(Number);
		await expect.poll(soundSent, { timeout: 15_000 }).toBeGreaterThan(1);
		// The line moves on with the voice.
		await expect
			.poll(() => player.locator('strong').allTextContents(), { timeout: 20_000 })
			.toEqual(
				expect.arrayContaining([
					expect.stringMatching(/waves against the pier|sing it to the harbour|till the boats are here/),
				]),
			);
		expect(provider.requestsOf('split')).toHaveLength(splits + 1);
		await page.locator('#scroller').evaluate((scroller) => {
			scroller.scrollTop = scroller.scrollHeight;
		});
		await player.screenshot({ path: join(mkdirArtifacts(), 'sandbox-studio-karaoke.png') });
		await player.locator('discord-button[data-label="Stop"]').click();
		await page.locator('#voice-join').click();
		await page.locator('#voice-join', { hasText: 'Join voice' }).waitFor();
	}, 120_000);
});

function mkdirArtifacts(): string {
	mkdirSync(ARTIFACTS, { recursive: true });
	return ARTIFACTS;
}
