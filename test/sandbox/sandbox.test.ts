import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openSandbox, ROOT, type SandboxPage } from './page-rig.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The sandbox as a person uses it: `node --import ./bin/check-node.js sandbox/main.ts` (what `npm run sandbox`
 * runs) in its own process, and Debian's Chromium driving the playground page. Everything the test sees, it sees
 * on the page.
 */

const SCREENSHOT = join(ARTIFACTS, 'sandbox.png');

let rig: SandboxPage | undefined;
let page: Page;

beforeAll(async () => {
	rig = await openSandbox({ stepMs: 600, family: 'newapi', viewport: { width: 1280, height: 900 } });
	page = rig.page;
}, 60_000);

afterAll(async () => {
	await rig?.close();
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

		// The tracker message shows the song on its way, then becomes its card: both takes with audio players on it.
		const takes = page.locator('discord-message', { has: page.locator('discord-audio-attachment') });
		await expect.poll(() => takes.locator('discord-audio-attachment').count(), { timeout: 30_000 }).toBe(2);
		expect(await takes.count()).toBe(1);
		await page.locator('discord-embed-description', { hasText: 'Done' }).first().waitFor({ timeout: 15_000 });
		embeds.stop();
		const stages = [...embeds.seen];
		expect(stages.some((t) => /Queued|Sending|Writing lyrics|streaming|Finishing|First take/.test(t))).toBe(true);
		await expect(takes.first().locator('discord-embed').getAttribute('embed-title')).resolves.toContain('Cat Nap');
		expect(await takes.first().innerText()).toContain('Cat Nap · take 1');
		// The ready reply links the card with a masked link, as Discord shows it: the words, not the address.
		const ready = page.locator('discord-message', { hasText: 'your song is ready' }).first();
		const jump = ready.locator('a', { hasText: 'Go to the song' });
		await expect(jump.getAttribute('href')).resolves.toMatch(/^https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+$/);
		expect(await ready.innerText()).not.toContain('https://');

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
		await takes.first().locator('discord-button[data-label="Play"]').first().click();
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
		// The player on its own, for the README.
		const nowPlaying = page.locator('discord-message', {
			has: page.locator('discord-embed[embed-title*="Now playing"]'),
		});
		await nowPlaying.last().screenshot({ path: join(ARTIFACTS, 'player.png') });
	}, 60_000);

	it('GIVEN the bot playing WHEN alice looks at the voice panel and switches users THEN the channel status shows the take and the sound goes on', async () => {
		await expect
			.poll(() => page.locator('#voice-channel-status').textContent(), { timeout: 10_000 })
			.toBe('🎵 Cat Nap · take 1 — by @Alice');
		const audio = () =>
			page.locator('#voice-audio').evaluate((a) => {
				const media = a as unknown as Media & { paused: boolean; src: string };
				return { playing: !media.paused && media.src !== '', at: media.currentTime };
			});
		const before = await audio();
		expect(before.playing).toBe(true);

		await page.locator('#user-switcher').selectOption('bob');
		await page.locator('#voice-join', { hasText: 'Join voice' }).waitFor();
		await expect.poll(async () => (await audio()).at, { timeout: 10_000 }).toBeGreaterThan(before.at + 0.5);
		expect((await audio()).playing).toBe(true);
		await expect(page.locator('#voice-status').getAttribute('data-state')).resolves.not.toBe('off');
		await page.locator('#user-switcher').selectOption('alice');
		await page.locator('#voice-join', { hasText: 'Leave voice' }).waitFor();
		expect((await audio()).playing).toBe(true);
	}, 30_000);

	it('GIVEN a take playing WHEN alice pauses and then stops THEN the pause deadline reads as relative time and the panel stops saying it plays', async () => {
		const player = page.locator('discord-message', { has: page.locator('discord-embed[embed-title*="Now playing"]') });
		await player.locator('discord-button[data-label="Pause"]').click();
		const deadline = page.locator('discord-embed-description time[data-style="R"]');
		await deadline.waitFor({ timeout: 10_000 });
		expect(await deadline.textContent()).toMatch(/^in \d+ minutes$/);

		await page.locator('discord-button[data-label="Stop"]').last().click();
		await page.locator('discord-embed', { hasText: 'Left the voice channel' }).waitFor({ timeout: 10_000 });
		await page.locator('#voice-members li[data-member="songbot"]').waitFor({ state: 'detached', timeout: 10_000 });
		await expect.poll(() => page.locator('#voice-status').getAttribute('data-state')).toBe('listening');
		expect(await page.locator('#voice-status').textContent()).not.toContain('is playing');
		await expect.poll(() => page.locator('#voice-channel-status').count()).toBe(0);
	}, 30_000);

	it('GIVEN the takes WHEN their players are shown THEN the file names keep their dot', async () => {
		const names = await page
			.locator('discord-audio-attachment')
			.evaluateAll((players) =>
				players.map(
					(p) =>
						(p as unknown as { shadowRoot: { querySelector(s: string): { textContent: string } | null } }).shadowRoot
							.querySelector('discord-link')
							?.textContent?.trim() ?? '',
				),
			);
		expect(names).toHaveLength(2);
		for (const name of names) expect(name).toMatch(/\.(mp3|m4a|ogg|wav)$/);
	});

	it('GIVEN alice and the server owner THEN each is offered only the commands they may use, as in Discord', async () => {
		const offered = async () => {
			await page.locator('#composer-input').fill('/');
			await page.locator('#command-menu li').first().waitFor();
			const names = await page
				.locator('#command-menu li')
				.evaluateAll((items) => items.map((i) => (i as unknown as { dataset: { command: string } }).dataset.command));
			await page.locator('#composer-input').fill('');
			return names;
		};
		const forAlice = await offered();
		expect(forAlice).toContain('song');
		expect(forAlice).not.toContain('songbot');
		await page.locator('#user-switcher').selectOption('server-owner');
		await page.locator('#connection', { hasText: 'live' }).waitFor();
		await expect.poll(offered).toContain('songbot');
		await page.locator('#user-switcher').selectOption('alice');
		await page.locator('#connection', { hasText: 'live' }).waitFor();
	});

	it('GIVEN alice scrolled up WHEN a reply only she can see arrives THEN a bar offers to jump to it', async () => {
		await page.setViewportSize({ width: 1280, height: 600 });
		await page.locator('discord-audio-attachment').first().waitFor();
		await page.locator('#scroller').evaluate((scroller) => {
			scroller.scrollTop = 0;
		});
		await page.locator('#composer-input').fill('/queue');
		await page.locator('#command-menu li[data-command="queue"]').waitFor();
		await page.keyboard.press('Enter');
		const run = page.locator('#command-run');
		if (await run.isVisible()) await run.click();
		const bar = page.locator('#jump-bar');
		await bar.waitFor({ state: 'visible', timeout: 10_000 });
		expect(await bar.textContent()).toContain('only you can see');
		mkdirSync(ARTIFACTS, { recursive: true });
		await page.screenshot({ path: join(ARTIFACTS, 'sandbox-jump-bar.png') });
		await bar.click();
		await bar.waitFor({ state: 'hidden' });
		const reply = page.locator('discord-message[ephemeral]', { hasText: 'Nothing is playing' });
		await expect.poll(() => reply.isVisible()).toBe(true);
		const atBottom = await page
			.locator('#scroller')
			.evaluate((s) => s.scrollHeight - s.scrollTop - s.clientHeight < 80);
		expect(atBottom).toBe(true);
	});

	it('GIVEN a phone 390 px wide THEN the page fits the screen and the message box stays usable', async () => {
		await page.setViewportSize({ width: 390, height: 844 });
		await page.locator('discord-audio-attachment').first().waitFor();
		const overflow = await page.evaluate(() => {
			const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document;
			return doc.documentElement.scrollWidth;
		});
		expect(overflow).toBeLessThanOrEqual(390);
		const box = await page.locator('#composer-input').boundingBox();
		expect(box).not.toBeNull();
		expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390).toBe(true);
		expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(844);
		const take = await page
			.locator('discord-message', { has: page.locator('discord-audio-attachment') })
			.first()
			.boundingBox();
		expect((take?.x ?? 0) + (take?.width ?? 0)).toBeLessThanOrEqual(390);
		await page.locator('#scroller').evaluate((scroller) => {
			scroller.scrollTop = scroller.scrollHeight;
		});
		await page.screenshot({ path: join(ARTIFACTS, 'sandbox-phone.png') });
	});
	it('GIVEN a song with a 1,000-character style and 3,000 characters of lyrics THEN no ids are on screen, the takes are named apart, and the full style is behind Details', async () => {
		await page.setViewportSize({ width: 1280, height: 800 });
		const style = 'warm analog synths, slow drums, night drive, '.repeat(25).slice(0, 1000);
		const lyrics = Array.from({ length: 75 }, (_, i) => `Line ${i + 1} of the road that never ends`)
			.join('\n')
			.padEnd(3000, ' la')
			.slice(0, 3000);
		await page.locator('#composer-input').fill('/so');
		await page.locator('#command-menu li[data-command="song"]').waitFor();
		await page.keyboard.press('Enter');
		await page.locator('[data-option="mode"]').selectOption('custom');
		await page.locator('#command-run').click();
		await page.locator('#modal [data-field="lyrics"]').waitFor();
		await page.locator('#modal [data-field="lyrics"]').fill(lyrics);
		await page.locator('#modal [data-field="style"]').fill(style);
		await page.locator('#modal [data-field="title"]').fill('Night Drive');
		await page.locator('#modal-submit').click();

		const ofSong = page.locator('discord-message', { has: page.locator('discord-embed[embed-title*="Night Drive"]') });
		const card = ofSong.filter({ hasText: 'Done' });
		const players = card.locator('discord-audio-attachment');
		await expect.poll(() => players.count(), { timeout: 30_000 }).toBe(2);
		await card.first().waitFor({ timeout: 15_000 });
		expect(await card.count()).toBe(1);

		// Takes told apart: each has a name of its own, on the card and on its file.
		const cardText = await card.first().innerText();
		expect(cardText).toContain('Night Drive · take 1');
		expect(cardText).toContain('Night Drive · take 2');
		const files = await players.evaluateAll((list) =>
			list.map((p) => (p as unknown as { getAttribute(n: string): string | null }).getAttribute('data-file')),
		);
		expect(new Set(files).size).toBe(2);

		// No internal ids on screen: no provider task or clip id, no delivery marker.
		const shown = (await ofSong.allInnerTexts()).join('\n');
		expect(shown).not.toMatch(/songbot:|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}|\btask[ _][0-9a-z]{6,}|[0-9a-f]{24,}/i);
		// Lyrics once, as a glimpse at most; the style as a short preview: the rest is behind Lyrics and Details.
		expect(shown).not.toContain('Line 20 of the road');
		expect(shown.split(style.slice(0, 60)).length - 1).toBeLessThanOrEqual(3);

		// The picture starts at the song's first message (the README's picture of a finished song).
		await ofSong
			.first()
			.evaluate((m) => (m as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
		mkdirSync(ARTIFACTS, { recursive: true });
		await page.screenshot({ path: join(ARTIFACTS, 'song-card.png') });

		// The full style is one click away, for whoever asks, and only for them.
		await card.first().locator('discord-button[data-label="Details"]').click();
		const details = page.locator('discord-message[ephemeral]', { hasText: 'Reference for the bot operator' });
		await details.waitFor({ timeout: 10_000 });
		expect((await details.innerText()).replace(/\s+/g, ' ')).toContain(style.trim().slice(-40).trim());
	}, 60_000);

	// Issue 15: the tracker message is the song card (both takes on it); the "ready" reply has no embed of its own.
	it('GIVEN that song THEN it takes one message and fits one screen at 1280×800', async () => {
		await page.setViewportSize({ width: 1280, height: 800 });
		const ofSong = page.locator('discord-message:not([ephemeral])', {
			has: page.locator('discord-embed[embed-title*="Night Drive"]'),
		});
		const boxes = await Promise.all((await ofSong.all()).map((m) => m.boundingBox()));
		const top = Math.min(...boxes.map((b) => b?.y ?? 0));
		const bottom = Math.max(...boxes.map((b) => (b?.y ?? 0) + (b?.height ?? 0)));
		const visible = await page.locator('#scroller').evaluate((s) => s.clientHeight);
		writeFileSync(
			join(ARTIFACTS, 'song-card.json'),
			JSON.stringify({ messages: boxes.length, heightPx: Math.round(bottom - top), visiblePx: visible }, null, 2),
		);
		expect(boxes).toHaveLength(1);
		expect(bottom - top).toBeLessThanOrEqual(visible);
	});

	it('GIVEN songs in the library WHEN alice opens /songs THEN the library is shown (picture for the README)', async () => {
		await page.setViewportSize({ width: 1280, height: 800 });
		await page.locator('#composer-input').fill('/songs');
		await page.locator('#command-menu li[data-command="songs"]').waitFor();
		await page.keyboard.press('Enter');
		const run = page.locator('#command-run');
		if (await run.isVisible()) await run.click();
		const library = page.locator('discord-message[ephemeral]', { hasText: 'Songs of this server' }).last();
		await library.waitFor({ timeout: 10_000 });
		expect(await library.innerText()).toContain('Night Drive');
		await library.screenshot({ path: join(ARTIFACTS, 'library.png') });
	}, 30_000);

	it('GIVEN /jam WHEN alice opens one and writes a verse THEN the thread is listed with the channels and shows the sheet with her section', async () => {
		await page.setViewportSize({ width: 1280, height: 900 });
		await page.locator('#composer-input').fill('/jam');
		await page.locator('#command-menu li[data-command="jam"]').waitFor();
		await page.keyboard.press('Enter');
		await page.locator('[data-option="title"]').fill('Harbour Lights');
		await page.locator('[data-option="theme"]').fill('a night at the harbour');
		await page.locator('[data-option="style"]').fill('sea shanty');
		await page.locator('#command-run').click();
		const thread = page.locator('#channels li[data-channel="🎸 Harbour Lights"]');
		await thread.waitFor({ timeout: 15_000 });
		await thread.click();
		await page.locator('#connection', { hasText: 'live' }).waitFor();
		await page.locator('discord-button[data-label="Add section"]').click();
		await page.locator('#modal [data-field="type"]').selectOption('verse');
		await page.locator('#modal [data-field="text"]').fill('Lanterns swing on the old stone pier');
		await page.locator('#modal-submit').click();
		await page
			.locator('discord-embed', { hasText: 'Lanterns swing on the old stone pier' })
			.waitFor({ timeout: 10_000 });
		mkdirSync(ARTIFACTS, { recursive: true });
		await page.screenshot({ path: join(ARTIFACTS, 'sandbox-jam.png') });
	});
});
