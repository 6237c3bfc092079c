import { existsSync } from 'node:fs';
import { type ButtonInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { type ClipRecord, songTitle } from '../src/core/records.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import type { ParsedCustomId } from '../src/discord/custom-id.ts';
import { PLAY_VOICE, requirePermissions } from '../src/discord/permissions.ts';
import { memberVoiceChannelId } from '../src/discord/player-message.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { isFull } from '../src/discord/voice-occupancy.ts';
import { escapeMarkdown, truncate } from '../src/discord/views/format.ts';
import type { Take, TakeSource } from '../src/voice/index.ts';

/**
 * The Play button on takes (`play:clip:<taskId>:<clipId>`, on posted takes and in /songs) and the buttons of the
 * now-playing message (`play:pause|resume|skip|stop`). Play joins the clicker's voice channel, or queues the take
 * when something plays already; the player message is posted where Play started the session. Controls act on
 * the guild's player, and only for people listening in its channel.
 */
export const play = {
	name: 'play',

	async button(interaction, ctx, id) {
		if (id.action === 'clip') return playClip(interaction, ctx, id);
		if (id.action === 'pause' || id.action === 'resume' || id.action === 'skip' || id.action === 'stop')
			return control(interaction, ctx, id.action);
		throw new UserError('button.old', 'This button is from an older version of the bot.');
	},
} satisfies Command<Context>;

async function playClip(interaction: ButtonInteraction, ctx: Context, id: ParsedCustomId): Promise<void> {
	if (!interaction.inCachedGuild())
		throw new UserError('guild.only', 'Takes are played in the voice channels of a server.');
	const channel = interaction.member.voice.channel;
	if (!channel)
		throw new UserError(
			'voice.join_first',
			'Join a voice channel first, then press ▶️ Play again: I play the take in the voice channel you are in.',
		);
	const me = interaction.guild.members.me;
	requirePermissions(me?.permissionsIn(channel), PLAY_VOICE, `<#${channel.id}>`);
	if (isFull(channel) && !me?.permissionsIn(channel).has(PermissionFlagsBits.MoveMembers))
		throw new UserError('voice.full', `<#${channel.id}> is full, so I cannot join it.`);
	const take = await takeOf(ctx, interaction.guildId, id);

	const target = {
		guildId: interaction.guildId,
		channelId: channel.id,
		adapterCreator: channel.guild.voiceAdapterCreator,
	};
	const { player, position } = await ctx.voice.play(target, take, interaction.user.id);
	const messages = ctx.playerMessages;
	if (position === 0) return messages.show(interaction, player);
	const link = messages.messageUrl(interaction.guildId);
	await interaction.reply({
		content: `➕ Queued #${position + 1}: **${escapeMarkdown(truncate(take.title, 100))}**.${link ? ` [See the player](${link})` : ''}`,
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
}

/** Pause, resume, skip or stop, by someone listening in the player's channel. */
async function control(
	interaction: ButtonInteraction,
	ctx: Context,
	action: 'pause' | 'resume' | 'skip' | 'stop',
): Promise<void> {
	if (!interaction.guildId) throw new UserError('guild.only', 'The player lives in a server.');
	const player = ctx.voice.controlFor(interaction.guildId, memberVoiceChannelId(interaction));
	const messages = ctx.playerMessages;
	// A button that no longer applies (the message was a moment behind) does nothing; the redraw shows why.
	if (action === 'pause') player.pause();
	else if (action === 'resume') player.resume();
	else if (action === 'skip') player.skip();
	else {
		messages.stoppedBy(interaction.guildId, interaction.user.id);
		player.stop();
	}
	await interaction.deferUpdate();
	await messages.refreshNow(interaction.guildId);
}

/** The take a Play button names, with the best audio there is for it now. */
async function takeOf(ctx: Context, guildId: string, id: ParsedCustomId): Promise<Take> {
	const [taskId, clipId] = id.args;
	const task = taskId ? await ctx.tracker.get(taskId) : undefined;
	// A take of another server is "unknown" here: its title is none of this server's business.
	const clip = task?.place.guildId === guildId ? task.clips.find((c) => c.id === clipId) : undefined;
	if (!task || !clip)
		throw new UserError('take.unknown', 'I do not know this take any more (old songs are removed after a while).');
	const source = sourceOf(clip);
	if (!source) throw new UserError('take.no_audio', 'This take has no audio to play yet. Try again once it is posted.');
	const authors = [...new Set((task.credits ?? [{ userId: task.requester.userId }]).map((c) => `<@${c.userId}>`))];
	return {
		id: clip.id,
		title: clip.title ?? songTitle(task),
		authors,
		...(clip.durationSec !== undefined ? { durationSec: clip.durationSec } : {}),
		source,
	};
}

/**
 * The downloaded file when the tracker has it (transcoded once, then replayed from the cache); otherwise the
 * provider's URL, transcoded live: the final file when the local copy is missing (not downloaded, or pruned), or
 * the stream of a take still generating.
 */
function sourceOf(clip: ClipRecord): TakeSource | undefined {
	if (clip.file && existsSync(clip.file.path)) return { kind: 'file', path: clip.file.path };
	if (clip.state === 'complete' && clip.audioUrl) return { kind: 'live', url: clip.audioUrl };
	if (clip.state === 'streaming' && clip.streamUrl) return { kind: 'live', url: clip.streamUrl };
	return undefined;
}
