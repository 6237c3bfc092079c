import { existsSync } from 'node:fs';
import { type ButtonInteraction, type Guild, PermissionFlagsBits, type VoiceBasedChannel } from 'discord.js';
import { UserError } from '../core/errors.ts';
import type { ClipRecord, TaskRecord } from '../core/records.ts';
import { takeName } from '../core/take-name.ts';
import { msg } from '../i18n/index.ts';
import type { Take, TakeSource, VoiceTarget } from '../voice/index.ts';
import type { Context } from './context.ts';
import { linesOf } from './fix-section.ts';
import { type Locale, localeOf, serverLocale, t } from './i18n.ts';
import { PLAY_VOICE, requirePermissions } from './permissions.ts';
import type { SourceTake } from './take-source.ts';
import { isFull } from './voice-occupancy.ts';
import { takeWords } from './views/card.ts';

/**
 * 🎙️ Karaoke on a take (issue 17): its instrumental, from a split the bot has, played in the clicker's voice
 * channel while the player message follows the take's timed lyrics line by line (src/discord/karaoke-lines.ts).
 * Finding or starting the split is the studio command's (commands/studio.ts); this prepares what the player plays.
 */

/** The task a studio tool's reuse key names, following an intent to the provider's task it became. */
export async function toolRecord(ctx: Context, key: string): Promise<TaskRecord | undefined> {
	let id = await ctx.store.getValue<string>(key);
	let record: TaskRecord | undefined;
	for (let hops = 0; id !== undefined && hops < 3; hops++) {
		record = await ctx.store.getTask(id);
		id = record?.state.status === 'moved' ? record.state.taskId : undefined;
	}
	return record;
}

/** The split's instrumental as the player takes it: the bot's file while it has it, else the provider's URL. */
function instrumentalOf(split: TaskRecord): { clip: ClipRecord; source: TakeSource } | undefined {
	const clip = split.clips.find((c) => c.stem === 'instrumental');
	if (clip?.file && existsSync(clip.file.path)) return { clip, source: { kind: 'file', path: clip.file.path } };
	if (clip?.audioUrl) return { clip, source: { kind: 'live', url: clip.audioUrl } };
	return undefined;
}

/** The studio's record of the tool task made for a take, kept as long as the provider keeps its files (about 15 days). */
export const studioReuseKey = (guildId: string, tool: string, taskId: string, clipId: string) =>
	`studio:done:${guildId}:${tool}:${taskId}:${clipId}`;

/** Where karaoke plays: the presser's server and voice channel, and their language for refusals. */
export interface KaraokeWhere {
	guild: Guild;
	channel: VoiceBasedChannel;
	locale: Locale;
}

/** The presser's voice channel, refusing (as a UserError) what they could get wrong. */
export function karaokeWhere(interaction: ButtonInteraction): KaraokeWhere {
	if (!interaction.inCachedGuild()) throw new UserError('guild.only', msg('error.guild_only.play'));
	const channel = interaction.member.voice.channel;
	if (!channel) throw new UserError('voice.join_first', msg('error.voice.join_first'));
	return { guild: interaction.guild, channel, locale: localeOf(interaction) };
}

/**
 * Checks what a person could get wrong (the bot may not speak there, no lyrics), fetches the timed lyrics, hands
 * them to the player message and returns the take to queue and where.
 */
export async function prepareKaraoke(
	ctx: Context,
	where: KaraokeWhere,
	source: Pick<SourceTake, 'task' | 'clip'>,
	split: TaskRecord,
): Promise<{ target: VoiceTarget; take: Take }> {
	const instrumental = instrumentalOf(split);
	if (!instrumental) throw new UserError('studio.karaoke-none', msg('studio.karaoke_no_instrumental'));
	const { guild, channel } = where;
	const me = guild.members.me;
	requirePermissions(me?.permissionsIn(channel), PLAY_VOICE, `<#${channel.id}>`, { locale: where.locale });
	if (isFull(channel) && !me?.permissionsIn(channel).has(PermissionFlagsBits.MoveMembers))
		throw new UserError('voice.full', msg('error.voice.full', { channel: channel.id }));
	const studio = ctx.provider.studio;
	if (!studio) throw new UserError('studio.unavailable', msg('studio.not_offered'));
	// The lyrics are timed on the take itself; its instrumental keeps the same timing.
	const words = await studio.timestampedLyrics(
		{ taskId: source.task.id, clipId: source.clip.id },
		{ signal: AbortSignal.timeout(2_500) },
	);
	const lines = linesOf(words);
	if (lines.length === 0) throw new UserError('studio.karaoke-no-lyrics', msg('studio.karaoke_no_lyrics'));
	const { clip } = instrumental;
	ctx.playerMessages.karaoke.set(clip.id, lines);
	const durationSec = clip.durationSec ?? source.clip.durationSec;
	const locale = serverLocale(guild);
	return {
		target: { guildId: guild.id, channelId: channel.id, adapterCreator: guild.voiceAdapterCreator },
		take: {
			id: clip.id,
			// The player, its queue and the channel status say it is the karaoke version, not the take itself.
			title: t(locale, 'studio.karaoke_take', {
				name: takeName(source.task, source.clip, undefined, takeWords(locale)),
			}),
			...(durationSec !== undefined ? { durationSec } : {}),
			source: instrumental.source,
			number: source.task.clips.indexOf(source.clip) + 1,
			makerId: source.task.requester.userId,
		},
	};
}
