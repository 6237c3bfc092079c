import { type ButtonInteraction, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../core/errors.ts';
import { songTitle, type TaskRecord, winningVotes } from '../core/records.ts';
import { songName } from '../core/take-name.ts';
import type { Context } from './context.ts';
import { jamLine } from './jam-library.ts';
import { visibleSong } from './library.ts';
import { lineageText, parentTitle } from './request-facts.ts';
import { NO_MENTIONS } from './router.ts';
import { inlineTitle } from './views/format.ts';
import { jumpUrl, type LibraryEntry, renderShare } from './views/library.ts';
import { msg } from '../i18n/index.ts';
import { type Locale, pickLocale } from '../i18n/index.ts';

/** A song as the library shows it (also on a shared card): its jam line and lineage in `locale`. */
export async function libraryEntryOf(
	ctx: Pick<Context, 'store'>,
	record: TaskRecord,
	locale: Locale = 'en',
): Promise<LibraryEntry> {
	const { guildId, channelId } = record.place;
	const authorIds = [...new Set((record.credits ?? [{ userId: record.requester.userId }]).map((c) => c.userId))];
	const lineage =
		(await jamLine(ctx.store, record, locale)) ??
		lineageText(record, await parentTitle(ctx.store, record), locale) ??
		(await fullSongOf(ctx, record));
	const complete = record.clips.filter((c) => c.state === 'complete');
	const winner = record.votes?.winner;
	const withLyrics = complete.find((c) => c.take === winner && c.lyrics) ?? complete.find((c) => c.lyrics);
	return {
		taskId: record.id,
		title: songName(record),
		authorIds,
		createdAt: record.createdAt,
		...(lineage ? { lineage } : {}),
		...(winner !== undefined ? { winner: { take: winner, votes: winningVotes(record) } } : {}),
		...(withLyrics ? { lyricsClipId: withLyrics.id } : {}),
		takes: complete.map((c) => ({
			clipId: c.id,
			take: c.take,
			...(c.durationSec !== undefined ? { durationSec: c.durationSec } : {}),
			...(c.delivery?.status === 'delivered' ? { jumpUrl: jumpUrl(guildId, channelId, c.delivery.messageId) } : {}),
			...(c.wavUrl ? { wavUrl: c.wavUrl } : {}),
		})),
	};
}

/** A concatenated chain has no lineage of its own; name the take it completes. */
async function fullSongOf(ctx: Pick<Context, 'store'>, record: TaskRecord): Promise<string | undefined> {
	if (record.request.action !== 'concat') return undefined;
	const source = record.request.source;
	const parent = source.taskId ? await ctx.store.getTask(source.taskId) : undefined;
	const title = parent?.clips.find((c) => c.id === source.clipId)?.title ?? (parent ? songTitle(parent) : undefined);
	return `full song of *${title ? inlineTitle(title) : 'an earlier take'}*`;
}

/**
 * Share (from a /songs entry): posts the song's card in the channel for everyone, credits kept and nobody pinged.
 * A song of a private channel is only shared there: its members chose who hears it.
 */
export async function shareSong(
	interaction: ButtonInteraction,
	ctx: Context,
	taskId: string | undefined,
): Promise<void> {
	const task = await visibleSong(ctx, interaction, taskId);
	if (!task || !interaction.inCachedGuild()) throw new UserError('take.unknown', msg('error.take.unknown_song'));
	if (!interaction.memberPermissions.has(PermissionFlagsBits.SendMessages))
		throw new UserError('share.no_send', msg('error.share.no_send'));
	const source = task.place.channelId;
	if (source !== interaction.channelId && !(await isPublic(interaction, source)))
		throw new UserError('share.private', msg('error.share.private', { channel: source }));
	const locale = pickLocale(interaction.guildLocale);
	const entry = await libraryEntryOf(ctx, task, locale);
	await interaction.reply({
		...renderShare({
			entry,
			sharedBy: interaction.user.id,
			guildId: interaction.guildId,
			channelId: source,
			locale,
		}),
		allowedMentions: NO_MENTIONS,
	});
}

/** True when @everyone may view the channel. */
async function isPublic(interaction: ButtonInteraction<'cached'>, channelId: string): Promise<boolean> {
	const guild = interaction.guild;
	const channel = guild.channels.cache.get(channelId) ?? (await guild.channels.fetch(channelId).catch(() => null));
	if (!channel) return false;
	return channel.permissionsFor(guild.roles.everyone).has(PermissionFlagsBits.ViewChannel);
}
