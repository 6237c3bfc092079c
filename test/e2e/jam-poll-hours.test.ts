import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';

const HOUR = 3_600_000;

/** How long a jam's style poll lasts is the server admin's choice (`/songbot votes jam_poll_hours`), 1 to 768 hours. */
describe('/songbot votes jam_poll_hours', () => {
	let rig: Rig;

	beforeAll(async () => {
		rig = await startRig({ double: { users: ['alice', 'bob'] } });
	}, 30_000);
	afterAll(async () => {
		await rig?.close();
	});

	async function openJam(): Promise<{ thread: ChannelHandle; sheet: () => MessageView }> {
		const starter = await (
			await rig.double.user('alice').runSlash('jam', { title: 'Tide Tables', theme: 'the sea', style: 'shanty' })
		).reply();
		const threadOf = () => rig.double.guild.channels.find((c) => c.id === starter.id);
		await expect.poll(threadOf, { timeout: 5_000 }).toBeDefined();
		const thread = threadOf() as ChannelHandle;
		const { id } = await thread.waitForMessage((m) => m.fromBot && m.buttons.includes('Make it'));
		return { thread, sheet: () => thread.messages.find((m) => m.id === id) as MessageView };
	}

	it('GIVEN no setting THEN /songbot votes shows a one-hour style poll; a duration Discord does not allow cannot be typed', async () => {
		const owner = rig.double.user('server-owner');
		expect((await (await owner.runSlash('songbot votes')).reply()).text).toContain(
			'A jam’s style poll stays open for 1 hour.',
		);
		await expect(owner.runSlash('songbot votes', { jam_poll_hours: 769 })).rejects.toThrow(/outside the allowed range/);
		await expect(owner.runSlash('songbot votes', { jam_poll_hours: 0 })).rejects.toThrow(/outside the allowed range/);
	});

	it('GIVEN the admin sets 72 hours THEN the next style poll in a jam ends 72 hours after it opens', async () => {
		const owner = rig.double.user('server-owner');
		const saved = await (await owner.runSlash('songbot votes', { jam_poll_hours: 72 })).reply();
		expect(saved.text).toContain('A jam’s style poll stays open for 72 hours.');
		// The poll on the takes keeps its own duration.
		expect(saved.text).toContain('open for 1 hour.');

		const { thread, sheet } = await openJam();
		const form = await (await rig.double.user('bob').click(sheet(), 'Suggest a style')).modal();
		await (await form.submit({ style: 'sea-punk' })).response();
		await thread.waitFor(() => sheet().text.includes('sea\\-punk'));
		const before = Date.now();
		await (await rig.double.user('alice').click(sheet(), 'Style poll')).response();
		const poll = await thread.waitForMessage((m) => m.poll !== null);
		expect(poll.poll?.answers.map((a) => a.text)).toEqual(['shanty', 'sea-punk']);
		expect(poll.poll?.expiry).toBeGreaterThanOrEqual(before + 72 * HOUR);
		expect(poll.poll?.expiry).toBeLessThanOrEqual(Date.now() + 72 * HOUR);
	});
});
