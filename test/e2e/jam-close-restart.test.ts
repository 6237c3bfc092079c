import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView } from '../doubles/discord/index.ts';
import { type KillRig, startKillRig } from './kill-rig.ts';

/** Long enough to kill the bot while Discord holds its request (which then succeeds without it seeing the answer). */
const HELD_MS = 1_200;
const isCard = (m: MessageView) => m.fromBot && m.text.includes('the jam is over');

/**
 * The bot SIGKILLed in the middle of closing a jam (the real bot as a child process, one SQLite store): started
 * again, it finishes the close where it stopped, with exactly one final card. Jams close 5 s after their last
 * change; a dead process's hold on a close lapses after LEASE_MS (1 s here).
 */
describe('/jam closing across a crash', () => {
	let rig: KillRig;

	beforeAll(async () => {
		rig = await startKillRig({ JAM_IDLE_SEC: '5', LEASE_MS: '1000' });
	}, 60_000);
	afterAll(async () => {
		await rig?.close();
	});

	async function openJam(title: string): Promise<{ thread: ChannelHandle; sheetId: string }> {
		const starter = await (
			await rig.double.user('alice').runSlash('jam', { title, theme: 'the sea', style: 'shanty' })
		).reply();
		const threadOf = () => rig.double.guild.channels.find((c) => c.id === starter.id);
		await expect.poll(threadOf, { timeout: 10_000 }).toBeDefined();
		const thread = threadOf() as ChannelHandle;
		const sheet = await thread.waitForMessage((m) => m.fromBot && m.buttons.includes('Make it'));
		return { thread, sheetId: sheet.id };
	}

	/** Holds the bot's requests on `route` in `thread` at Discord, kills the bot while one is held, starts it again. */
	async function killDuring(route: string, thread: ChannelHandle): Promise<void> {
		const since = Date.now();
		rig.double.rateLimits.latency(route, HELD_MS);
		const held = await rig.inFlight(route, since, (r) => r.path.includes(`/channels/${thread.id}`));
		await sleep(200);
		await rig.kill();
		// Discord finishes the request without the bot.
		while (held.status === 0) await sleep(10);
		rig.double.rateLimits.clearFaults();
		await rig.start();
	}

	async function closedOnce({ thread, sheetId }: { thread: ChannelHandle; sheetId: string }): Promise<void> {
		await expect.poll(() => thread.thread, { timeout: 20_000 }).toMatchObject({ archived: true, locked: true });
		expect(thread.messages.filter(isCard)).toHaveLength(1);
		expect(thread.messages.find((m) => m.id === sheetId)?.buttons).toEqual([]);
	}

	it('GIVEN the bot killed while Discord holds the final card’s post THEN the restarted bot finds that card and finishes: one card, archived and locked', async () => {
		const jam = await openJam('Night Ferry');
		await killDuring('POST /channels/:channel/messages', jam.thread);
		await closedOnce(jam);
	}, 60_000);

	it('GIVEN the bot killed while Discord holds the thread’s archiving THEN the restarted bot archives it and posts no second card', async () => {
		const jam = await openJam('Dawn Harbour');
		await killDuring('PATCH /channels/:channel', jam.thread);
		// The held archiving reached Discord; the restarted bot, not knowing, archives again, after the card step.
		const archiving = () =>
			rig.double.requests.filter(
				(r) => r.route === 'PATCH /channels/:channel' && r.path.endsWith(`/channels/${jam.thread.id}`),
			);
		await expect.poll(() => archiving().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
		await closedOnce(jam);
	}, 60_000);
});
