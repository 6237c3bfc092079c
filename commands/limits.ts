import { MessageFlags } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { quotaResetAt } from '../src/core/quota.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { rulesFor } from '../src/discord/limits.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { slash } from '../src/discord/i18n.ts';

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
		if (!interaction.inGuild() || !guildId)
			throw new UserError('guild.only', 'Limits belong to a server; run this in one.');
		const userId = interaction.user.id;
		const rules = await rulesFor(ctx, guildId);
		const { quota, settings } = rules;
		const used = await ctx.quotas.used(guildId, userId);
		const cooldownEnd = await ctx.quotas.cooldownEndsAt(guildId, userId);
		const now = ctx.now();
		const reset = Math.floor(quotaResetAt(now) / 1000);
		const left = (limit: number, n: number) => (limit > 0 ? `**${Math.max(0, limit - n)}** of ${limit}` : 'no limit');
		const lines = [
			`🎵 Songs left for you today: ${left(quota.userDaily, used.user)}`,
			`🏠 Left for the whole server today: ${left(quota.guildDaily, used.guild)}`,
			...(quota.userDaily > 0 || quota.guildDaily > 0 ? [`🔄 Daily limits reset <t:${reset}:t> (<t:${reset}:R>)`] : []),
			cooldownLine(quota.cooldownSec, cooldownEnd, now),
			...(rules.costs.song !== 1 ? [`A song counts as ${rules.costs.song} here.`] : []),
			...(settings.songChannels?.length
				? [`📍 Songs are made in ${settings.songChannels.map((id) => `<#${id}>`).join(' ')}`]
				: []),
			...(settings.songRoles?.length
				? [`🎫 Songs are made by members with ${settings.songRoles.map((id) => `<@&${id}>`).join(' ')}`]
				: []),
		];
		await interaction.reply({ content: lines.join('\n'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},
} satisfies Command<Context>;

function cooldownLine(cooldownSec: number, end: number | undefined, now: number): string {
	if (end === undefined || (end > 0 && end <= now))
		return cooldownSec > 0
			? `⏱️ No cooldown running: you can make a song now (then one every ${cooldownSec} s).`
			: '⏱️ No cooldown on this server.';
	if (end === 0) return `⏱️ Your cooldown is running (${cooldownSec} s from your last song).`;
	const at = Math.ceil(end / 1000);
	return `⏱️ Your cooldown ends <t:${at}:T> (<t:${at}:R>).`;
}
