import { MessageFlags } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { quotaResetAt } from '../src/core/quota.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { rulesFor } from '../src/discord/limits.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { type Locale, localeOf, slash, t } from '../src/discord/i18n.ts';
import { msg } from '../src/i18n/index.ts';

/**
 * `/limits`: a member's own songs left today and when their cooldown ends, open to everyone and ephemeral.
 * A command of its own, not `/songbot me`: `default_member_permissions` applies to a whole command (Discord has no
 * permissions per subcommand), so a subcommand of the admin-only /songbot would stay hidden from the members it is for.
 */
export const limits = {
	name: 'limits',
	data() {
		return {
			...slash('cmd.limits'),
			dm_permission: false,
		};
	},

	async execute(interaction, ctx) {
		const guildId = interaction.guildId;
		if (!interaction.inGuild() || !guildId) throw new UserError('guild.only', msg('error.guild_only.limits'));
		const userId = interaction.user.id;
		const rules = await rulesFor(ctx, guildId);
		const { quota, settings } = rules;
		const used = await ctx.quotas.used(guildId, userId);
		const cooldownEnd = await ctx.quotas.cooldownEndsAt(guildId, userId);
		const now = ctx.now();
		const at = quotaResetAt(now);
		const locale = localeOf(interaction);
		const left = (limit: number, n: number) =>
			limit > 0 ? t(locale, 'limits.left', { left: Math.max(0, limit - n), limit }) : t(locale, 'limits.no_limit');
		const lines = [
			t(locale, 'limits.left_you', { left: left(quota.userDaily, used.user) }),
			t(locale, 'limits.left_server', { left: left(quota.guildDaily, used.guild) }),
			...(quota.userDaily > 0 || quota.guildDaily > 0 ? [t(locale, 'limits.reset', { at })] : []),
			cooldownLine(locale, quota.cooldownSec, cooldownEnd, now),
			...(rules.costs.song !== 1 ? [t(locale, 'limits.song_cost', { cost: rules.costs.song })] : []),
			...(settings.songChannels?.length
				? [t(locale, 'limits.channels', { channels: settings.songChannels.map((id) => `<#${id}>`).join(' ') })]
				: []),
			...(settings.songRoles?.length
				? [t(locale, 'limits.roles', { roles: settings.songRoles.map((id) => `<@&${id}>`).join(' ') })]
				: []),
		];
		await interaction.reply({ content: lines.join('\n'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},
} satisfies Command<Context>;

function cooldownLine(locale: Locale, cooldownSec: number, end: number | undefined, now: number): string {
	if (end === undefined || (end > 0 && end <= now))
		return cooldownSec > 0 ? t(locale, 'limits.cooldown_free', { cooldownSec }) : t(locale, 'limits.cooldown_off');
	if (end === 0) return t(locale, 'limits.cooldown_running', { cooldownSec });
	return t(locale, 'limits.cooldown_ends', { end });
}
