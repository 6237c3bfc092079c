import { type ClientOptions, GatewayIntentBits, type GuildMember, Options, type User } from 'discord.js';
import type { Config } from '../config.ts';

/**
 * The bot's discord.js client options, used by src/app.ts (and through it by the e2e suite and the bench).
 *
 * discord.js caches everything a gateway sends by default; at 2,500 servers of realistic size that is about a
 * million users and members nobody reads. The bot keeps only what it uses:
 * - guilds, channels (with permission overwrites) and roles: permission checks and /songs' visibility rule;
 * - voice states: who is in which voice channel (Play, the player's controls, the empty-channel timer);
 * - members: only the bot itself (`guild.members.me`), other bots (so a listener count can tell them apart) and
 *   people in a voice channel (`channel.members`). Anyone else who interacts arrives with their member in the
 *   interaction, which discord.js builds whether it is cached or not;
 * - users: only the bot's own; messages, emojis, stickers, presences, invites, bans, events: none.
 * A sweeper drops members who left voice, once an hour.
 */
export function clientOptions(config: Pick<Config, 'DISCORD_API_URL'>): ClientOptions {
	return {
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
		rest: { api: config.DISCORD_API_URL, version: '10' },
		allowedMentions: { parse: [] },
		makeCache: Options.cacheWithLimits({
			GuildMemberManager: { maxSize: 0, keepOverLimit: keepMember },
			UserManager: { maxSize: 0, keepOverLimit: (user: User) => user.id === user.client.user.id },
			// The bot edits and looks up its messages by id through REST; nothing reads a message cache.
			MessageManager: 0,
			GuildMessageManager: 0,
			DMMessageManager: 0,
			PresenceManager: 0,
			ReactionManager: 0,
			ReactionUserManager: 0,
			ThreadMemberManager: 0,
			BaseGuildEmojiManager: 0,
			GuildEmojiManager: 0,
			ApplicationEmojiManager: 0,
			GuildStickerManager: 0,
			GuildScheduledEventManager: 0,
			StageInstanceManager: 0,
			GuildInviteManager: 0,
			GuildBanManager: 0,
			AutoModerationRuleManager: 0,
			EntitlementManager: 0,
		}),
		sweepers: {
			...Options.DefaultSweeperSettings,
			guildMembers: { interval: 3600, filter: () => (member: GuildMember) => !keepMember(member) },
		},
	};
}

/**
 * discord.js adds a voice state before the member that came with it (VOICE_STATE_UPDATE), so someone joining a
 * voice channel is kept; members listed in GUILD_CREATE come before the guild's voice states and are dropped,
 * which loses nothing: their voice states are kept and the listener count reads those (src/app.ts).
 */
function keepMember(member: GuildMember): boolean {
	return member.id === member.client.user.id || member.user.bot || member.voice.channelId !== null;
}
