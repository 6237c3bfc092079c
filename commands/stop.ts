import { MessageFlags } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { memberVoiceChannelId } from '../src/discord/player-message.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { localeOf, slash, t } from '../src/discord/i18n.ts';
import { msg } from '../src/i18n/index.ts';

/** `/stop`: clears the queue and leaves the voice channel; only someone listening there may do it. */
export const stop = {
	name: 'stop',
	data() {
		return {
			...slash('cmd.stop'),
			dm_permission: false,
		};
	},

	async execute(interaction, ctx) {
		if (!interaction.guildId) throw new UserError('guild.only', msg('error.guild_only.player'));
		const player = ctx.voice.controlFor(interaction.guildId, memberVoiceChannelId(interaction));
		const messages = ctx.playerMessages;
		await messages.stoppedBy(interaction.guildId, interaction.user.id);
		player.stop();
		await interaction.reply({
			content: t(localeOf(interaction), 'stop.done', { channel: player.channelId }),
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
} satisfies Command<Context>;
