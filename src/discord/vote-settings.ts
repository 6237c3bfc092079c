import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { effectiveVotes, type GuildSettings, jamPollHours, VOTE_HOURS, writeGuildSettings } from '../core/settings.ts';
import type { Context } from './context.ts';
import { NO_MENTIONS } from './router.ts';
import { renderVoteSettings } from './views/vote.ts';
import { localeOf, slash, t } from './i18n.ts';

/** `/songbot votes`, a subcommand of its own file so /songbot stays readable (like the admin rules). */
export const VOTES_SUBCOMMAND = {
	type: 1,
	...slash('cmd.songbot.votes'),
	options: [
		{ type: 5, ...slash('cmd.songbot.votes.on') },
		{
			type: 4,
			...slash('cmd.songbot.votes.hours'),
			min_value: VOTE_HOURS.min,
			max_value: VOTE_HOURS.max,
		},
		{
			type: 7,
			...slash('cmd.songbot.votes.song_of_the_week'),
			channel_types: [0, 5],
		},
		{ type: 5, ...slash('cmd.songbot.votes.no_song_of_the_week') },
		{
			type: 4,
			...slash('cmd.songbot.votes.jam_poll_hours'),
			min_value: VOTE_HOURS.min,
			max_value: VOTE_HOURS.max,
		},
	],
};

/** `/songbot votes`: turns the poll on the takes on or off and sets how long it lasts; without options, shows it. */
export async function votesCommand(interaction: ChatInputCommandInteraction, ctx: Context, current: GuildSettings) {
	const on = interaction.options.getBoolean('on');
	const hours = interaction.options.getInteger('hours');
	const jamHours = interaction.options.getInteger('jam_poll_hours');
	const week = interaction.options.getChannel('song_of_the_week');
	const noWeek = interaction.options.getBoolean('no_song_of_the_week') === true;
	let settings = current;
	if (on !== null || hours !== null || jamHours !== null || week || noWeek) {
		const { songOfWeek, ...rest } = current;
		const nextWeek = week ? { channelId: week.id } : noWeek ? undefined : songOfWeek;
		settings = {
			...rest,
			votes: {
				...current.votes,
				...(on !== null ? { enabled: on } : {}),
				...(hours !== null ? { hours } : {}),
				...(jamHours !== null ? { jamHours } : {}),
			},
			...(nextWeek ? { songOfWeek: nextWeek } : {}),
		};
		await writeGuildSettings(ctx.store, interaction.guildId ?? '', settings);
		ctx.log.info(
			{ guildId: interaction.guildId, by: interaction.user.id, votes: settings.votes },
			'vote settings changed',
		);
	}
	const locale = localeOf(interaction);
	const notice = settings === current ? undefined : t(locale, 'votes.saved');
	await interaction.reply({
		content: renderVoteSettings(
			{ ...effectiveVotes(settings), jamHours: jamPollHours(settings) },
			settings.songOfWeek?.channelId,
			notice,
			locale,
		),
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
	if (week && interaction.guildId) await ctx.songOfWeek?.check(interaction.guildId);
}
