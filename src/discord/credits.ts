import {
	type APIApplicationCommandSubcommandOption,
	ApplicationCommandOptionType,
	ChannelType,
	type ChatInputCommandInteraction,
	MessageFlags,
} from 'discord.js';
import { UserError } from '../core/errors.ts';
import type { Context } from './context.ts';
import { NO_MENTIONS } from './router.ts';
import { slash } from './i18n.ts';

/**
 * `/songbot credits`: the provider balance for admins, and where and below what balance the bot warns them.
 * A separate section of /songbot (the limits live in commands/songbot.ts).
 */

export const CREDITS_SUBCOMMAND: APIApplicationCommandSubcommandOption = {
	type: ApplicationCommandOptionType.Subcommand,
	...slash('cmd.songbot.credits'),
	options: [
		{
			type: ApplicationCommandOptionType.Channel,
			...slash('cmd.songbot.credits.channel'),
			channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
		},
		{
			type: 4,
			...slash('cmd.songbot.credits.below'),
			min_value: 0,
		},
	],
};

export async function creditsCommand(interaction: ChatInputCommandInteraction, ctx: Context): Promise<unknown> {
	const guildId = interaction.guildId ?? '';
	const watch = ctx.credits;
	if (!watch) throw new UserError('credits.off', 'Credit warnings are not available in this bot.');
	const channel = interaction.options.getChannel('channel');
	const below = interaction.options.getInteger('below');
	let notice: string | undefined;
	if (below === 0) {
		await watch.configure(guildId, undefined);
		notice = '✅ No more credit warnings for this server.';
	} else if (channel || below !== null) {
		const current = await watch.alertsOf(guildId);
		const channelId = channel?.id ?? current?.channelId;
		const threshold = below ?? current?.threshold;
		if (!channelId || threshold === undefined)
			throw new UserError('credits.incomplete', 'Give both `channel` and `below` the first time.');
		await watch.configure(guildId, { channelId, threshold });
		notice = `✅ Saved: a warning goes to <#${channelId}> when fewer than ${threshold} credits are left.`;
	}
	const lines = notice ? [notice] : [];
	let balance: number | undefined;
	try {
		balance = await watch.balance();
	} catch (error) {
		ctx.log.warn({ err: error }, 'could not read the provider credits');
		lines.push('The music provider did not answer about credits just now.');
	}
	if (!watch.reported)
		lines.push('This music provider does not report its credits, so the bot cannot warn about them.');
	else if (balance !== undefined) lines.push(`💳 Credits left at the music provider: **${balance}**`);
	const alerts = await watch.alertsOf(guildId);
	lines.push(
		alerts
			? `Warnings go to <#${alerts.channelId}> below ${alerts.threshold} credits.`
			: 'No warning channel is set: `/songbot credits channel:#admins below:100` sets one.',
	);
	if (notice) await watch.check();
	return interaction.reply({ content: lines.join('\n'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
