import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGS } from '../../src/i18n/index.ts';
import type { ChannelHandle, MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, waitForMessage } from './song-steps.ts';
import { VOICE_ENV, waitForText } from './voice-steps.ts';

/**
 * A take's name in the reader's language wherever it is met, on a zh-CN server: the poll's answers and the
 * voice player and queue (the channel's, so the server's language), autocomplete and the Lyrics reply (the
 * member's). Take files keep their English names (src/core/take-name.ts, takeFileName).
 */
describe('take names in the reader’s language, on a zh-CN server', () => {
	const zh = CATALOGS['zh-CN'];
	let rig: Rig;
	let general: ChannelHandle;
	let card: MessageView;
	let poll: MessageView;

	const isPoll = (title: string) => (m: MessageView) => m.poll !== null && m.text.includes(title);

	beforeAll(async () => {
		rig = await startRig({ voice: true, env: VOICE_ENV });
		rig.double.guild.setLocale('zh-CN');
		general = rig.double.channel('general');
		const tracker = await (await askForSong(rig.double.user('alice'), 'Paper Boats')).reply();
		card = await waitForMessage(general, tracker.id, (m) => m.text.includes(zh['card.stage_done']));
		const all = await general.waitFor((ms) => ms.some(isPoll('Paper Boats')), { timeout: 15_000 });
		poll = all.find(isPoll('Paper Boats')) as MessageView;
	}, 40_000);
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a zh-CN member THEN the /extend choices and the Lyrics reply name the take in Chinese; the file stays English', async () => {
		const bob = rig.double.user('bob').setLocale('zh-CN');
		try {
			const choices = await bob.autocomplete('extend', 'take', 'paper');
			expect(choices.map((c) => c.name)).toEqual([
				'Paper Boats · 第 1 版 · 作者：Alice · 0:12',
				'Paper Boats · 第 2 版 · 作者：Alice · 0:09',
			]);
			const lyrics = await (await bob.click(card, zh['card.lyrics'])).reply();
			expect(lyrics.ephemeral).toBe(true);
			expect(lyrics.text).toContain('📜 \u2068Paper Boats · 第 1 版\u2069');
			expect(card.attachments.map((a) => a.filename)).toContain('Paper Boats - take 1.mp3');
		} finally {
			bob.setLocale('en-US');
		}
	});

	it('GIVEN an extension THEN its poll’s answers say so in Chinese', async () => {
		const bob = rig.double.user('bob');
		expect(poll.poll?.answers.map((a) => a.text)).toEqual(['版本 1：Paper Boats', '版本 2：Paper Boats']);
		const [first] = await bob.autocomplete('extend', 'take', 'paper');
		const modal = await (await bob.runSlash('extend', { take: String(first?.value) })).modal();
		await (await modal.submit({ lyrics: '[Bridge]\nThe boats sail on' })).reply();
		const isExtension = (m: MessageView) => m.poll !== null && m.id !== poll.id && m.text.includes('Paper Boats');
		const all = await general.waitFor((ms) => ms.some(isExtension), { timeout: 20_000 });
		expect(all.find(isExtension)?.poll?.answers.map((a) => a.text)).toEqual([
			'版本 1：Paper Boats (从 0:11 续写)',
			'版本 2：Paper Boats (从 0:11 续写)',
		]);
	});

	it('GIVEN alice plays take 1 and the poll picks take 2 THEN the player and its queue name both takes in Chinese', async () => {
		const alice = rig.double.user('alice');
		await alice.joinVoice('General');
		try {
			const player = await (await alice.click(card, zh['card.play'])).reply();
			await waitForText(general, player.id, '**\u2068Paper Boats · 第 1 版\u2069**');
			alice.vote(poll, 2);
			rig.double.endPoll(poll);
			// The winner joins the queue of the player that is on.
			await waitForText(general, player.id, '**\u2068⭐ Paper Boats · 第 2 版\u2069**');
		} finally {
			await (await alice.runSlash('stop')).reply();
		}
	});
});
