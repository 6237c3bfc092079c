import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { userErrorText } from '../../src/discord/i18n.ts';
import { POST_SONG, requireHere, requirePermissions } from '../../src/discord/permissions.ts';

const { ViewChannel, SendMessages, SendMessagesInThreads, EmbedLinks, AttachFiles, ReadMessageHistory } =
	PermissionFlagsBits;

/** The refusal `run` throws, as the member reads it in `locale`. */
function refusal(run: () => void, locale: 'en' | 'zh-CN' = 'en'): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(UserError);
		return userErrorText(error as UserError, locale);
	}
	return expect.unreachable('no refusal');
}

/** An interaction in channel 42: a thread or not, with the bot's permissions there and the member's language. */
const here = (have: bigint[], thread: boolean, locale = 'en-US') => ({
	appPermissions: new PermissionsBitField(have),
	channelId: '42',
	channel: { isThread: () => thread },
	locale,
	guildLocale: 'en-US',
});

describe('requirePermissions', () => {
	it('GIVEN all permissions THEN passes', () => {
		const all = new PermissionsBitField(Object.keys(POST_SONG).map((k) => PermissionFlagsBits[k as 'ViewChannel']));
		expect(() => requirePermissions(all, POST_SONG, '<#1>')).not.toThrow();
	});

	it('GIVEN missing permissions THEN names each one and the channel', () => {
		const some = new PermissionsBitField([ViewChannel, SendMessages]);
		const message = refusal(() => requirePermissions(some, POST_SONG, '<#42>'));
		expect(message).toContain('<#42>');
		expect(message).toContain('**Embed Links**, **Attach Files**, **Read Message History**');
	});

	it('GIVEN a zh-CN member WHEN a permission is missing THEN its name is in Chinese too', () => {
		const some = here([ViewChannel, SendMessages, AttachFiles, ReadMessageHistory], false, 'zh-CN');
		const message = refusal(() => requireHere(some, POST_SONG), 'zh-CN');
		expect(message).toContain('<#42>');
		expect(message).toContain('**嵌入链接**');
		expect(message).not.toContain('Embed Links');
	});
});

describe('posting a song in a thread (a jam)', () => {
	const inThread = [ViewChannel, SendMessagesInThreads, EmbedLinks, AttachFiles, ReadMessageHistory];

	it('GIVEN a thread where the bot may send in threads but not in the channel THEN the song may be posted', () => {
		expect(() => requireHere(here(inThread, true), POST_SONG)).not.toThrow();
	});

	it('GIVEN a thread where the bot may not send in threads THEN it asks for Send Messages in Threads', () => {
		const noThreads = [ViewChannel, SendMessages, EmbedLinks, AttachFiles, ReadMessageHistory];
		const message = refusal(() => requireHere(here(noThreads, true), POST_SONG));
		expect(message).toContain('**Send Messages in Threads**');
		expect(message).not.toContain('**Send Messages**');
	});

	it('GIVEN a text channel with only the thread permission THEN it still asks for Send Messages', () => {
		expect(refusal(() => requireHere(here(inThread, false), POST_SONG))).toContain('**Send Messages**');
	});
});
