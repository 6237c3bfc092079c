import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openDescribeForm, openSandbox, type SandboxPage, switchUser } from './page-rig.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.ts';
import { zhCN } from '../../src/i18n/zh-CN.ts';

/**
 * Issue 15's and 16's proof on the sandbox's page, as a person sees it: the vote poll that follows a song's two
 * takes (and votes in it), a /song refused by the word filter (set by the server owner from the page) whose "Fix and
 * try again" reopens the form with everything typed, and a member whose Discord speaks Chinese seeing the commands,
 * the /song form and a reply in Chinese. Pictures go to test-artifacts/: sandbox-poll.png, sandbox-fix-refused.png,
 * sandbox-fix-form.png, sandbox-zh-CN-form.png and sandbox-zh-CN.png.
 */

let rig: SandboxPage | undefined;
let page: Page;

beforeAll(async () => {
	rig = await openSandbox({ stepMs: 300, family: 'newapi', viewport: { width: 1280, height: 900 } });
	page = rig.page;
	// A step that never comes names its locator, well within the test's own time.
	page.setDefaultTimeout(10_000);
	mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
	await rig?.close();
});

describe('the sandbox page shows the vote poll, Fix and try again, and a member in Chinese', () => {
	it('GIVEN a song with both takes in WHEN alice, bob and carol vote and the poll ends THEN the page shows its question, answers, votes, time left and winner', async () => {
		await openDescribeForm(page);
		await page.locator('#modal [data-field="description"]').fill('a folk song about a lighthouse keeper');
		await page.locator('#modal [data-field="title"]').fill('Beacon');
		await page.locator('#modal-submit').click();

		const poll = page.locator('.sb-poll');
		await poll.waitFor({ timeout: 40_000 });
		expect(await page.locator('discord-message', { has: poll }).count()).toBe(1);
		expect(await poll.locator('.sb-poll-question').textContent()).toBe(en['votes.question']);
		const answers = poll.locator('.sb-poll-answer');
		const texts = await answers.allTextContents();
		expect(texts).toHaveLength(2);
		for (const text of texts) expect(text).toContain('Beacon');
		expect(new Set(texts).size).toBe(2);
		expect(await poll.locator('.sb-poll-status').textContent()).toMatch(/^0 votes · \d+[dhm] left$/);

		await answers.nth(1).click();
		await expect.poll(() => answers.nth(1).getAttribute('data-votes')).toBe('1');
		await expect.poll(() => answers.nth(1).getAttribute('class')).toContain('voted');
		await switchUser(page, 'bob');
		await page.locator('.sb-poll .sb-poll-answer').first().click();
		await expect.poll(() => page.locator('.sb-poll .sb-poll-status').textContent()).toMatch(/^2 votes/);
		const counts = await page.locator('.sb-poll .sb-poll-count').allTextContents();
		expect(counts).toEqual(['1 · 50%', '1 · 50%']);
		await switchUser(page, 'carol');
		await page.locator('.sb-poll .sb-poll-answer').nth(1).click();
		await expect.poll(() => page.locator('.sb-poll .sb-poll-count').allTextContents()).toEqual(['1 · 33%', '2 · 67%']);
		await page.locator('.sb-poll').screenshot({ path: join(ARTIFACTS, 'sandbox-poll.png') });

		// The end, as it comes after the poll's hours: final results on the poll and Discord's line naming the winner.
		await page.locator('.sb-poll .sb-poll-end').click();
		await expect.poll(() => page.locator('.sb-poll .sb-poll-status').textContent()).toBe('3 votes · Poll closed');
		const result = page.locator('.sb-poll-result');
		await result.waitFor();
		expect(await result.textContent()).toContain(`won with 2 votes (67%)`);
		expect(await result.textContent()).toContain(texts[1]);
		await expect(page.locator('.sb-poll .sb-poll-answer').first().isDisabled()).resolves.toBe(true);
		await switchUser(page, 'alice');
	}, 60_000);

	it('GIVEN a word filter WHEN alice writes it in her /song THEN "Fix and try again" reopens the form with everything she typed', async () => {
		await switchUser(page, 'server-owner');
		await page.locator('#composer-input').fill('/songbot');
		await page.locator('#command-menu li[data-command="songbot"]').click();
		await page.locator('[data-subcommand]').selectOption('filter');
		await page.locator('[data-option="add"]').fill('lighthouse');
		await page.locator('#command-run').click();
		await page.locator('discord-message[ephemeral]', { hasText: 'lighthouse' }).waitFor({ timeout: 10_000 });
		await switchUser(page, 'alice');

		await openDescribeForm(page);
		const description = 'a sea shanty about the night the lighthouse went dark';
		await page.locator('#modal [data-field="description"]').fill(description);
		await page.locator('#modal [data-field="title"]').fill('Dark Beacon');
		await page.locator('#modal-submit').click();

		const fix = page.locator(`discord-button[data-label="${en['fix.button']}"]`);
		const refusal = page.locator('discord-message[ephemeral]', { has: fix });
		await refusal.waitFor({ timeout: 10_000 });
		expect(await refusal.innerText()).toContain('lighthouse');
		await page.screenshot({ path: join(ARTIFACTS, 'sandbox-fix-refused.png') });
		await fix.click();
		await page.locator('#modal [data-field="description"]').waitFor();
		await expect(page.locator('#modal [data-field="description"]').inputValue()).resolves.toBe(description);
		await expect(page.locator('#modal [data-field="title"]').inputValue()).resolves.toBe('Dark Beacon');
		await page.screenshot({ path: join(ARTIFACTS, 'sandbox-fix-form.png') });
		await page.locator('#modal-cancel').click();
		await page.locator('#modal').waitFor({ state: 'hidden' });
	}, 30_000);

	it('GIVEN carol switches her Discord to 中文 THEN the command menu, the /song form and the bot’s reply to her are in Chinese', async () => {
		await switchUser(page, 'carol');
		await page.locator('#locale-switcher').selectOption('zh-CN');
		await expect.poll(() => page.locator('#locale-switcher').inputValue()).toBe('zh-CN');

		await page.locator('#composer-input').fill('/');
		const song = page.locator('#command-menu li[data-command="song"]');
		await expect.poll(() => song.innerText()).toContain(zhCN['cmd.song.desc']);
		expect(await song.locator('strong').textContent()).toBe(`/${zhCN['cmd.song.name']}`);
		await song.click();
		// The options too: their names and choices as her client shows them.
		const mode = page.locator('#command-form label', { has: page.locator('[data-option="mode"]') });
		expect(await mode.locator('span').textContent()).toBe(zhCN['cmd.song.mode.name']);
		expect(await mode.locator('select').innerText()).toContain(zhCN['cmd.song.mode.describe']);
		await page.locator('[data-option="mode"]').selectOption('describe');
		await page.locator('#command-run').click();
		const form = page.locator('#modal');
		await form.locator('[data-field="description"]').waitFor();
		expect(await form.locator('h2').textContent()).toBe(zhCN['form.describe_title']);
		expect(await form.innerText()).toContain(zhCN['form.description']);
		await form.screenshot({ path: join(ARTIFACTS, 'sandbox-zh-CN-form.png') });
		await page.locator('#modal-cancel').click();
		await form.waitFor({ state: 'hidden' });

		await page.locator('#composer-input').fill('/queue');
		await page.locator('#command-menu li[data-command="queue"]').click();
		const run = page.locator('#command-run');
		if (await run.isVisible()) await run.click();
		const reply = page.locator('discord-message[ephemeral]', { hasText: zhCN['queue.nothing_playing'] });
		await reply.waitFor({ timeout: 10_000 });
		await page.screenshot({ path: join(ARTIFACTS, 'sandbox-zh-CN.png') });

		// Only carol's client changed: alice still reads English.
		await switchUser(page, 'alice');
		await expect.poll(() => page.locator('#locale-switcher').inputValue()).toBe('en-US');
	}, 30_000);
});
