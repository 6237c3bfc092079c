import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { quotaResetAt } from '../src/core/quota.ts';
import { effectiveLimits, type GuildSettings, readGuildSettings, writeGuildSettings } from '../src/core/settings.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { CREDITS_SUBCOMMAND, creditsCommand } from '../src/discord/credits.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { renderSettings, SETTING_RANGES, settingsProblem } from '../src/discord/views/settings.ts';

const int = (key: keyof typeof SETTING_RANGES, description: string) => ({
	type: 4,
	name: SETTING_RANGES[key].name,
	description,
	min_value: SETTING_RANGES[key].min,
	max_value: SETTING_RANGES[key].max,
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
					],
				},
				{ type: 1, name: 'reset', description: 'Go back to the bot’s default limits' },
				CREDITS_SUBCOMMAND,
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
		if (sub === 'credits') return creditsCommand(interaction, ctx);
		const current = await readGuildSettings(ctx.store, guildId);
		if (sub === 'show') return reply(interaction, ctx, current);
		if (sub === 'reset') {
			await writeGuildSettings(ctx.store, guildId, {});
			ctx.log.info({ guildId, by: interaction.user.id }, 'guild settings reset');
			return reply(interaction, ctx, {}, '✅ Back to the bot’s default limits.');
		}
		const change = changeFrom(interaction);
		if (Object.keys(change).length === 0)
			throw new UserError(
				'settings.empty',
				'Give at least one of `cooldown`, `per_user` or `per_server` (0 = no limit). To go back to the defaults, use `/songbot reset`.',
			);
		const next: GuildSettings = { ...current, ...change };
		const problem = settingsProblem(change, effectiveLimits(defaultsOf(ctx), next));
		if (problem) throw new UserError('settings.invalid', problem);
		await writeGuildSettings(ctx.store, guildId, next);
		ctx.log.info({ guildId, by: interaction.user.id, settings: next }, 'guild settings changed');
		return reply(interaction, ctx, next, '✅ Saved. The next song asked for follows these limits.');
	},
} satisfies Command<Context>;

function changeFrom(interaction: ChatInputCommandInteraction): GuildSettings {
	const read = (key: keyof typeof SETTING_RANGES) => interaction.options.getInteger(SETTING_RANGES[key].name);
	const cooldownSec = read('cooldownSec');
	const userDaily = read('userDaily');
	const guildDaily = read('guildDaily');
	return {
		...(cooldownSec !== null ? { cooldownSec } : {}),
		...(userDaily !== null ? { userDaily } : {}),
		...(guildDaily !== null ? { guildDaily } : {}),
	};
}

function defaultsOf(ctx: Context) {
	return {
		cooldownSec: ctx.config.COOLDOWN_SEC,
		userDaily: ctx.config.USER_DAILY_LIMIT,
		guildDaily: ctx.config.GUILD_DAILY_LIMIT,
	};
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
		...(notice ? { notice } : {}),
	});
	return interaction.reply({ ...view, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
