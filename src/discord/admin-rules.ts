import { type BaseInteraction, PermissionFlagsBits } from 'discord.js';
import { DEFAULT_FILTER_MESSAGE, filterHit, placeRefusal, requestTexts } from '../core/admin.ts';
import { UserError } from '../core/errors.ts';
import type { SongRequest } from '../core/records.ts';
import type { GuildSettings } from '../core/settings.ts';

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
			`🎵 Songs are made in ${listOf(refusal.allowed.map((id) => `<#${id}>`))} on this server. Try there.`,
		);
	throw new UserError(
		'admin.role',
		`🎵 On this server, songs are made by members with the ${listOf(refusal.allowed.map((id) => `<@&${id}>`))} role. Ask an admin if you would like to join in.`,
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
	const message = settings.wordFilter?.message || DEFAULT_FILTER_MESSAGE;
	throw new UserError(
		'admin.words',
		`🚫 ${message}\n(“${hit.entry}” in the ${hit.field}.) Nothing was sent or counted; change it and try again.`,
	);
}

function listOf(items: string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
