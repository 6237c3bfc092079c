/**
 * The starting world: the bot user, sandbox users, and guilds with text and voice channels, the @everyone role
 * (id = guild id), the bot's integration role, and every user (bot included) as a member.
 */
import { DEFAULT_EVERYONE, PERMISSIONS } from './permissions.ts';
import type { ChannelRecord, ChannelType, DiscordState, GuildRecord, UserRecord } from './state.ts';

/** One guild of the sandbox. */
export interface GuildSpec {
	/** Default `Songbot Sandbox`. */
	name?: string;
	/** Default `['general', 'songs']`. */
	textChannels?: string[];
	/** Default `['General']`. */
	voiceChannels?: string[];
	/** Boost tier 0–3 (tier 2 raises the per-file limit to 50 MiB, tier 3 to 100 MiB). */
	premiumTier?: number;
	/** Overrides the per-file attachment limit in bytes. */
	attachmentSizeLimit?: number;
	/** Give the guild an id that Discord routes to shard `[id, count]` (for multi-shard tests). */
	shard?: [number, number];
}

export interface SeedOptions {
	applicationId: string;
	botName: string;
	/** Sandbox user names, members of every guild. */
	users: readonly string[];
	guilds: readonly GuildSpec[];
}

export function seedState(state: DiscordState, options: SeedOptions): void {
	const addUser = (id: string, username: string, bot: boolean): UserRecord => {
		const user = { id, username, globalName: bot ? null : username.charAt(0).toUpperCase() + username.slice(1), bot };
		state.users.set(id, user);
		return user;
	};
	addUser(options.applicationId, options.botName, true);
	const owner = addUser(state.ids.next(), 'server-owner', false);
	const users = options.users.map((name) => addUser(state.ids.next(), name, false));

	for (const spec of options.guilds) {
		const id = spec.shard ? state.ids.forShard(spec.shard[0], spec.shard[1]) : state.ids.next();
		const joinedAt = new Date().toISOString();
		const botRole = state.ids.next();
		const guild: GuildRecord = {
			id,
			name: spec.name ?? 'Songbot Sandbox',
			ownerId: owner.id,
			premiumTier: spec.premiumTier ?? 0,
			attachmentSizeLimit: spec.attachmentSizeLimit ?? null,
			roles: new Map([
				[id, { id, name: '@everyone', permissions: DEFAULT_EVERYONE, position: 0, botId: null }],
				[
					botRole,
					{
						id: botRole,
						name: options.botName,
						// As if the bot's invite asked for them: Discord does not give them to @everyone.
						permissions: DEFAULT_EVERYONE | PERMISSIONS.SET_VOICE_CHANNEL_STATUS | PERMISSIONS.MANAGE_THREADS,
						position: 1,
						botId: options.applicationId,
					},
				],
			]),
			members: new Map(),
			voiceStates: new Map(),
			joinedAt,
		};
		for (const user of [owner, ...users]) guild.members.set(user.id, { userId: user.id, roles: [], joinedAt });
		guild.members.set(options.applicationId, { userId: options.applicationId, roles: [botRole], joinedAt });
		state.guilds.set(id, guild);

		const channels: [string, ChannelType][] = [
			...(spec.textChannels ?? ['general', 'songs']).map((name): [string, ChannelType] => [name, 0]),
			...(spec.voiceChannels ?? ['General']).map((name): [string, ChannelType] => [name, 2]),
		];
		channels.forEach(([name, type], position) => {
			const channel: ChannelRecord = {
				id: state.ids.next(),
				guildId: id,
				name,
				type,
				position,
				parentId: null,
				overwrites: [],
				lastMessageId: null,
			};
			state.channels.set(channel.id, channel);
		});
	}
}
