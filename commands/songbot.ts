import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { COST_KEYS, COST_LABELS, type Costs } from '../src/core/costs.ts';
import { quotaResetAt } from '../src/core/quota.ts';
import {
	effectiveLimits,
	effectiveVotes,
	type GuildSettings,
	readGuildSettings,
	VOTE_HOURS,
	writeGuildSettings,
} from '../src/core/settings.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { defaultRules } from '../src/discord/limits.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { renderVoteSettings } from '../src/discord/views/vote.ts';
import {
	CAP_RANGES,
	COST_OPTIONS,
	COST_RANGE,
	renderSettings,
	SETTING_RANGES,
	settingsProblem,
} from '../src/discord/views/settings.ts';

const RANGES = { ...SETTING_RANGES, ...CAP_RANGES };
const int = (key: keyof typeof RANGES, description: string) => ({
	type: 4,
	name: RANGES[key].name,
	description,
	min_value: RANGES[key].min,
	max_value: RANGES[key].max,
});

/**
 * `/songbot`: the server's own fairness limits, for members with Manage Server. Discord hides the command from
 * others (`default_member_permissions`), but admins can re-grant commands to any role in the server settings,
 * so the handler checks the permission again. Answers are ephemeral: settings are an admin's business.
 */
export const songbot = {
	name: 'songbot',
	data() {
		return {
			name: 'songbot',
			description: 'Songbot settings for this server (Manage Server)',
			dm_permission: false,
			default_member_permissions: String(PermissionFlagsBits.ManageGuild),
			options: [
				{ type: 1, name: 'show', description: 'The limits in force and what is left today' },
				{
					type: 1,
					name: 'set',
					description: 'Change the limits for this server (0 = no limit)',
					options: [
						int('cooldownSec', 'Seconds between two songs of one person (0 = no cooldown)'),
						int('userDaily', 'Songs one person may make per day (0 = unlimited)'),
						int('guildDaily', 'Songs the whole server may make per day (0 = unlimited)'),
						int('userRunning', 'Songs one person may have being made at a time (0 = no cap)'),
						int('guildRunning', 'Songs the server may have being made at a time (0 = no cap)'),
					],
				},
				{
					type: 1,
					name: 'costs',
					description: 'How many songs of the daily limits each paid call counts (0 = free)',
					options: COST_KEYS.map((key) => ({
						type: 4,
						name: COST_OPTIONS[key],
						description: `Songs one ${COST_LABELS[key]} counts (default 1, 0 = free)`,
						min_value: COST_RANGE.min,
						max_value: COST_RANGE.max,
					})),
				},
				{ type: 1, name: 'reset', description: 'Go back to the bot’s default limits' },
				{
					type: 1,
					name: 'votes',
					description: 'The poll on the two takes of each new song',
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
				},
			],
		};
	},

	async execute(interaction, ctx) {
		const guildId = interaction.guildId;
		if (!interaction.inGuild() || !guildId)
			throw new UserError('guild.only', 'Songbot settings belong to a server; run this in one.');
		if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild))
			throw new UserError('settings.forbidden', 'Only members with the **Manage Server** permission can do this.');
		const sub = interaction.options.getSubcommand();
		const current = await readGuildSettings(ctx.store, guildId);
		if (sub === 'show') return reply(interaction, ctx, current);
		if (sub === 'votes') return setVotes(interaction, ctx, current);
		if (sub === 'reset') {
			await writeGuildSettings(ctx.store, guildId, {});
			ctx.log.info({ guildId, by: interaction.user.id }, 'guild settings reset');
			return reply(interaction, ctx, {}, '✅ Back to the bot’s default limits.');
		}
		const change = sub === 'costs' ? costsFrom(interaction) : changeFrom(interaction);
		if (Object.keys(change.costs ?? change).length === 0)
			throw new UserError(
				'settings.empty',
				sub === 'costs'
					? `Give at least one of ${COST_KEYS.map((k) => `\`${COST_OPTIONS[k]}\``).join(', ')} (0 = free).`
					: 'Give at least one of `cooldown`, `per_user`, `per_server`, `running_per_user` or `running_per_server` (0 = no limit). To go back to the defaults, use `/songbot reset`.',
			);
		const next: GuildSettings = {
			...current,
			...change,
			...(change.costs ? { costs: { ...current.costs, ...change.costs } } : {}),
		};
		const problem = settingsProblem(change, effectiveLimits(defaultsOf(ctx), next));
		if (problem) throw new UserError('settings.invalid', problem);
		await writeGuildSettings(ctx.store, guildId, next);
		ctx.log.info({ guildId, by: interaction.user.id, settings: next }, 'guild settings changed');
		return reply(interaction, ctx, next, '✅ Saved. The next song asked for follows these limits.');
	},
} satisfies Command<Context>;

function changeFrom(interaction: ChatInputCommandInteraction): GuildSettings {
	const change: GuildSettings = {};
	for (const key of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
		const value = interaction.options.getInteger(RANGES[key].name);
		if (value !== null) change[key] = value;
	}
	return change;
}

function costsFrom(interaction: ChatInputCommandInteraction): GuildSettings {
	const costs: Partial<Costs> = {};
	for (const key of COST_KEYS) {
		const value = interaction.options.getInteger(COST_OPTIONS[key]);
		if (value !== null) costs[key] = value;
	}
	return { costs };
}

function defaultsOf(ctx: Context) {
	return defaultRules(ctx).quota;
}

async function reply(
	interaction: ChatInputCommandInteraction,
	ctx: Context,
	overrides: GuildSettings,
	notice?: string,
) {
	const used = await ctx.quotas.used(interaction.guildId ?? '', interaction.user.id);
	const view = renderSettings({
		defaults: defaultsOf(ctx),
		overrides,
		used,
		resetsAt: quotaResetAt(ctx.now()),
		capDefaults: defaultRules(ctx).caps,
		...(notice ? { notice } : {}),
	});
	return interaction.reply({ ...view, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

/** `/songbot votes`: turns the poll on the takes on or off and sets how long it lasts; without options, shows it. */
async function setVotes(interaction: ChatInputCommandInteraction, ctx: Context, current: GuildSettings) {
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
