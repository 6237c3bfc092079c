import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';

const POST = 'POST /channels/:channel/messages';
const isCard = (m: MessageView) => m.fromBot && m.text.includes('the jam is over');

/**
 * A jam's close when Discord refuses a step: the close is retried on a later sweep and ends with one final card,
 * the sheet without buttons and the thread archived and locked; a thread the bot can no longer see, or one deleted,
 * ends the close without retrying it forever. Jams here close 3 s after their last change.
 */
describe('/jam closing when Discord refuses a step', () => {
	let rig: Rig;

	beforeAll(async () => {
		rig = await startRig({ double: { users: ['alice', 'bob'] }, env: { JAM_IDLE_SEC: '3' } });
	}, 30_000);
	afterAll(async () => {
		await rig?.close();
	});

	/** alice opens a jam in `channel`; resolves with its thread once the sheet is in it. */
	async function openJam(channel: string, title: string): Promise<{ thread: ChannelHandle; sheetId: string }> {
		const starter = await (
			await rig.double.user('alice').runSlash('jam', { title, theme: 'the sea', style: 'shanty' }, { channel })
		).reply();
		const threadOf = () => rig.double.guild.channels.find((c) => c.id === starter.id);
		await expect.poll(threadOf, { timeout: 5_000 }).toBeDefined();
		const thread = threadOf() as ChannelHandle;
		const sheet = await thread.waitForMessage((m) => m.fromBot && m.buttons.includes('Make it'));
		return { thread, sheetId: sheet.id };
	}

	const postsIn = (thread: ChannelHandle) =>
		rig.double.requests.filter((r) => r.route === POST && r.path.includes(`/channels/${thread.id}/`));
	const openJams = () => rig.app.ctx.store.getValue<string[]>('jams:open');

	it('GIVEN the final card’s post fails (Discord answers 502 past discord.js’s own retries) THEN a later sweep posts it: one card, the sheet closed, the thread archived and locked', async () => {
		const { thread, sheetId } = await openJam('general', 'Stormy Quay');
		// discord.js retries a 5xx three times; the fourth failure reaches the bot.
		rig.double.rateLimits.serverError(POST, { times: 4, status: 502 });

		await thread.waitForMessage(isCard, { timeout: 15_000 });
		await expect.poll(() => thread.thread, { timeout: 10_000 }).toMatchObject({ archived: true, locked: true });
		expect(postsIn(thread).map((r) => r.status)).toEqual([200, 502, 502, 502, 502, 200]);
		expect(thread.messages.filter(isCard)).toHaveLength(1);
		expect(thread.messages.find((m) => m.id === sheetId)?.buttons).toEqual([]);
		await expect.poll(openJams, { timeout: 5_000 }).not.toContain(thread.id);
		const saved = await rig.app.ctx.store.getValue<{
			closedAt: number;
			closing?: { attempts: number };
			expiresAt?: number;
		}>(`jam:${thread.id}`);
		expect(saved?.closing?.attempts).toBe(2);
		// Closed, it now expires with its songs: RETENTION_DAYS (365 by default) after its close was over.
		const retentionMs = rig.config.RETENTION_DAYS * 86_400_000;
		expect(saved?.expiresAt).toBeGreaterThanOrEqual((saved?.closedAt ?? Infinity) + retentionMs);
		expect(saved?.expiresAt).toBeLessThanOrEqual(Date.now() + retentionMs);
	});

	it('GIVEN the bot can no longer see the thread (50001) THEN the close ends there: no retries, the jam leaves the open list', async () => {
		const { thread } = await openJam('songs', 'Lost Lighthouse');
		rig.double.channel('songs').setPermissions('bot', { deny: ['VIEW_CHANNEL'] });

		await expect.poll(openJams, { timeout: 15_000 }).not.toContain(thread.id);
		const saved = await rig.app.ctx.store.getValue<{ closedAt?: number; closing?: { givenUp?: string } }>(
			`jam:${thread.id}`,
		);
		expect(saved?.closedAt).toBeTypeOf('number');
		expect(saved?.closing?.givenUp).toBe('discord 50001');
		// One refused attempt (the sheet's post before it succeeded); nothing was posted after the refusal.
		expect(postsIn(thread).map((r) => r.code)).toEqual([null, 50001]);
		expect(thread.messages.filter(isCard)).toHaveLength(0);
		expect(thread.thread).toMatchObject({ archived: false });
	});

	it('GIVEN a moderator deleted the thread (10003) THEN the close ends there and the jam leaves the open list', async () => {
		const { thread } = await openJam('general', 'Sunken Bell');
		thread.deleteThread();

		await expect.poll(openJams, { timeout: 15_000 }).not.toContain(thread.id);
		const saved = await rig.app.ctx.store.getValue<{ closing?: { givenUp?: string } }>(`jam:${thread.id}`);
		expect(saved?.closing?.givenUp).toBe('discord 10003');
		expect(postsIn(thread).filter((r) => r.status !== 200)).toEqual([]);
	});
});
