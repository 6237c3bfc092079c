/**
 * Permission bitfields and Discord's channel permission algorithm (base role permissions, then
 * @everyone / role / member overwrites, then the implicit denials that follow from VIEW_CHANNEL and SEND_MESSAGES).
 */

/** The permission flags the double understands by name, with Discord's bit positions. */
export const PERMISSIONS = {
	CREATE_INSTANT_INVITE: 1n << 0n,
	ADMINISTRATOR: 1n << 3n,
	MANAGE_CHANNELS: 1n << 4n,
	MANAGE_GUILD: 1n << 5n,
	ADD_REACTIONS: 1n << 6n,
	VIEW_CHANNEL: 1n << 10n,
	SEND_MESSAGES: 1n << 11n,
	SEND_TTS_MESSAGES: 1n << 12n,
	MANAGE_MESSAGES: 1n << 13n,
	EMBED_LINKS: 1n << 14n,
	ATTACH_FILES: 1n << 15n,
	READ_MESSAGE_HISTORY: 1n << 16n,
	MENTION_EVERYONE: 1n << 17n,
	USE_EXTERNAL_EMOJIS: 1n << 18n,
	CONNECT: 1n << 20n,
	SPEAK: 1n << 21n,
	USE_VAD: 1n << 25n,
	CHANGE_NICKNAME: 1n << 26n,
	USE_APPLICATION_COMMANDS: 1n << 31n,
	MANAGE_THREADS: 1n << 34n,
	CREATE_PUBLIC_THREADS: 1n << 35n,
	SEND_MESSAGES_IN_THREADS: 1n << 38n,
	SET_VOICE_CHANNEL_STATUS: 1n << 48n,
} as const;

/** A permission name as written in Discord's documentation, e.g. `ATTACH_FILES`. */
export type PermissionName = keyof typeof PERMISSIONS;

/** Every bit Discord defines today (up to 1 << 50); what ADMINISTRATOR and guild owners get. */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

/** Roughly what Discord gives @everyone in a new server. */
export const DEFAULT_EVERYONE = toBits([
	'CREATE_INSTANT_INVITE',
	'ADD_REACTIONS',
	'VIEW_CHANNEL',
	'SEND_MESSAGES',
	'EMBED_LINKS',
	'ATTACH_FILES',
	'READ_MESSAGE_HISTORY',
	'MENTION_EVERYONE',
	'USE_EXTERNAL_EMOJIS',
	'CONNECT',
	'SPEAK',
	'USE_VAD',
	'CHANGE_NICKNAME',
	'USE_APPLICATION_COMMANDS',
	'CREATE_PUBLIC_THREADS',
	'SEND_MESSAGES_IN_THREADS',
]);

/** OR the named flags together. */
export function toBits(names: readonly PermissionName[]): bigint {
	return names.reduce((bits, name) => bits | PERMISSIONS[name], 0n);
}

/** One channel overwrite: type 0 targets a role, type 1 a member. */
export interface Overwrite {
	id: string;
	type: 0 | 1;
	allow: bigint;
	deny: bigint;
}

/** What the algorithm needs to know about a member and the channel. */
export interface PermissionInput {
	guildId: string;
	ownerId: string;
	userId: string;
	/** Role id → permissions, including @everyone (id = guild id). */
	rolePermissions: ReadonlyMap<string, bigint>;
	memberRoles: readonly string[];
	overwrites: readonly Overwrite[];
}

/** The member's effective permissions in the channel, as Discord computes them. */
export function computePermissions(input: PermissionInput): bigint {
	if (input.userId === input.ownerId) return ALL_PERMISSIONS;
	let bits = input.rolePermissions.get(input.guildId) ?? 0n;
	for (const role of input.memberRoles) bits |= input.rolePermissions.get(role) ?? 0n;
	if (bits & PERMISSIONS.ADMINISTRATOR) return ALL_PERMISSIONS;

	const everyone = input.overwrites.find((o) => o.type === 0 && o.id === input.guildId);
	if (everyone) bits = (bits & ~everyone.deny) | everyone.allow;
	let roleAllow = 0n;
	let roleDeny = 0n;
	for (const o of input.overwrites) {
		if (o.type === 0 && input.memberRoles.includes(o.id)) {
			roleAllow |= o.allow;
			roleDeny |= o.deny;
		}
	}
	bits = (bits & ~roleDeny) | roleAllow;
	const member = input.overwrites.find((o) => o.type === 1 && o.id === input.userId);
	if (member) bits = (bits & ~member.deny) | member.allow;

	// Implicit denials: without VIEW_CHANNEL nothing else applies; without SEND_MESSAGES nothing message-related does.
	if (!(bits & PERMISSIONS.VIEW_CHANNEL)) return 0n;
	if (!(bits & PERMISSIONS.SEND_MESSAGES)) {
		bits &= ~(
			PERMISSIONS.SEND_TTS_MESSAGES |
			PERMISSIONS.MENTION_EVERYONE |
			PERMISSIONS.EMBED_LINKS |
			PERMISSIONS.ATTACH_FILES
		);
	}
	return bits;
}

/** Names of the flags in `required` that `bits` lacks (empty when everything is granted). */
export function missing(bits: bigint, required: readonly PermissionName[]): PermissionName[] {
	return required.filter((name) => (bits & PERMISSIONS[name]) === 0n);
}
