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
import { localeOf, slash, t } from './i18n.ts';
import { msg } from '../i18n/index.ts';

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
	if (!watch) throw new UserError('credits.off', msg('error.credits.off'));
	const channel = interaction.options.getChannel('channel');
	const below = interaction.options.getInteger('below');
	const locale = localeOf(interaction);
	let notice: string | undefined;
	if (below === 0) {
		await watch.configure(guildId, undefined);
		notice = t(locale, 'credits.off');
	} else if (channel || below !== null) {
		const current = await watch.alertsOf(guildId);
		const channelId = channel?.id ?? current?.channelId;
		const threshold = below ?? current?.threshold;
		if (!channelId || threshold === undefined)
			throw new UserError('credits.incomplete', msg('error.credits.incomplete'));
		await watch.configure(guildId, { channelId, threshold });
		notice = t(locale, 'credits.saved', { channel: channelId, threshold });
	}
	const lines = notice ? [notice] : [];
	let balance: number | undefined;
	try {
		balance = await watch.balance();
	} catch (error) {
		ctx.log.warn({ err: error }, 'could not read the provider credits');
		lines.push(t(locale, 'credits.no_answer'));
	}
	if (!watch.reported) lines.push(t(locale, 'credits.not_reported'));
	else if (balance !== undefined) lines.push(t(locale, 'credits.balance', { balance }));
	const alerts = await watch.alertsOf(guildId);
	lines.push(
		alerts
			? t(locale, 'credits.alerts', { channel: alerts.channelId, threshold: alerts.threshold })
			: t(locale, 'credits.no_alerts'),
	);
	if (notice) await watch.check();
	return interaction.reply({ content: lines.join('\n'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
