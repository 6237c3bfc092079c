import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView } from '../doubles/discord/index.ts';
import { CATALOGS } from '../../src/i18n/index.ts';
import { type Rig, startRig } from './rig.ts';

/**
 * A jam in a Chinese-speaking server, started by a member whose Discord is in Japanese: what the thread shows
 * everyone (the starter, the sheet and its buttons) is in the server's language, what only she sees (the form,
 * the history) in hers.
 */
describe('/jam in the server’s and the member’s language', () => {
	let rig: Rig;
	const zh = CATALOGS['zh-CN'];
	const ja = CATALOGS.ja;

	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'newapi', mode: 'reseller' }, double: { users: ['alice'] } });
		// The server's language reaches the bot with the guild (GUILD_CREATE), so it is set before the bot connects.
		rig.double.guild.setLocale('zh-CN');
		await rig.stopBot();
		await rig.restartBot();
	}, 30_000);
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a zh-CN server and a ja member WHEN she opens a jam and writes a verse THEN posts read Chinese, her replies Japanese', async () => {
		const alice = rig.double.user('alice').setLocale('ja');
		const starter = await (
			await alice.runSlash('jam', { title: 'Harbour Lights', theme: 'a night at the harbour', style: 'sea shanty' })
		).reply();
		expect(starter.text).toContain('发起了一场合写');
		const threadOf = () => rig.double.guild.channels.find((c) => c.id === starter.id);
		await expect.poll(threadOf, { timeout: 5_000 }).toBeDefined();
		const thread = threadOf() as ChannelHandle;
		const [sheet] = await thread.waitFor((ms) => ms.some((m) => m.fromBot && m.text.includes('Harbour Lights')));
		const sheetId = (sheet as MessageView).id;
		const current = () => thread.messages.find((m) => m.id === sheetId) as MessageView;
		expect(current().text).toContain(zh['jam.empty_sheet']);
		expect(current().buttons).toEqual(expect.arrayContaining([zh['jam.add'], zh['jam.make']]));

		const form = await (await alice.click(current(), zh['jam.add'])).modal();
		expect(form.title).toBe(ja['jam.form_add']);
		expect(form.field('type').options.map((o) => o.label)).toContain(ja['jam.section_chorus']);
		await (await form.submit({ type: ['verse'], text: 'Lanterns swing on the old stone pier' })).response();
		await thread.waitFor((ms) => ms.some((m) => m.id === sheetId && m.text.includes('Lanterns swing')));
		expect(current().text).toContain(`1. ${zh['jam.section_verse']}`);

		const history = await (await alice.click(current(), zh['jam.history'])).reply();
		expect(history.ephemeral).toBe(true);
		expect(history.text).toContain(`<@${alice.id}> さんが${ja['jam.section_verse']}を追加`);
	});
});
