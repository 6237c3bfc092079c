import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import { UserError } from '../core/errors.ts';
import { CATALOGS, type Locale, type MessageKey, msg, translate } from '../i18n/index.ts';
import { localeOf, type Localized } from './i18n.ts';

type Flag = keyof typeof PermissionFlagsBits;

/** What the bot needs in a text channel to post a song: the tracker embed, the audio files, and edits. */
export const POST_SONG = {
	ViewChannel: 'studio.perm_view_channel',
	SendMessages: 'studio.perm_send_messages',
	EmbedLinks: 'studio.perm_embed_links',
	AttachFiles: 'studio.perm_attach_files',
	ReadMessageHistory: 'studio.perm_read_message_history',
} as const satisfies Partial<Record<Flag, MessageKey>>;

/** What the bot needs in a voice channel to play a take. */
export const PLAY_VOICE = {
	ViewChannel: 'studio.perm_view_channel',
	Connect: 'studio.perm_connect',
	Speak: 'studio.perm_speak',
} as const satisfies Partial<Record<Flag, MessageKey>>;

/**
 * Discord checks Send Messages in Threads, not Send Messages, for a message in a thread (a jam's): a channel may
 * deny the one and allow the other.
 */
function inThread(needed: Readonly<Record<string, string>>): Record<string, string> {
	if (!('SendMessages' in needed)) return { ...needed };
	const { SendMessages: _, ...rest } = needed;
	return { ...rest, SendMessagesInThreads: 'studio.perm_send_messages_in_threads' };
}

/** A permission's name as Discord shows it to the reader; a label not in the catalog as it is. */
function permissionName(locale: Locale, label: string): string {
	return label in CATALOGS.en ? translate(locale, label as MessageKey) : label;
}

/**
 * Throws a UserError naming every missing permission, so an admin knows exactly what to grant.
 * `where` is how the channel is named in the message, e.g. `<#123>`; `needed` maps each flag to its name (a catalog
 * key, or a label); `thread` when the channel is a thread; `locale` the language the names are given in.
 */
export function requirePermissions(
	have: Readonly<PermissionsBitField> | null | undefined,
	needed: Readonly<Record<string, string>>,
	where: string,
	options: { thread?: boolean; locale?: Locale } = {},
): void {
	if (!have) return;
	const locale = options.locale ?? 'en';
	const missing = Object.entries(options.thread ? inThread(needed) : needed)
		.filter(([flag]) => !have.has(PermissionFlagsBits[flag as Flag]))
		.map(([, label]) => `**${permissionName(locale, label)}**`);
	if (missing.length === 0) return;
	const params = { where, missing: missing.join(', ') };
	throw new UserError(
		'permissions.missing',
		missing.length === 1 ? msg('error.permissions.missing_one', params) : msg('error.permissions.missing_many', params),
	);
}

/** An interaction in a server channel or thread: what the bot may do there and who is asking. */
export interface HereInteraction extends Localized {
	appPermissions: Readonly<PermissionsBitField> | null | undefined;
	channelId: string | null;
	channel: { isThread(): boolean } | null;
}

/**
 * The bot's permissions where the interaction happened: the thread flags in a thread, the names in the member's
 * language (the refusal is theirs).
 */
export function requireHere(interaction: HereInteraction, needed: Readonly<Record<string, string>>): void {
	requirePermissions(interaction.appPermissions, needed, `<#${interaction.channelId}>`, {
		thread: interaction.channel?.isThread() ?? false,
		locale: localeOf(interaction),
	});
}
