import { type BaseInteraction, PermissionFlagsBits } from 'discord.js';
import { filterHit, placeRefusal, requestTexts } from '../core/admin.ts';
import { UserError } from '../core/errors.ts';
import type { SongRequest } from '../core/records.ts';
import type { GuildSettings } from '../core/settings.ts';
import { msg } from '../i18n/index.ts';

/** The admin's channel and role rules and word filter, applied where a song starts (before the form and at submit). */

/** The member's role ids, whether discord.js gave a cached member or the raw one of an uncached guild. */
function roleIdsOf(interaction: BaseInteraction): string[] {
	const member = interaction.member;
	if (!member) return [];
	if (Array.isArray(member.roles)) return member.roles;
	return [...member.roles.cache.keys()];
}

/** Refuses, naming the channels or roles that may, when the server keeps songs to some channels or roles. */
export function checkPlace(interaction: BaseInteraction, settings: GuildSettings): void {
	const channelId = interaction.channelId;
	if (!interaction.guildId || !channelId) return;
	const channel = interaction.channel;
	const refusal = placeRefusal(
		{
			...(settings.songChannels ? { channelIds: settings.songChannels } : {}),
			...(settings.songRoles ? { roleIds: settings.songRoles } : {}),
		},
		{
			channelId,
			parentId: channel?.isThread() ? channel.parentId : null,
			roleIds: roleIdsOf(interaction),
			manager: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
		},
	);
	if (!refusal) return;
	if (refusal.kind === 'channel')
		throw new UserError(
			'admin.channel',
			msg('error.admin.channel', { channels: refusal.allowed.map((id) => `<#${id}>`).join(', ') }),
		);
	throw new UserError(
		'admin.role',
		msg('error.admin.role', { roles: refusal.allowed.map((id) => `<@&${id}>`).join(', ') }),
	);
}

/** Refuses a request containing a filtered word, with the admin's message; before anything is sent or charged. */
export function checkWords(settings: GuildSettings, request: SongRequest): void {
	checkTexts(settings, requestTexts(request));
}

/** The same for texts the bot posts without sending them anywhere (a revised lyrics sheet). */
export function checkTexts(settings: GuildSettings, texts: readonly { field: string; text: string }[]): void {
	const hit = filterHit(settings.wordFilter, texts);
	if (!hit) return;
	const message = settings.wordFilter?.message;
	throw new UserError(
		'admin.words',
		message
			? msg('error.admin.words', { message, entry: hit.entry, field: hit.field })
			: msg('error.admin.words_default', { entry: hit.entry, field: hit.field }),
	);
}
