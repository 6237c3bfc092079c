import { existsSync } from 'node:fs';
import {
	type ButtonInteraction,
	MessageFlags,
	PermissionFlagsBits,
	type StringSelectMenuInteraction,
} from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { ClipRecord, TaskRecord } from '../src/core/records.ts';
import { takeName } from '../src/core/take-name.ts';
import { takeAttachment } from '../src/discord/card.ts';
import { once } from '../src/discord/click-guard.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import type { ParsedCustomId } from '../src/discord/custom-id.ts';
import { type Viewer, visibleSong } from '../src/discord/library.ts';
import { PLAY_VOICE, requirePermissions } from '../src/discord/permissions.ts';
import { memberVoiceChannelId } from '../src/discord/player-message.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { isFull } from '../src/discord/voice-occupancy.ts';
import { inlineTitle } from '../src/discord/views/format.ts';
import { queueReplies } from '../src/discord/views/player.ts';
import type { Take, TakeSource } from '../src/voice/index.ts';
import { msg } from '../src/i18n/index.ts';
import { localeOf, serverLocale, t } from '../src/discord/i18n.ts';
import { takeWords } from '../src/discord/views/card.ts';

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
		throw new UserError('button.old', msg('error.old_button'));
	},

	async select(interaction, ctx, id) {
		if (id.action !== 'remove') throw new UserError('button.old', msg('error.old_menu'));
		return removeEntry(interaction, ctx);
	},
} satisfies Command<Context>;

async function playClip(interaction: ButtonInteraction, ctx: Context, id: ParsedCustomId): Promise<void> {
	if (!interaction.inCachedGuild()) throw new UserError('guild.only', msg('error.guild_only.play'));
	// A take that cannot be played (removed, hidden) says so before anyone is asked to join a voice channel.
	const takes = await takesOf(ctx, interaction, id);
	const channel = interaction.member.voice.channel;
	if (!channel) throw new UserError('voice.join_first', msg('error.voice.join_first'));
	const me = interaction.guild.members.me;
	requirePermissions(me?.permissionsIn(channel), PLAY_VOICE, `<#${channel.id}>`, { locale: localeOf(interaction) });
	if (isFull(channel) && !me?.permissionsIn(channel).has(PermissionFlagsBits.MoveMembers))
		throw new UserError('voice.full', msg('error.voice.full', { channel: channel.id }));

	const target = {
		guildId: interaction.guildId,
		channelId: channel.id,
		adapterCreator: channel.guild.voiceAdapterCreator,
	};
	// A double click queues the take once: a press while the first is being done is the same press. One that comes
	// after the first was answered is deliberate (queue the take again), and so is someone else's.
	await once(ctx, interaction, () => queueTakes(interaction, ctx, target, takes), { perUser: true, holdAfterMs: 0 });
}

/** Queues the takes and answers: the player message when they play now, where they are in the queue otherwise. */
export async function queueTakes(
	interaction: ButtonInteraction<'cached'>,
	ctx: Context,
	target: Parameters<Context['voice']['playAll']>[0],
	takes: Take[],
): Promise<void> {
	const take = takes[0] as Take;
	const { player, position, added } = await ctx.voice.playAll(target, takes, interaction.user.id);
	const messages = ctx.playerMessages;
	if (position === 0 && added === takes.length) return messages.show(interaction, player);
	const link = messages.messageUrl(interaction.guildId);
	const locale = localeOf(interaction);
	const what =
		takes.length > 1
			? queueReplies(locale).playAll(added, takes.length, position)
			: t(locale, 'play.queued', { position: position + 1, title: inlineTitle(take.title) });
	if (position === 0) {
		// Not all of the song fitted: the player message goes up as usual, and the clicker learns what was left out.
		await messages.show(interaction, player);
		await interaction.followUp({ content: what, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
		return;
	}
	await interaction.reply({
		content: link ? t(locale, 'play.queued_link', { what, link }) : what,
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
}

const CONTROLS = ['pause', 'resume', 'skip', 'stop', 'loop', 'shuffle'] as const;
type Control = (typeof CONTROLS)[number];

/** Pause, resume, skip, stop, loop or shuffle, by someone listening in the player's channel. */
async function control(interaction: ButtonInteraction, ctx: Context, action: Control): Promise<void> {
	if (!interaction.guildId) throw new UserError('guild.only', msg('error.guild_only.player'));
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
	if (!interaction.guildId) throw new UserError('guild.only', msg('error.guild_only.player'));
	const player = ctx.voice.controlFor(interaction.guildId, memberVoiceChannelId(interaction));
	const removed = player.remove(Number(interaction.values[0]));
	await interaction.reply({
		content: removed
			? queueReplies(localeOf(interaction)).removed(removed.take.title)
			: queueReplies(localeOf(interaction)).alreadyGone,
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
	await ctx.playerMessages.refreshNow(interaction.guildId);
}

/**
 * The take a Play button names (or, for Play all, every take of the song that has audio, in order), with the best
 * audio there is for each now.
 */
export async function takesOf(ctx: Context, viewer: Viewer, id: ParsedCustomId): Promise<Take[]> {
	const [taskId, clipId] = id.args;
	// The library rule: unknown for another server's take, refused for one from a channel the viewer cannot see.
	const task = await visibleSong(ctx, viewer, taskId);
	const clips = task ? task.clips.filter((c) => id.action === 'all' || c.id === clipId) : [];
	if (!task || clips.length === 0) throw new UserError('take.unknown', msg('error.take.unknown_take'));
	const authors = [...new Set((task.credits ?? [{ userId: task.requester.userId }]).map((c) => `<@${c.userId}>`))];
	// The player message and queue are the channel's: the server's language, whoever pressed Play.
	const words = takeWords(serverLocale(viewer.guild));
	const takes = clips.flatMap((clip): Take[] => {
		const source = sourceOf(ctx, viewer, task, clip);
		if (!source) return [];
		return [
			{
				id: clip.id,
				title: takeName(task, clip, undefined, words),
				authors,
				...(clip.durationSec !== undefined ? { durationSec: clip.durationSec } : {}),
				source,
				number: task.clips.indexOf(clip) + 1,
				makerId: task.requester.userId,
			},
		];
	});
	if (takes.length === 0) throw new UserError('take.no_audio', msg('error.take.no_audio'));
	return takes;
}

/**
 * The downloaded file when this process has it (transcoded once, then replayed from the cache). A posted take
 * whose file is gone (evicted from the cache, or delivered by another process) is fetched again from the bot's
 * own attachment, not from the provider URL, which expires. Otherwise the provider's URL, transcoded live: a take
 * posted without a file, or the stream of a take still generating.
 */
function sourceOf(ctx: Context, viewer: Viewer, task: TaskRecord, clip: ClipRecord): TakeSource | undefined {
	if (clip.file && existsSync(clip.file.path)) return { kind: 'file', path: clip.file.path };
	const posted = clip.delivery?.status === 'delivered' ? clip.delivery.messageId : undefined;
	if (clip.state === 'complete' && posted)
		return { kind: 'fetch', fetch: () => fetchPosted(ctx, viewer, task, clip, posted) };
	if (clip.state === 'complete' && clip.audioUrl) return { kind: 'live', url: clip.audioUrl };
	if (clip.state === 'streaming' && clip.streamUrl) return { kind: 'live', url: clip.streamUrl };
	return undefined;
}

/** Downloads the audio attached to the take's own message into the audio cache and returns its path. */
async function fetchPosted(
	ctx: Context,
	viewer: Viewer,
	task: TaskRecord,
	clip: ClipRecord,
	messageId: string,
): Promise<string> {
	// A deleted message or channel leaves the provider's URL as the last resort.
	const channel = await viewer.client.channels
		.fetch(task.place.channelId, { allowUnknownGuild: true })
		.catch(() => null);
	const message =
		channel && 'messages' in channel ? await channel.messages.fetch(messageId).catch(() => undefined) : undefined;
	// On the song card the take's file is the one named after it.
	const attachment = message ? takeAttachment(message, task, clip) : undefined;
	// Posted as a link (too large to attach, or the download failed then): the provider's URL is all there is.
	const url = attachment?.url ?? clip.audioUrl;
	if (!url) throw new Error('the take message has no audio attached');
	const file = await ctx.audio.ensure(task.id, clip.id, url, AbortSignal.timeout(120_000));
	return file.path;
}
