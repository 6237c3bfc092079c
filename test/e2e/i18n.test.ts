import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGS } from '../../src/i18n/index.ts';
import type { JsonObject } from '../doubles/discord/state.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, readyPings, waitForMessage, waitForTakes } from './song-steps.ts';

/** The member's language end to end: command registration, replies, and the fallback to the server's language. */
describe('the bot in the member’s language', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ env: { COOLDOWN_SEC: '600', USER_DAILY_LIMIT: '10' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	const option = (command: JsonObject | undefined, name: string) =>
		(command?.options as JsonObject[] | undefined)?.find((o) => o.name === name);

	it('GIVEN the registered commands THEN names, descriptions, options and choices carry every locale', () => {
		const song = rig.double.commands.find((c) => c.name === 'song');
		expect(song?.name_localizations).toMatchObject({
			'zh-CN': '歌曲',
			ja: '作曲',
			'es-ES': 'canción',
			'es-419': 'canción',
		});
		expect(song?.description_localizations).toMatchObject({ 'pt-BR': CATALOGS['pt-BR']['cmd.song.desc'] });
		const mode = option(song, 'mode');
		expect(mode?.name_localizations).toMatchObject({ 'zh-CN': '模式' });
		expect((mode?.choices as JsonObject[])[0]).toMatchObject({
			name: 'describe it',
			value: 'describe',
			name_localizations: { 'zh-CN': '描述歌曲' },
		});
		// Every command and option the bot registers has a name and description in each locale the bot speaks.
		const missing: string[] = [];
		const check = (path: string, node: JsonObject) => {
			for (const field of ['name_localizations', 'description_localizations'])
				for (const code of ['zh-CN', 'ja', 'es-ES', 'es-419', 'pt-BR'])
					if (!(node[field] as JsonObject | undefined)?.[code]) missing.push(`${path} ${field} ${code}`);
			for (const child of (node.options as JsonObject[] | undefined) ?? []) check(`${path} ${child.name}`, child);
		};
		for (const command of rig.double.commands) check(String(command.name), command);
		expect(missing).toEqual([]);
	});

	it('GIVEN the bot restarts with the same commands THEN it does not register them again', async () => {
		const puts = () => rig.double.requests.filter((r) => r.method === 'PUT' && r.path.includes('/commands')).length;
		const before = puts();
		await rig.restartBot();
		expect(puts()).toBe(before);
	});

	it('GIVEN a zh-CN member THEN /limits and a refusal of /song answer in Chinese', async () => {
		const bob = rig.double.user('bob').setLocale('zh-CN');
		try {
			const limits = await (await bob.runSlash('limits')).reply();
			expect(limits.ephemeral).toBe(true);
			expect(limits.text).toContain('🎵 你今天还能做的歌：还剩 **10** / 10');
			expect(limits.text).toContain('⏱️ 冷却没有在计时');

			const channel = rig.double.channel('general');
			await waitForTakes(channel, (await (await askForSong(bob, 'first song')).reply()).id);
			const refused = await (await askForSong(bob, 'second song')).reply();
			expect(refused.ephemeral).toBe(true);
			expect(refused.text).toMatch(/^慢一点：每人每 600 秒只能做一首歌。<t:\d+:R>再试吧。$/);
		} finally {
			bob.setLocale('en-US');
		}
	});

	it('GIVEN a member whose language the bot does not speak THEN the server’s language is used, else English', async () => {
		const alice = rig.double.user('alice').setLocale('fr');
		try {
			expect((await (await alice.runSlash('queue')).reply()).text).toBe(CATALOGS.en['queue.nothing_playing']);
			rig.double.guild.setLocale('pt-BR');
			expect((await (await alice.runSlash('queue')).reply()).text).toBe(CATALOGS['pt-BR']['queue.nothing_playing']);
		} finally {
			rig.double.guild.setLocale('en-US');
			alice.setLocale('en-US');
		}
	});

	it('GIVEN a zh-CN member WHEN they run /song THEN its form is in Chinese', async () => {
		const alice = rig.double.user('alice').setLocale('zh-CN');
		try {
			const slash = await alice.runSlash('song', { mode: 'custom' });
			const form = await slash.modal();
			expect(form.title).toBe(CATALOGS['zh-CN']['form.song_title']);
			expect(form.fields.map((f) => f.label)).toEqual(
				expect.arrayContaining([CATALOGS['zh-CN']['form.lyrics'], CATALOGS['zh-CN']['form.style']]),
			);
		} finally {
			alice.setLocale('en-US');
		}
	});

	it('GIVEN a zh-CN member WHEN they fill the whole /song form without a style THEN the form and the refusal are in Chinese', async () => {
		const zh = CATALOGS['zh-CN'];
		const alice = rig.double.user('alice').setLocale('zh-CN');
		try {
			const form = await (await alice.runSlash('song')).modal();
			expect(form.title).toBe(zh['form.full_title']);
			expect(form.fields.map((f) => f.label)).toEqual(
				expect.arrayContaining([zh['form.full_words'], zh['form.full_how']]),
			);
			expect(form.field('how').options.map((o) => o.label)).toContain(zh['form.how_custom_any']);
			const refused = await (await form.submit({ words: '[Verse]\n纸船', how: 'custom:any' })).reply();
			expect(refused.ephemeral).toBe(true);
			expect(refused.text).toBe(zh['form.need_style']);
		} finally {
			alice.setLocale('en-US');
		}
	});

	it('GIVEN a zh-CN server THEN the song card and its ping are in Chinese, and Details in each member’s language', async () => {
		const zh = CATALOGS['zh-CN'];
		const alice = rig.double.user('alice');
		const bob = rig.double.user('bob').setLocale('zh-CN');
		rig.double.guild.setLocale('zh-CN');
		try {
			const channel = rig.double.channel('general');
			const tracker = await (await askForSong(alice, 'a song for the server')).reply();
			const card = await waitForMessage(channel, tracker.id, (m) => m.text.includes(zh['card.stage_done']));
			// Everyone in the channel reads the card: the server's language, whatever the requester's client says.
			expect(card.text).toContain('✅ 完成：第 1和2 版在这里');
			expect(card.text).toContain('a song for the server · 第 1 版');
			expect(card.buttons).toEqual(expect.arrayContaining(['播放', '续写', '改编', '歌词', '全部播放', '详情']));
			expect(card.text).not.toContain('Done');
			expect(card.text).toMatch(/你今天还剩 \d+ 首，服务器还剩 \d+ 首/);
			const ping = await channel.waitFor((all) => all.some((m) => m.referenceId === card.id && m.fromBot));
			expect(ping.find((m) => m.referenceId === card.id && m.fromBot)?.content).toContain(zh['card.ready']);
			expect(readyPings(ping, card.id)).toEqual([]);

			// Details is a reply only the clicker sees: their own language.
			const forAlice = await (await alice.click(card, '详情')).reply();
			expect(forAlice.text).toContain('Reference for the bot operator');
			const forBob = await (await bob.click(card, '详情')).reply();
			expect(forBob.text).toContain(zh['card.reference']);
			expect(forBob.text).toContain(`${zh['card.kind']}`);
		} finally {
			rig.double.guild.setLocale('en-US');
			bob.setLocale('en-US');
		}
	});
});
