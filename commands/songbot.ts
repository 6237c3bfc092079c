import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { COST_KEYS, type CostKey, type Costs } from '../src/core/costs.ts';
import { quotaResetAt } from '../src/core/quota.ts';
import {
	adminPart,
	effectiveLimits,
	type GuildSettings,
	readGuildSettings,
	writeGuildSettings,
} from '../src/core/settings.ts';
import { ADMIN_SUBCOMMAND_NAMES, ADMIN_SUBCOMMANDS, adminChange } from '../src/discord/admin-settings.ts';
import { VOTES_SUBCOMMAND, votesCommand } from '../src/discord/vote-settings.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { CREDITS_SUBCOMMAND, creditsCommand } from '../src/discord/credits.ts';
import { defaultRules } from '../src/discord/limits.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { renderAdminRules } from '../src/discord/views/admin.ts';
import {
	CAP_RANGES,
	COST_OPTIONS,
	COST_RANGE,
	renderSettings,
	SETTING_RANGES,
	settingsProblem,
} from '../src/discord/views/settings.ts';
import { localeOf, type SlashKey, slash, t } from '../src/discord/i18n.ts';
import { msg } from '../src/i18n/index.ts';

const RANGES = { ...SETTING_RANGES, ...CAP_RANGES };
/** Each cost's option (`COST_OPTIONS`), its name and description in the catalog. */
const COST_TEXT: Record<CostKey, SlashKey> = {
	song: 'cmd.songbot.costs.song',
	extend: 'cmd.songbot.costs.extend',
	remix: 'cmd.songbot.costs.remix',
	full: 'cmd.songbot.costs.full_song',
	lyrics: 'cmd.songbot.costs.lyrics',
	upload: 'cmd.songbot.costs.upload',
	split: 'cmd.songbot.costs.split',
	stems: 'cmd.songbot.costs.stems',
	wav: 'cmd.songbot.costs.wav',
	video: 'cmd.songbot.costs.video',
	boost: 'cmd.songbot.costs.boost_style',
	fix: 'cmd.songbot.costs.fix_section',
	persona: 'cmd.songbot.costs.house_singer',
	own_audio: 'cmd.songbot.costs.own_audio',
};
const int = (key: keyof typeof RANGES, text: SlashKey) => ({
	type: 4,
	...slash(text),
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
			...slash('cmd.songbot'),
			dm_permission: false,
			default_member_permissions: String(PermissionFlagsBits.ManageGuild),
			options: [
				{ type: 1, ...slash('cmd.songbot.show') },
				{
					type: 1,
					...slash('cmd.songbot.set'),
					options: [
						int('cooldownSec', 'cmd.songbot.set.cooldown'),
						int('userDaily', 'cmd.songbot.set.per_user'),
						int('guildDaily', 'cmd.songbot.set.per_server'),
						int('userRunning', 'cmd.songbot.set.running_per_user'),
						int('guildRunning', 'cmd.songbot.set.running_per_server'),
					],
				},
				{
					type: 1,
					...slash('cmd.songbot.costs'),
					options: COST_KEYS.map((key) => ({
						type: 4,
						...slash(COST_TEXT[key]),
						min_value: COST_RANGE.min,
						max_value: COST_RANGE.max,
					})),
				},
				{ type: 1, ...slash('cmd.songbot.reset') },
				VOTES_SUBCOMMAND,
				CREDITS_SUBCOMMAND,
				...ADMIN_SUBCOMMANDS,
			],
		};
	},

	async execute(interaction, ctx) {
		const guildId = interaction.guildId;
		if (!interaction.inGuild() || !guildId) throw new UserError('guild.only', msg('error.guild_only.settings'));
		if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild))
			throw new UserError('settings.forbidden', msg('error.settings.forbidden'));
		const sub = interaction.options.getSubcommand();
		if (sub === 'credits') return creditsCommand(interaction, ctx);
		const current = await readGuildSettings(ctx.store, guildId);
		if (sub === 'show') return reply(interaction, ctx, current);
		if (sub === 'votes') return votesCommand(interaction, ctx, current);
		if (ADMIN_SUBCOMMAND_NAMES.includes(sub)) {
			const { next, notice } = adminChange(interaction, sub, current);
			await writeGuildSettings(ctx.store, guildId, next);
			ctx.log.info({ guildId, by: interaction.user.id, sub }, 'guild rules changed');
			return reply(interaction, ctx, next, notice);
		}
		if (sub === 'reset') {
			// Channels, roles, the word filter and the log channel are rules, not limits: they stay.
			const kept = adminPart(current);
			await writeGuildSettings(ctx.store, guildId, kept);
			ctx.log.info({ guildId, by: interaction.user.id }, 'guild settings reset');
			return reply(interaction, ctx, kept, t(localeOf(interaction), 'settings.reset_done'));
		}
		const change = sub === 'costs' ? costsFrom(interaction) : changeFrom(interaction);
		if (Object.keys(change.costs ?? change).length === 0)
			throw new UserError(
				'settings.empty',
				sub === 'costs'
					? msg('error.settings.costs_empty', {
							options: COST_KEYS.map((k) => `\`${COST_OPTIONS[k]}\``).join(', '),
						})
					: msg('error.settings.set_empty'),
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
		return reply(interaction, ctx, next, t(localeOf(interaction), 'settings.saved'));
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
		locale: localeOf(interaction),
		...(notice ? { notice } : {}),
	});
	return interaction.reply({
		...view,
		embeds: [...view.embeds, renderAdminRules(overrides, localeOf(interaction))],
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
}
