import type { APIEmbed } from 'discord.js';
import type { GuildSettings } from '../../core/settings.ts';
import { escapeMarkdown, truncate } from './format.ts';

/** The admin's rules as /songbot shows them: where, who, which words, and the log channel. */
export function renderAdminRules(settings: GuildSettings): APIEmbed {
	const channels = settings.songChannels ?? [];
	const roles = settings.songRoles ?? [];
	const words = settings.wordFilter?.words ?? [];
	const filter =
		words.length > 0
			? `${words.length} word${words.length === 1 ? '' : 's'}: ||${escapeMarkdown(truncate(words.join(', '), 900))}||`
			: 'none';
	return {
		title: '🛡️ Who makes songs, and where',
		color: 0x5865f2,
		fields: [
			{ name: 'Channels', value: channels.length > 0 ? channels.map((id) => `<#${id}>`).join(' ') : 'every channel' },
			{ name: 'Roles', value: roles.length > 0 ? roles.map((id) => `<@&${id}>`).join(' ') : 'everyone' },
			{ name: 'Word filter', value: filter },
			...(settings.wordFilter?.message
				? [{ name: 'Message when refused', value: escapeMarkdown(truncate(settings.wordFilter.message, 300)) }]
				: []),
			{
				name: 'Log channel for hides and deletions',
				value: settings.logChannelId ? `<#${settings.logChannelId}>` : 'none',
			},
		],
		footer: { text: 'Change with /songbot channels, roles, filter and log-channel.' },
	};
}
