import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openSandbox, ROOT, type SandboxPage } from './page-rig.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The whole /song form in the sandbox's page, as a person uses it: `/song` with no option opens one form with a radio
 * group and a model select (the sandbox's family-A provider covers no audio, so there is no upload), the person picks
 * "My lyrics" and another model, and the song is made. The form is saved as test-artifacts/song-form.png.
 */

const SCREENSHOT = join(ROOT, 'test-artifacts', 'song-form.png');

let rig: SandboxPage | undefined;
let page: Page;

beforeAll(async () => {
	rig = await openSandbox({ stepMs: 300, family: 'newapi', viewport: { width: 1280, height: 900 } });
	page = rig.page;
}, 60_000);

afterAll(async () => {
	await rig?.close();
});

describe('the whole /song form in the sandbox', () => {
	it('GIVEN /song with no option THEN the page shows the radio group and the model select, and the picks make the song', async () => {
		await page.locator('#composer-input').fill('/so');
		await page.locator('#command-menu li[data-command="song"]').waitFor();
		await page.keyboard.press('Enter');
		await page.locator('#command-run').click();

		const how = page.locator('#modal [data-field="how"]');
		await how.waitFor();
		await expect(how.locator('input[type="radio"]:checked').getAttribute('value')).resolves.toBe('describe:any');
		await how.locator('label', { hasText: 'My lyrics' }).click();
		await page.locator('#modal [data-field="words"]').fill('[Verse]\nNeon on the rain\n[Chorus]\nDrive all night');
		await page.locator('#modal [data-field="style"]').fill('synthwave');
		const model = page.locator('#modal select[data-field="model"]');
		const picked = await model.inputValue();
		expect(picked).not.toBe('');
		mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
		await page.locator('#modal').screenshot({ path: SCREENSHOT });
		await page.locator('#modal-submit').click();

		// One message per song since the song card: both takes are on it.
		const takes = page.locator('discord-message', { has: page.locator('discord-audio-attachment') });
		await expect.poll(() => takes.locator('discord-audio-attachment').count(), { timeout: 40_000 }).toBe(2);
		expect(await takes.count()).toBe(1);
		await expect(takes.first().locator('discord-embed').getAttribute('embed-title')).resolves.toContain(
			'Neon on the rain',
		);
	}, 60_000);
});
