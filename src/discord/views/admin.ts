import type { APIEmbed } from 'discord.js';
import type { GuildSettings } from '../../core/settings.ts';
import { escapeMarkdown, truncate } from './format.ts';
import { type Locale, t } from '../i18n.ts';

/** The admin's rules as /songbot shows them: where, who, which words, and the log channel. */
export function renderAdminRules(settings: GuildSettings, locale: Locale = 'en'): APIEmbed {
	const channels = settings.songChannels ?? [];
	const roles = settings.songRoles ?? [];
	const words = settings.wordFilter?.words ?? [];
	const filter =
		words.length > 0
			? t(locale, words.length === 1 ? 'admin.words_one' : 'admin.words', {
					count: words.length,
					words: escapeMarkdown(truncate(words.join(', '), 900)),
				})
			: t(locale, 'settings.none');
	return {
		title: t(locale, 'admin.title'),
		color: 0x5865f2,
		fields: [
			{
				name: t(locale, 'admin.channels'),
				value: channels.length > 0 ? channels.map((id) => `<#${id}>`).join(' ') : t(locale, 'admin.every_channel'),
			},
			{
				name: t(locale, 'admin.roles'),
				value: roles.length > 0 ? roles.map((id) => `<@&${id}>`).join(' ') : t(locale, 'admin.everyone'),
			},
			{ name: t(locale, 'admin.filter'), value: filter },
			...(settings.wordFilter?.message
				? [
						{
							name: t(locale, 'admin.filter_message'),
							value: escapeMarkdown(truncate(settings.wordFilter.message, 300)),
						},
					]
				: []),
			{
				name: t(locale, 'admin.log_channel'),
				value: settings.logChannelId ? `<#${settings.logChannelId}>` : t(locale, 'settings.none'),
			},
		],
		footer: { text: t(locale, 'admin.footer') },
	};
}
