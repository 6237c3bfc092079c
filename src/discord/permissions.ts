import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import { UserError } from '../core/errors.ts';
import { msg } from '../i18n/index.ts';

/** What the bot needs in a text channel to post a song: the tracker embed, the audio files, and edits. */
export const POST_SONG = {
	ViewChannel: 'View Channel',
	SendMessages: 'Send Messages',
	EmbedLinks: 'Embed Links',
	AttachFiles: 'Attach Files',
	ReadMessageHistory: 'Read Message History',
} as const satisfies Partial<Record<keyof typeof PermissionFlagsBits, string>>;

/** What the bot needs in a voice channel to play a take. */
export const PLAY_VOICE = {
	ViewChannel: 'View Channel',
	Connect: 'Connect',
	Speak: 'Speak',
} as const satisfies Partial<Record<keyof typeof PermissionFlagsBits, string>>;

/**
 * Throws a UserError naming every missing permission, so an admin knows exactly what to grant.
 * `where` is how the channel is named in the message, e.g. `<#123>`.
 */
export function requirePermissions(
	have: Readonly<PermissionsBitField> | null | undefined,
	needed: Record<string, string>,
	where: string,
): void {
	if (!have) return;
	const missing = Object.entries(needed)
		.filter(([flag]) => !have.has(PermissionFlagsBits[flag as keyof typeof PermissionFlagsBits]))
		.map(([, label]) => `**${label}**`);
	if (missing.length === 0) return;
	const params = { where, missing: missing.join(', ') };
	throw new UserError(
		'permissions.missing',
		missing.length === 1 ? msg('error.permissions.missing_one', params) : msg('error.permissions.missing_many', params),
	);
}
