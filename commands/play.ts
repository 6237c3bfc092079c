import { existsSync } from 'node:fs';
import {
	type ButtonInteraction,
	MessageFlags,
	PermissionFlagsBits,
	type StringSelectMenuInteraction,
} from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { type ClipRecord, songTitle } from '../src/core/records.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import type { ParsedCustomId } from '../src/discord/custom-id.ts';
import { PLAY_VOICE, requirePermissions } from '../src/discord/permissions.ts';
import { memberVoiceChannelId } from '../src/discord/player-message.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { escapeMarkdown, truncate } from '../src/discord/views/format.ts';
import { QUEUE_REPLIES } from '../src/discord/views/player.ts';
import type { Take, TakeSource } from '../src/voice/index.ts';

/**
 * The Play button on takes (`play:clip:<taskId>:<clipId>`, on posted takes and in /songs), Play all
 * (`play:all:<taskId>`: every take of the song) and the controls of the now-playing message
 * (`play:pause|resume|skip|stop|loop|shuffle` buttons, the `play:remove` menu). Play joins the clicker's voice channel, or queues the take
 * when something plays already; the player message is posted where Play started the session. Controls act on
 * the guild's player, and only for people listening in its channel.
 */
export const play = {
	name: 'play',

	async button(interaction, ctx, id) {
		if (id.action === 'clip' || id.action === 'all') return playClip(interaction, ctx, id);
		if (CONTROLS.includes(id.action as Control)) return control(interaction, ctx, id.action as Control);
		throw new UserError('button.old', 'This button is from an older version of the bot.');
	},

	async select(interaction, ctx, id) {
		if (id.action !== 'remove') throw new UserError('button.old', 'This menu is from an older version of the bot.');
		return removeEntry(interaction, ctx);
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
	if (channel.full && !me?.permissionsIn(channel).has(PermissionFlagsBits.MoveMembers))
		throw new UserError('voice.full', `<#${channel.id}> is full, so I cannot join it.`);
	const takes = await takesOf(ctx, interaction.guildId, id);
	const take = takes[0] as Take;

	const target = {
		guildId: interaction.guildId,
		channelId: channel.id,
		adapterCreator: channel.guild.voiceAdapterCreator,
	};
	const { player, position, added } = ctx.voice.playAll(target, takes, interaction.user.id);
	const messages = ctx.playerMessages;
	if (position === 0 && added === takes.length) return messages.show(interaction, player);
	const link = messages.messageUrl(interaction.guildId);
	const what =
		takes.length > 1
			? QUEUE_REPLIES.playAll(added, takes.length, position)
			: `➕ Queued #${position + 1}: **${escapeMarkdown(truncate(take.title, 100))}**.`;
	if (position === 0) {
		// Not all of the song fitted: the player message goes up as usual, and the clicker learns what was left out.
		await messages.show(interaction, player);
		await interaction.followUp({ content: what, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
		return;
	}
	await interaction.reply({
		content: `${what}${link ? ` [See the player](${link})` : ''}`,
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
}

const CONTROLS = ['pause', 'resume', 'skip', 'stop', 'loop', 'shuffle'] as const;
type Control = (typeof CONTROLS)[number];

/** Pause, resume, skip, stop, loop or shuffle, by someone listening in the player's channel. */
async function control(interaction: ButtonInteraction, ctx: Context, action: Control): Promise<void> {
	if (!interaction.guildId) throw new UserError('guild.only', 'The player lives in a server.');
	const player = ctx.voice.controlFor(interaction.guildId, memberVoiceChannelId(interaction));
	const messages = ctx.playerMessages;
	// A button that no longer applies (the message was a moment behind) does nothing; the redraw shows why.
	if (action === 'pause') player.pause();
	else if (action === 'resume') player.resume();
	else if (action === 'skip') player.skip();
	else if (action === 'loop') player.cycleLoop();
	else if (action === 'shuffle') player.shuffle();
	else {
		await interaction.deferUpdate();
		await messages.stoppedBy(interaction.guildId, interaction.user.id);
		player.stop();
		await messages.refreshNow(interaction.guildId);
		return;
	}
	await interaction.deferUpdate();
	await messages.refreshNow(interaction.guildId);
}

/** The Remove menu: takes the picked entry out of the queue and says so to whoever picked it. */
async function removeEntry(interaction: StringSelectMenuInteraction, ctx: Context): Promise<void> {
	if (!interaction.guildId) throw new UserError('guild.only', 'The player lives in a server.');
	const player = ctx.voice.controlFor(interaction.guildId, memberVoiceChannelId(interaction));
	const removed = player.remove(Number(interaction.values[0]));
	await interaction.reply({
		content: removed ? QUEUE_REPLIES.removed(removed.take.title) : QUEUE_REPLIES.alreadyGone,
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
	await ctx.playerMessages.refreshNow(interaction.guildId);
}

/**
 * The take a Play button names (or, for Play all, every take of the song that has audio, in order), with the best
 * audio there is for each now.
 */
async function takesOf(ctx: Context, guildId: string, id: ParsedCustomId): Promise<Take[]> {
	const [taskId, clipId] = id.args;
	const task = taskId ? await ctx.tracker.get(taskId) : undefined;
	// A take of another server is "unknown" here: its title is none of this server's business.
	const clips = task?.place.guildId === guildId ? task.clips.filter((c) => id.action === 'all' || c.id === clipId) : [];
	if (!task || clips.length === 0)
		throw new UserError('take.unknown', 'I do not know this take any more (old songs are removed after a while).');
	const authors = [...new Set((task.credits ?? [{ userId: task.requester.userId }]).map((c) => `<@${c.userId}>`))];
	const takes = clips.flatMap((clip): Take[] => {
		const source = sourceOf(clip);
		if (!source) return [];
		return [
			{
				id: clip.id,
				title: clip.title ?? songTitle(task),
				authors,
				...(clip.durationSec !== undefined ? { durationSec: clip.durationSec } : {}),
				source,
				number: task.clips.indexOf(clip) + 1,
				makerId: task.requester.userId,
			},
		];
	});
	if (takes.length === 0)
		throw new UserError('take.no_audio', 'This take has no audio to play yet. Try again once it is posted.');
	return takes;
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
