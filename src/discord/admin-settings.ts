import {
	type APIApplicationCommandSubcommandOption,
	ApplicationCommandOptionType as T,
	ChannelType,
	type ChatInputCommandInteraction,
} from 'discord.js';
import { FILTER_LIMITS, parseWordList, type WordFilter } from '../core/admin.ts';
import { UserError } from '../core/errors.ts';
import type { GuildSettings } from '../core/settings.ts';
import { localeOf, slash, t } from './i18n.ts';
import { msg } from '../i18n/index.ts';

/**
 * The admin's subcommands of /songbot: where songs are made, by whom, which words are refused, and where hides
 * and deletions are recorded. Each answers with what is in force after the change.
 */

type Allowed = ChannelType.GuildText | ChannelType.GuildAnnouncement | ChannelType.GuildVoice;
const TEXT_CHANNELS: Allowed[] = [ChannelType.GuildText, ChannelType.GuildAnnouncement];
/** Songs can also be made in a voice channel's text chat (next to the player); threads count as their parent. */
const SONG_CHANNELS: Allowed[] = [...TEXT_CHANNELS, ChannelType.GuildVoice];
const MAX_LISTED = 25;

export const ADMIN_SUBCOMMANDS: APIApplicationCommandSubcommandOption[] = [
	{
		type: T.Subcommand,
		...slash('cmd.songbot.channels'),
		options: [
			{ type: T.Channel, ...slash('cmd.songbot.channels.add'), channel_types: SONG_CHANNELS },
			{ type: T.Channel, ...slash('cmd.songbot.channels.remove'), channel_types: SONG_CHANNELS },
			{ type: T.Boolean, ...slash('cmd.songbot.channels.clear') },
		],
	},
	{
		type: T.Subcommand,
		...slash('cmd.songbot.roles'),
		options: [
			{ type: T.Role, ...slash('cmd.songbot.roles.add') },
			{ type: T.Role, ...slash('cmd.songbot.roles.remove') },
			{ type: T.Boolean, ...slash('cmd.songbot.roles.clear') },
		],
	},
	{
		type: T.Subcommand,
		...slash('cmd.songbot.filter'),
		options: [
			{
				type: T.String,
				...slash('cmd.songbot.filter.add'),
				max_length: 1000,
			},
			{
				type: T.String,
				...slash('cmd.songbot.filter.remove'),
				max_length: 1000,
			},
			{
				type: T.String,
				...slash('cmd.songbot.filter.message'),
				max_length: FILTER_LIMITS.message,
			},
			{ type: T.Boolean, ...slash('cmd.songbot.filter.clear') },
		],
	},
	{
		type: T.Subcommand,
		...slash('cmd.songbot.log-channel'),
		options: [{ type: T.Channel, ...slash('cmd.songbot.log-channel.channel'), channel_types: TEXT_CHANNELS }],
	},
];

export const ADMIN_SUBCOMMAND_NAMES: readonly string[] = ADMIN_SUBCOMMANDS.map((option) => option.name);

/** The settings after the admin's change, and a line saying what changed. */
export function adminChange(
	interaction: ChatInputCommandInteraction,
	sub: string,
	current: GuildSettings,
): { next: GuildSettings; notice: string } {
	const o = interaction.options;
	if (sub === 'log-channel') {
		const channel = o.getChannel('channel');
		const { logChannelId: _, ...rest } = current;
		return channel
			? {
					next: { ...rest, logChannelId: channel.id },
					notice: t(localeOf(interaction), 'admin.log_set', { channel: channel.id }),
				}
			: { next: rest, notice: t(localeOf(interaction), 'admin.log_unset') };
	}
	if (sub === 'channels' || sub === 'roles') {
		const key = sub === 'channels' ? 'songChannels' : 'songRoles';
		const add = sub === 'channels' ? o.getChannel('add')?.id : o.getRole('add')?.id;
		const remove = sub === 'channels' ? o.getChannel('remove')?.id : o.getRole('remove')?.id;
		const clear = o.getBoolean('clear') ?? false;
		if (!add && !remove && !clear) throw new UserError('settings.empty', msg('error.settings.list_empty'));
		let list = clear ? [] : [...(current[key] ?? [])];
		if (remove) list = list.filter((id) => id !== remove);
		if (add && !list.includes(add)) list.push(add);
		if (list.length > MAX_LISTED)
			throw new UserError(
				'settings.invalid',
				msg(sub === 'channels' ? 'error.settings.max_channels' : 'error.settings.max_roles', { max: MAX_LISTED }),
			);
		const { [key]: _, ...rest } = current;
		return { next: list.length > 0 ? { ...rest, [key]: list } : rest, notice: t(localeOf(interaction), 'admin.saved') };
	}
	// filter
	const clear = o.getBoolean('clear') ?? false;
	const add = parseWordList(o.getString('add') ?? '');
	const remove = new Set(parseWordList(o.getString('remove') ?? '').map((w) => w.toLowerCase()));
	const message = o.getString('message')?.trim();
	if (!clear && add.length === 0 && remove.size === 0 && message === undefined)
		throw new UserError('settings.empty', msg('error.settings.filter_empty'));
	const tooLong = add.find((w) => w.length > FILTER_LIMITS.wordLength);
	if (tooLong)
		throw new UserError('settings.invalid', msg('error.settings.word_length', { max: FILTER_LIMITS.wordLength }));
	const before = clear ? [] : (current.wordFilter?.words ?? []);
	const words = [...before.filter((w) => !remove.has(w.toLowerCase()))];
	for (const word of add) if (!words.some((w) => w.toLowerCase() === word.toLowerCase())) words.push(word);
	if (words.length > FILTER_LIMITS.words)
		throw new UserError('settings.invalid', msg('error.settings.words', { max: FILTER_LIMITS.words }));
	const { wordFilter: _, ...rest } = current;
	const kept = clear ? undefined : current.wordFilter?.message;
	const text = message === undefined ? kept : message || undefined;
	const filter: WordFilter = { words, ...(text ? { message: text } : {}) };
	return {
		next: words.length > 0 || text ? { ...rest, wordFilter: filter } : rest,
		notice: t(localeOf(interaction), 'admin.saved'),
	};
}
