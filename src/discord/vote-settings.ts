import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { effectiveVotes, type GuildSettings, VOTE_HOURS, writeGuildSettings } from '../core/settings.ts';
import type { Context } from './context.ts';
import { NO_MENTIONS } from './router.ts';
import { renderVoteSettings } from './views/vote.ts';

/** `/songbot votes`, a subcommand of its own file so /songbot stays readable (like the admin rules). */
export const VOTES_SUBCOMMAND = {
	type: 1,
	name: 'votes',
	description: 'The poll on the two takes of each new song, and the song of the week',
	options: [
		{ type: 5, name: 'on', description: 'Post a poll when both takes are in (default on)' },
		{
			type: 4,
			name: 'hours',
			description: 'How long each poll stays open (default 1)',
			min_value: VOTE_HOURS.min,
			max_value: VOTE_HOURS.max,
		},
		{
			type: 7,
			name: 'song_of_the_week',
			description: 'Post the week’s most voted song here every 7 days (the first one now)',
			channel_types: [0, 5],
		},
		{ type: 5, name: 'no_song_of_the_week', description: 'Stop the weekly post' },
	],
};

/** `/songbot votes`: turns the poll on the takes on or off and sets how long it lasts; without options, shows it. */
export async function votesCommand(interaction: ChatInputCommandInteraction, ctx: Context, current: GuildSettings) {
	const on = interaction.options.getBoolean('on');
	const hours = interaction.options.getInteger('hours');
	const week = interaction.options.getChannel('song_of_the_week');
	const noWeek = interaction.options.getBoolean('no_song_of_the_week') === true;
	let settings = current;
	if (on !== null || hours !== null || week || noWeek) {
		const { songOfWeek, ...rest } = current;
		const nextWeek = week ? { channelId: week.id } : noWeek ? undefined : songOfWeek;
		settings = {
			...rest,
			votes: { ...current.votes, ...(on !== null ? { enabled: on } : {}), ...(hours !== null ? { hours } : {}) },
			...(nextWeek ? { songOfWeek: nextWeek } : {}),
		};
		await writeGuildSettings(ctx.store, interaction.guildId ?? '', settings);
		ctx.log.info(
			{ guildId: interaction.guildId, by: interaction.user.id, votes: settings.votes },
			'vote settings changed',
		);
	}
	const notice = settings === current ? undefined : '✅ Saved. Songs finished from now on follow this.';
	await interaction.reply({
		content: renderVoteSettings(effectiveVotes(settings), settings.songOfWeek?.channelId, notice),
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
	if (week && interaction.guildId) await ctx.songOfWeek?.check(interaction.guildId);
}
