import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The whole /song form in the sandbox's page, as a person uses it: `/song` with no option opens one form with a radio
 * group and a model select (the sandbox's family-A provider covers no audio, so there is no upload), the person picks
 * "My lyrics" and another model, and the song is made. The form is saved as test-artifacts/song-form.png.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const SCREENSHOT = join(ROOT, 'test-artifacts', 'song-form.png');

let sandbox: ChildProcess | undefined;
let context: BrowserContext | undefined;
let page: Page;
const profile = mkdtempSync(join(tmpdir(), 'sandbox-form-chromium-'));

function startSandbox(): Promise<string> {
	let output = '';
	return new Promise((resolve, reject) => {
		// Family A, as this walk-through was written for (a described song keeps its title there; family B drops it).
		const args = [
			'--import',
			'./bin/check-node.js',
			'sandbox/main.ts',
			'--port',
			'0',
			'--step-ms',
			'300',
			'--family',
			'newapi',
		];
		const child = spawn(process.execPath, args, {
			cwd: ROOT,
			env: { ...process.env, COOLDOWN_SEC: '0' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		sandbox = child;
		const timer = setTimeout(() => reject(new Error(`the sandbox printed no URL in 30 s:\n${output}`)), 30_000);
		const read = (chunk: Buffer) => {
			output += chunk.toString();
			const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
			if (url) {
				clearTimeout(timer);
				resolve(url);
			}
		};
		child.stdout.on('data', read);
		child.stderr.on('data', read);
		child.on('exit', (code) => reject(new Error(`the sandbox exited with ${code}:\n${output}`)));
	});
}

beforeAll(async () => {
	if (!existsSync(CHROMIUM))
		throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
	const url = await startSandbox();
	context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1280, height: 900 },
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
	});
	page = context.pages()[0] ?? (await context.newPage());
	await page.goto(`${url}/?user=alice`);
	await page.locator('#connection', { hasText: 'live' }).waitFor();
}, 60_000);

afterAll(async () => {
	await context?.close();
	if (sandbox && sandbox.exitCode === null) {
		const exited = new Promise((resolve) => sandbox?.once('exit', resolve));
		sandbox.kill('SIGINT');
		await exited;
	}
	rmSync(profile, { recursive: true, force: true });
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
