import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The sandbox as a person uses it: `node --import ./bin/check-node.js sandbox/main.ts` (what `npm run sandbox`
 * runs) in its own process, and Debian's Chromium driving the playground page. Everything the test sees, it sees
 * on the page.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const SCREENSHOT = join(ROOT, 'test-artifacts', 'sandbox.png');

let sandbox: ChildProcess | undefined;
let output = '';
let context: BrowserContext | undefined;
let page: Page;
const profile = mkdtempSync(join(tmpdir(), 'sandbox-chromium-'));

/** Starts the sandbox on a free port with a fast timeline; resolves with the URL it prints. */
function startSandbox(): Promise<string> {
	return new Promise((resolve, reject) => {
		const args = ['--import', './bin/check-node.js', 'sandbox/main.ts', '--port', '0', '--step-ms', '600'];
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
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
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

/** Records every text the embeds show while a song is made, by reading the page every 100 ms. */
function recordEmbedTexts(): { seen: Set<string>; stop(): void } {
	const seen = new Set<string>();
	let running = true;
	void (async () => {
		while (running && !page.isClosed()) {
			const texts = await page
				.locator('discord-embed-description')
				.allTextContents()
				.catch(() => []);
			for (const text of texts) seen.add(text);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	})();
	return {
		seen,
		stop: () => {
			running = false;
		},
	};
}

/** What the test reads of a media element in the page (the root tsconfig has no DOM types). */
interface Media {
	duration: number;
	currentTime: number;
	preload: string;
	load(): void;
}

describe('npm run sandbox', () => {
	it('GIVEN the playground page WHEN alice runs /song and presses Play in voice THEN she sees the song made, hears the takes and the bot playing', async () => {
		const embeds = recordEmbedTexts();

		// The composer lists the commands the bot registered; /song asks for its mode, then shows the bot's modal.
		await page.locator('#composer-input').fill('/so');
		await page.locator('#command-menu li[data-command="song"]').waitFor();
		await page.keyboard.press('Enter');
		await page.locator('[data-option="mode"]').selectOption('describe');
		await page.locator('#command-run').click();
		const description = page.locator('#modal [data-field="description"]');
		await description.waitFor();
		await description.fill('a lo-fi song about a sleepy cat on a rainy sunday');
		await page.locator('#modal [data-field="title"]').fill('Cat Nap');
		await page.locator('#modal-submit').click();

		// The tracker message shows the song on its way, then done; both takes arrive with audio players.
		const takes = page.locator('discord-message', { has: page.locator('discord-audio-attachment') });
		await expect.poll(() => takes.count(), { timeout: 30_000 }).toBe(2);
		await page.locator('discord-embed-description', { hasText: 'Done' }).first().waitFor({ timeout: 15_000 });
		embeds.stop();
		const stages = [...embeds.seen];
		expect(stages.some((t) => /Queued|Sending|Writing lyrics|streaming|Finishing|First take/.test(t))).toBe(true);
		await expect(takes.first().locator('discord-embed').getAttribute('embed-title')).resolves.toBe('Cat Nap');

		// The players hold real audio made for this song: the browser reads a duration of tens of seconds.
		const durations = await page.locator('discord-audio-attachment').evaluateAll(async (players) =>
			Promise.all(
				players.map(async (player) => {
					const root = (player as unknown as { shadowRoot: { querySelector(s: string): Media | null } | null })
						.shadowRoot;
					const audio = root?.querySelector('audio');
					if (!audio) return 0;
					audio.preload = 'metadata';
					audio.load();
					for (let i = 0; i < 100 && !(audio.duration > 0); i++) await new Promise((r) => setTimeout(r, 100));
					return audio.duration;
				}),
			),
		);
		expect(durations).toHaveLength(2);
		for (const seconds of durations) expect(seconds).toBeGreaterThan(10);

		// Joining voice from the panel, then Play on the first take: the now-playing message and the sound arrive.
		await page.locator('#voice-join').click();
		await page.locator('#voice-members li[data-member="alice"]').waitFor();
		await takes.first().locator('discord-button[data-label="Play"]').click();
		await page.locator('discord-embed', { hasText: 'Now playing' }).waitFor({ timeout: 20_000 });
		await page.locator('#voice-members li[data-member="songbot"]').waitFor();
		const soundSent = () => page.locator('#voice-status').getAttribute('data-audio-sec').then(Number);
		await expect.poll(soundSent, { timeout: 15_000 }).toBeGreaterThan(1);
		const listened = () => page.locator('#voice-audio').evaluate((audio) => (audio as unknown as Media).currentTime);
		await expect.poll(listened, { timeout: 10_000 }).toBeGreaterThan(0.5);

		// Tall enough to show a take with its player and cover above the now-playing message.
		await page.setViewportSize({ width: 1280, height: 1800 });
		await page.locator('#scroller').evaluate((scroller) => {
			scroller.scrollTop = scroller.scrollHeight;
		});
		mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
		await page.screenshot({ path: SCREENSHOT });
	}, 60_000);
});
