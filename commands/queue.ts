import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { memberVoiceChannelId } from '../src/discord/player-message.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { queueReplies } from '../src/discord/views/player.ts';
import type { LoopMode } from '../src/voice/index.ts';
import { choice, localeOf, slash, t } from '../src/discord/i18n.ts';
import { msg } from '../src/i18n/index.ts';

/**
 * `/queue`: posts the now-playing message again here (what plays, what comes next, the buttons) and removes the
 * older copy, so the live player is never lost far up a busy channel. Anyone may look; the buttons still only
 * answer people in the voice channel. Its options do what the player message's buttons do, for people in the
 * channel: `remove` (a position in Up next), `loop` and `shuffle`.
 */
export const queue = {
	name: 'queue',
	data() {
		return {
			...slash('cmd.queue'),
			dm_permission: false,
			options: [
				{
					type: 4,
					...slash('cmd.queue.remove'),
					min_value: 1,
				},
				{
					type: 3,
					...slash('cmd.queue.loop'),
					choices: [
						choice('cmd.queue.loop.off', 'off'),
						choice('cmd.queue.loop.take', 'take'),
						choice('cmd.queue.loop.queue', 'queue'),
					],
				},
				{ type: 5, ...slash('cmd.queue.shuffle') },
			],
		};
	},

	async execute(interaction, ctx) {
		if (!interaction.guildId) throw new UserError('guild.only', msg('error.guild_only.player'));
		const remove = interaction.options.getInteger('remove');
		const loop = interaction.options.getString('loop') as LoopMode | null;
		const shuffle = interaction.options.getBoolean('shuffle');
		if (remove !== null || loop !== null || shuffle) return change(interaction, ctx, { remove, loop, shuffle });
		const player = ctx.voice.get(interaction.guildId);
		if (!player || player.hasLeft) {
			await interaction.reply({
				content: t(localeOf(interaction), 'queue.nothing_playing'),
				flags: MessageFlags.Ephemeral,
				allowedMentions: NO_MENTIONS,
			});
			return;
		}
		await ctx.playerMessages.show(interaction, player);
	},
} satisfies Command<Context>;

/** The options: by someone listening in the player's channel, answered privately; the player message follows. */
async function change(
	interaction: ChatInputCommandInteraction,
	ctx: Context,
	asked: { remove: number | null; loop: LoopMode | null; shuffle: boolean | null },
): Promise<void> {
	const guildId = interaction.guildId as string;
	const player = ctx.voice.controlFor(guildId, memberVoiceChannelId(interaction));
	const replies = queueReplies(localeOf(interaction));
	const done: string[] = [];
	if (asked.remove !== null) {
		const entry = player.waiting[asked.remove - 1];
		const removed = entry && player.remove(entry.key);
		done.push(removed ? replies.removed(removed.take.title) : replies.noSuchPosition(asked.remove));
	}
	if (asked.loop !== null) done.push(replies.loop(player.cycleLoop(asked.loop)));
	if (asked.shuffle) done.push(player.shuffle() ? replies.shuffled : replies.nothingToShuffle);
	await interaction.reply({ content: done.join('\n'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	await ctx.playerMessages.refreshNow(guildId);
}
