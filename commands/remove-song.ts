import { type BaseInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { songTitle, type TaskRecord } from '../src/core/records.ts';
import { readGuildSettings } from '../src/core/settings.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { auditLine, deleteSong, postAudit, type Removal, setHidden } from '../src/discord/remove-song.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { truncate } from '../src/discord/views/format.ts';
import { choice, slash } from '../src/discord/i18n.ts';

/**
 * `/remove-song`: hide a song (out of /songs, autocomplete and Play; its messages stay) or delete it (also its
 * tracker and take messages and its local files), with a line in the admin's log channel. Open to everyone, so
 * members can take back their own songs; the handler lets admins (Manage Server) act on any song and everyone
 * else only on the songs they asked for. Restoring a hidden song is for admins.
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
		return interaction.respond(
			songs.map((r) => ({
				name: truncate(`${songTitle(r)} · by ${r.requester.name}${r.hidden ? ' (hidden)' : ''}`, 100),
				value: r.id,
			})),
		);
	},

	async execute(interaction, ctx) {
		const guildId = interaction.guildId;
		if (!interaction.inGuild() || !guildId) throw new UserError('guild.only', 'Songs belong to a server.');
		const how = interaction.options.getString('how', true) as Removal;
		const reason = interaction.options.getString('reason')?.trim() || undefined;
		const record = await ctx.tracker.get(interaction.options.getString('song', true));
		if (!record || record.place.guildId !== guildId || record.hidden?.deleted)
			throw new UserError(
				'song.unknown',
				'I do not know this song (it may be deleted already). Pick one from the list.',
			);
		requireAllowed(interaction, record, how);
		if (record.settledAt === undefined)
			throw new UserError('song.busy', 'This song is still being made or posted. Try again once it is done.');
		if (how === 'hide' && record.hidden) throw new UserError('song.hidden', 'This song is hidden already.');
		if (how === 'restore' && !record.hidden) throw new UserError('song.visible', 'This song is not hidden.');

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
			auditLine(record, how, by, reason, report),
		);
		const done = {
			hide: '🙈 Hidden: it no longer shows in /songs, autocomplete or Play. Its messages stay in the channel.',
			delete: `🗑️ Deleted: ${report?.messagesDeleted ?? 0} message(s) and ${report?.filesDeleted ?? 0} file(s) removed, and it is out of the library.${report?.messagesLeft ? ` ${report.messagesLeft} message(s) could not be deleted: remove them by hand.` : ''}`,
			restore: '↩️ Restored: it is back in /songs, autocomplete and Play.',
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
	if (how === 'restore')
		throw new UserError('remove.forbidden', 'Only members with **Manage Server** can restore a hidden song.');
	if (record.requester.userId !== interaction.user.id)
		throw new UserError(
			'remove.forbidden',
			'Only the person who asked for this song, or a member with **Manage Server**, can hide or delete it.',
		);
}
