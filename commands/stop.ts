import { MessageFlags } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { memberVoiceChannelId } from '../src/discord/player-message.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { slash } from '../src/discord/i18n.ts';

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
		if (!interaction.guildId) throw new UserError('guild.only', 'The player lives in a server.');
		const player = ctx.voice.controlFor(interaction.guildId, memberVoiceChannelId(interaction));
		const messages = ctx.playerMessages;
		await messages.stoppedBy(interaction.guildId, interaction.user.id);
		player.stop();
		await interaction.reply({
			content: `⏹️ Stopped. I left <#${player.channelId}> and cleared the queue.`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
} satisfies Command<Context>;
