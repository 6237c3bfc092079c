import type { EventEmitter } from 'node:events';
import {
	type CacheFactory,
	Client,
	type ClientOptions,
	GatewayIntentBits,
	type GuildMember,
	LimitedCollection,
	Options,
	type User,
} from 'discord.js';
import type { Config } from '../config.ts';

/** The bot's discord.js client (src/app.ts): our options, `overrides` on top (shards, test settings). */
export function createClient(config: Pick<Config, 'DISCORD_API_URL'>, overrides: Partial<ClientOptions> = {}): Client {
	const client = new Client({ ...clientOptions(config), ...overrides });
	dropUncachedMembers(client);
	return client;
}

/**
 * The bot's discord.js client options (and through src/app.ts those of the e2e suite and the bench).
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
		// GuildMessages: the end of a poll on the takes (the POLL_RESULT message, src/discord/votes.ts); messages are
		// neither cached nor read otherwise, and without MessageContent others' messages arrive empty.
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates, GatewayIntentBits.GuildMessages],
		// Node's fetch, not @discordjs/rest's bundled undici 6 `request`: undici installs one process-wide dispatcher,
		// whichever copy loads first, and when the bot's undici 7 came first its Agent could not send the FormData
		// of an upload (every take posted with its file failed, "action is not a function"). fetch encodes the
		// body itself, so any dispatcher sends it. (@discordjs/rest sets no dispatcher of its own: no agent given.)
		rest: {
			api: config.DISCORD_API_URL,
			version: '10',
			makeRequest: (url, { dispatcher: _, ...init }) => fetch(url, init as RequestInit),
		},
		allowedMentions: { parse: [] },
		makeCache: leanCache(),
		sweepers: {
			...Options.DefaultSweeperSettings,
			guildMembers: { interval: 3600, filter: () => (member: GuildMember) => !keepMember(member) },
		},
	};
}

interface RawPacket {
	t?: string | null;
	d?: { members?: { user?: { bot?: boolean } }[] } | null;
}

/**
 * A GUILD_CREATE lists up to hundreds of members, and discord.js builds a member and a user object for each before
 * the cache turns them away (keepMember: the members of a GUILD_CREATE it keeps are the bots). Dropping the others
 * from the packet first ends with the same caches, without building half a million objects at 2,500 servers.
 * discord.js emits `raw` with the very packet it handles next, synchronously (its WebSocketManager).
 */
function dropUncachedMembers(client: Client): void {
	(client as EventEmitter).on('raw', (packet: RawPacket) => {
		const d = packet.d;
		if (packet.t !== 'GUILD_CREATE' || !d || !Array.isArray(d.members)) return;
		d.members = d.members.filter((member) => member.user?.bot === true);
	});
}

/**
 * discord.js adds a voice state before the member that came with it (VOICE_STATE_UPDATE), so someone joining a
 * voice channel is kept; members listed in GUILD_CREATE come before the guild's voice states and are dropped,
 * which loses nothing: their voice states are kept and the listener count reads those (src/app.ts).
 */
function keepMember(member: GuildMember): boolean {
	if (member.user.bot) return true;
	// Not member.voice, which builds a VoiceState for every member that has none.
	return (member.guild.voiceStates.cache.get(member.id)?.channelId ?? null) !== null;
}

/**
 * Caches that never hold anything: messages (the bot edits and looks up its own by id through REST), and more.
 * Threads stay in the guild's and the client's channel caches; only each channel's own list of its threads is
 * given up (a Map per text channel), which discord.js reads to drop a deleted channel's threads and to end
 * collectors, which the bot does not use.
 */
const NOTHING = new Set([
	'MessageManager',
	'ThreadManager',
	'GuildMessageManager',
	'DMMessageManager',
	'PresenceManager',
	'ReactionManager',
	'ReactionUserManager',
	'ThreadMemberManager',
	'BaseGuildEmojiManager',
	'GuildEmojiManager',
	'ApplicationEmojiManager',
	'GuildStickerManager',
	'GuildScheduledEventManager',
	'StageInstanceManager',
	'GuildInviteManager',
	'GuildBanManager',
	'AutoModerationRuleManager',
	'EntitlementManager',
	'GuildSoundboardSoundManager',
]);

/**
 * discord.js asks for one cache per manager: per text channel one for its messages, per guild a dozen. The ones
 * that hold nothing share one collection of size 0 (it stores nothing, so sharing it changes nothing), which
 * saves an empty Map per manager: about a sixth of the memory a server costs the bot.
 */
function leanCache(): CacheFactory {
	const limited = Options.cacheWithLimits({
		GuildMemberManager: { maxSize: 0, keepOverLimit: keepMember },
		UserManager: { maxSize: 0, keepOverLimit: (user: User) => user.id === user.client.user.id },
	});
	const empty = new LimitedCollection({ maxSize: 0 });
	const factory = (...args: Parameters<CacheFactory>) =>
		NOTHING.has(args[2].name) || NOTHING.has(args[0].name) ? empty : limited(...args);
	return factory as CacheFactory;
}
