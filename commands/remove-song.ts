import { type BaseInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { songTitle, type TaskRecord } from '../src/core/records.ts';
import { readGuildSettings } from '../src/core/settings.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { auditLine, deleteSong, postAudit, type Removal, setHidden } from '../src/discord/remove-song.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { truncate } from '../src/discord/views/format.ts';
import { choice, localeOf, slash, t } from '../src/discord/i18n.ts';
import { msg, pickLocale } from '../src/i18n/index.ts';

/**
 * `/remove-song`: hide a song (out of /songs, autocomplete and Play; its messages stay) or delete it (also its
 * card, the pings about it, its take messages and its local files), with a line in the admin's log channel. Open to
 * everyone, so members can take back their own songs; the handler lets admins (Manage Server) act on any song and
 * everyone else only on the songs they asked for. Restoring a hidden song is for admins.
 */
export const removeSong = {
	name: 'remove-song',
	data() {
		return {
			...slash('cmd.remove-song'),
			dm_permission: false,
			options: [
				{ type: 3, ...slash('cmd.remove-song.song'), required: true, autocomplete: true },
				{
					type: 3,
					...slash('cmd.remove-song.how'),
					required: true,
					choices: [
						choice('cmd.remove-song.how.hide', 'hide'),
						choice('cmd.remove-song.how.delete', 'delete'),
						choice('cmd.remove-song.how.restore', 'restore'),
					],
				},
				{ type: 3, ...slash('cmd.remove-song.reason'), max_length: 300 },
			],
		};
	},

	async autocomplete(interaction, ctx) {
		const guildId = interaction.guildId;
		if (!guildId) return interaction.respond([]);
		const typed = interaction.options.getFocused().trim();
		const how = interaction.options.getString('how');
		const manager = isManager(interaction);
		const found = await ctx.store.listLibrary(guildId, { limit: 100, ...(typed ? { search: typed } : {}) });
		// Restore offers hidden songs, hide the visible ones, delete both (a hidden song can still be deleted).
		const offered = (r: TaskRecord) =>
			!r.hidden?.deleted && (how === 'restore' ? !!r.hidden : how === 'delete' || !r.hidden);
		const songs = found
			.filter(offered)
			.filter((r) => manager || r.requester.userId === interaction.user.id)
			.slice(0, 25);
		const locale = localeOf(interaction);
		const hidden = t(locale, 'remove.choice_hidden');
		return interaction.respond(
			songs.map((r) => ({
				name: truncate(
					`${songTitle(r)} · ${t(locale, 'library.by', { who: r.requester.name })}${r.hidden ? hidden : ''}`,
					100,
				),
				value: r.id,
			})),
		);
	},

	async execute(interaction, ctx) {
		const guildId = interaction.guildId;
		if (!interaction.inGuild() || !guildId) throw new UserError('guild.only', msg('error.guild_only.songs'));
		const how = interaction.options.getString('how', true) as Removal;
		const reason = interaction.options.getString('reason')?.trim() || undefined;
		// The store's record, which this command also writes (hide, delete); the tracker keeps only unfinished songs
		// in memory, and only a finished song may be removed.
		const record = await ctx.store.getTask(interaction.options.getString('song', true));
		if (!record || record.place.guildId !== guildId || record.hidden?.deleted)
			throw new UserError('song.unknown', msg('error.song.unknown_pick'));
		requireAllowed(interaction, record, how);
		if (record.settledAt === undefined) throw new UserError('song.busy', msg('error.song.still_making'));
		if (how === 'hide' && record.hidden) throw new UserError('song.hidden', msg('error.song.hidden_already'));
		if (how === 'restore' && !record.hidden) throw new UserError('song.visible', msg('error.song.not_hidden'));

		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const by = interaction.user.id;
		const report = how === 'delete' ? await deleteSong(interaction.client, ctx, record, by) : undefined;
		if (how !== 'delete') await setHidden(ctx, record, by, how === 'hide');
		ctx.log.info({ guildId, taskId: record.id, by, how }, 'song removal');
		const settings = await readGuildSettings(ctx.store, guildId);
		const problem = await postAudit(
			interaction.client,
			ctx,
			settings.logChannelId,
			auditLine(record, how, by, reason, report, pickLocale(interaction.guildLocale)),
			localeOf(interaction),
		);
		const locale = localeOf(interaction);
		const deleted = { messages: report?.messagesDeleted ?? 0, files: report?.filesDeleted ?? 0 };
		const done = {
			hide: t(locale, 'remove.hidden'),
			delete:
				t(locale, 'remove.deleted', deleted) +
				(report?.messagesLeft ? t(locale, 'remove.deleted_left', { left: report.messagesLeft }) : ''),
			restore: t(locale, 'remove.restored'),
		}[how];
		await interaction.editReply({
			content: `${done}${problem ? `\n⚠️ ${problem}` : ''}`,
			allowedMentions: NO_MENTIONS,
		});
	},
} satisfies Command<Context>;

function isManager(interaction: BaseInteraction): boolean {
	return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

/** Admins act on any song; the person who asked for a song may hide or delete it, not restore it. */
function requireAllowed(interaction: BaseInteraction, record: TaskRecord, how: Removal): void {
	if (isManager(interaction)) return;
	if (how === 'restore') throw new UserError('remove.forbidden', msg('error.remove.restore_forbidden'));
	if (record.requester.userId !== interaction.user.id)
		throw new UserError('remove.forbidden', msg('error.remove.forbidden'));
}
