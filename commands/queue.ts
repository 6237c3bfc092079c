import { MessageFlags } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';

/**
 * `/queue`: posts the now-playing message again here (what plays, what comes next, the buttons) and removes the
 * older copy, so the live player is never lost far up a busy channel. Anyone may look; the buttons still only
 * answer people in the voice channel.
 */
export const queue = {
	name: 'queue',
	data() {
		return {
			name: 'queue',
			description: 'Show the voice player here: what is playing and what comes next',
			dm_permission: false,
		};
	},

	async execute(interaction, ctx) {
		if (!interaction.guildId) throw new UserError('guild.only', 'The player lives in a server.');
		const player = ctx.voice.get(interaction.guildId);
		if (!player || player.hasLeft) {
			await interaction.reply({
				content: 'Nothing is playing in this server right now. Press ▶️ Play on a take to start.',
				flags: MessageFlags.Ephemeral,
				allowedMentions: NO_MENTIONS,
			});
			return;
		}
		await ctx.playerMessages.show(interaction, player);
	},
} satisfies Command<Context>;
