import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openDescribeForm, openSandbox, type SandboxPage } from './page-rig.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The studio tools in the sandbox (issue 17): `npm run sandbox` simulates a family-B provider by default, so a take
 * on the page has the 🎛️ Studio button and its tools work there, as a person clicks them in Debian's Chromium.
 */

let rig: SandboxPage | undefined;
let page: Page;

beforeAll(async () => {
	rig = await openSandbox({ stepMs: 500, viewport: { width: 1280, height: 1400 } });
	page = rig.page;
}, 60_000);

afterAll(async () => {
	await rig?.close();
});

describe('npm run sandbox: the studio tools', () => {
	it('GIVEN a song made on the page WHEN alice clicks Studio then Split THEN the vocals and the instrumental are posted with players', async () => {
		await openDescribeForm(page);
		await page.locator('#modal [data-field="description"]').fill('a folk song about a lighthouse keeper');
		await page.locator('#modal [data-field="title"]').fill('Lamp Light');
		await page.locator('#modal-submit').click();

		const card = page.locator('discord-message', { has: page.locator('discord-audio-attachment') }).first();
		await expect.poll(() => card.locator('discord-audio-attachment').count(), { timeout: 30_000 }).toBe(2);

		// Family B has the studio: one 🎛️ Studio button per take opens the tools for the clicker alone.
		await card.locator('discord-button[data-label="Studio"]').first().click();
		const split = page.locator('discord-button[data-label="Split"]').last();
		await split.waitFor({ timeout: 15_000 });
		for (const tool of ['WAV', 'Video'])
			await expect(page.locator(`discord-button[data-label="${tool}"]`).count()).resolves.toBeGreaterThan(0);
		await split.click();

		// Each part is a message of its own with its player, named by the part.
		const part = (name: string) =>
			page.locator('discord-message', { hasText: `🎚️ ${name}`, has: page.locator('discord-audio-attachment') });
		await part('vocals').first().waitFor({ timeout: 30_000 });
		await part('instrumental').first().waitFor({ timeout: 30_000 });
		await page.locator('discord-message', { hasText: 'Done: the parts are below' }).first().waitFor();

		await page.locator('#scroller').evaluate((scroller) => {
			scroller.scrollTop = scroller.scrollHeight;
		});
		mkdirSync(ARTIFACTS, { recursive: true });
		await page.screenshot({ path: join(ARTIFACTS, 'sandbox-studio-split.png') });
	}, 90_000);

	it('GIVEN that song WHEN alice makes its WAV and its music video THEN the WAV is posted and the video is linked on the song card', async () => {
		const card = page.locator('discord-message', { has: page.locator('discord-audio-attachment') }).first();
		await card.locator('discord-button[data-label="Studio"]').first().click();
		const wav = page.locator('discord-button[data-label="WAV"]').last();
		await wav.waitFor({ timeout: 15_000 });
		await wav.click();
		await page.locator('discord-message', { hasText: 'Done: the WAV is below' }).first().waitFor({ timeout: 30_000 });
		await page.locator('discord-message', { hasText: '.wav' }).first().waitFor({ timeout: 15_000 });

		await card.locator('discord-button[data-label="Studio"]').first().click();
		const video = page.locator('discord-button[data-label="Video"]').last();
		await video.waitFor({ timeout: 15_000 });
		await video.click();
		await page.locator('discord-message', { hasText: 'linked on the song card' }).first().waitFor({ timeout: 30_000 });
		const link = card.locator('a', { hasText: 'Watch the music video' });
		await link.first().waitFor({ timeout: 15_000 });
		await expect(link.first().getAttribute('href')).resolves.toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*mp4/);
		await card.screenshot({ path: join(ARTIFACTS, 'sandbox-studio-video.png') });
	}, 90_000);

	it('GIVEN that song WHEN alice fixes a section with new words THEN a new take is made', async () => {
		const cards = page.locator('discord-message', { has: page.locator('discord-audio-attachment') });
		const before = await cards.count();
		await cards.first().locator('discord-button[data-label="Studio"]').first().click();
		const fix = page.locator('discord-button[data-label="Fix a section"]').last();
		await fix.waitFor({ timeout: 15_000 });
		await fix.click();
		// The take's timed lyrics become a menu of sections; picking one opens the form for its new words.
		const menu = page.locator('select.sb-select').last();
		await menu.waitFor({ timeout: 15_000 });
		const first = await menu.locator('option').nth(1).getAttribute('value');
		await menu.selectOption(first ?? '');
		const words = page.locator('#modal textarea, #modal [data-field]').first();
		await words.waitFor({ timeout: 15_000 });
		await words.fill('the lamp burns on through the storm tonight');
		await page.locator('#modal-submit').click();
		await expect.poll(() => cards.count(), { timeout: 40_000 }).toBeGreaterThan(before);
		// A take of its own, with its player and its Play button, like any song's.
		const fixed = cards.last();
		await fixed.locator('discord-button[data-label="Play"]').first().waitFor({ timeout: 15_000 });
		expect(await fixed.locator('discord-audio-attachment').count()).toBeGreaterThan(0);
	}, 90_000);
});
