/**
 * A crowd of generated guilds for scale tests: the servers a big bot sits in besides the ones a test drives.
 * Each guild is computed from its index when it is sent (GUILD_CREATE, GUILD_MEMBERS_CHUNK) and never stored,
 * so 2,500 servers of realistic size cost the double almost nothing until a client connects, and the sandbox
 * guilds' records and tests are untouched. Crowd guilds are read-only: REST calls about them answer 404.
 */
import { apiChannel, apiGuild, apiUser } from './payloads.ts';
import { DEFAULT_EVERYONE, PERMISSIONS } from './permissions.ts';
import type { ChannelRecord, ChannelType, GuildRecord, JsonObject, RoleRecord, UserRecord } from './state.ts';

export interface CrowdSpec {
	guilds: number;
	/** Channels per guild: a category per ten, then text and voice channels (one in five). Default 50. */
	channels?: number;
	/** Roles per guild besides @everyone, the bot's integration role among them. Default 30. */
	roles?: number;
	/** Members per guild in GUILD_CREATE (also member_count), the bot included. Default 200. */
	members?: number;
	/** Members in a voice channel per guild. Default 3. */
	voiceStates?: number;
}

/** Crowd ids use a timestamp in 2017, far from the double's own (now), so they never collide. */
const EPOCH_OFFSET_MS = 60_000_000_000n;
const MEMBER_BASE = 1000;
const ROLE_BASE = 100;

/** A member as the gateway sends it (with its user). */
function memberPayload(user: UserRecord, roles: string[], joinedAt: string): JsonObject {
	return {
		user: apiUser(user),
		nick: null,
		avatar: null,
		banner: null,
		roles,
		joined_at: joinedAt,
		premium_since: null,
		deaf: false,
		mute: false,
		pending: false,
		flags: 0,
		communication_disabled_until: null,
	};
}

export class Crowd {
	readonly count: number;
	readonly #spec: Required<CrowdSpec>;
	readonly #bot: UserRecord;

	constructor(spec: CrowdSpec, bot: UserRecord) {
		this.#spec = { channels: 50, roles: 30, members: 200, voiceStates: 3, ...spec };
		if (this.#spec.members > 3000 || this.#spec.channels > 99 || this.#spec.roles > 899)
			throw new Error('crowd guilds hold at most 99 channels, 899 roles and 3,000 members');
		this.count = spec.guilds;
		this.#bot = bot;
	}

	/** Guild ids, in order; the shard of each follows Discord's formula as for any other guild. */
	ids(): string[] {
		return Array.from({ length: this.count }, (_, i) => this.#id(i, 0));
	}

	/** The guild index of a crowd guild id, or undefined. */
	indexOf(guildId: string): number | undefined {
		let id: bigint;
		try {
			id = BigInt(guildId);
		} catch {
			return undefined;
		}
		const index = Number((id >> 22n) - EPOCH_OFFSET_MS);
		return (id & 4095n) === 0n && index >= 0 && index < this.count ? index : undefined;
	}

	/** GUILD_CREATE of the guild at `index`. */
	guildCreate(index: number): JsonObject {
		const { guild, channels, members, voiceChannels } = this.#build(index);
		const voiceStates = members.slice(1, 1 + this.#spec.voiceStates).map((m, n) => ({
			channel_id: voiceChannels[n % voiceChannels.length] ?? null,
			user_id: m.user.id,
			session_id: `crowd${index}x${n}`,
			deaf: false,
			mute: false,
			self_deaf: false,
			self_mute: n % 2 === 1,
			self_stream: false,
			self_video: false,
			suppress: false,
			request_to_speak_timestamp: null,
		}));
		return {
			...apiGuild(guild),
			unavailable: false,
			joined_at: guild.joinedAt,
			large: members.length > 50,
			lazy: true,
			member_count: members.length,
			channels: channels.map((c) => {
				const { guild_id: _omitted, ...rest } = apiChannel(c);
				return rest;
			}),
			members: members.map((m) => memberPayload(m.user, m.roles, guild.joinedAt)),
			voice_states: voiceStates,
			threads: [],
			presences: [],
			stage_instances: [],
			guild_scheduled_events: [],
			soundboard_sounds: [],
		};
	}

	/** Members for an op 8 request: by ids, or whose username starts with `query` (empty: all), up to `limit`. */
	members(index: number, query: { ids: string[]; prefix: string; limit: number }): JsonObject[] {
		const { guild, members } = this.#build(index);
		const found = members.filter((m) =>
			query.ids.length > 0 ? query.ids.includes(m.user.id) : m.user.username.startsWith(query.prefix),
		);
		return found.slice(0, query.limit || found.length).map((m) => memberPayload(m.user, m.roles, guild.joinedAt));
	}

	#id(index: number, local: number): string {
		return (((EPOCH_OFFSET_MS + BigInt(index)) << 22n) | BigInt(local)).toString();
	}

	#build(index: number) {
		const spec = this.#spec;
		const id = this.#id(index, 0);
		const joinedAt = new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString();
		const botRole = this.#id(index, ROLE_BASE);
		const roles = new Map<string, RoleRecord>([
			[id, { id, name: '@everyone', permissions: DEFAULT_EVERYONE, position: 0, botId: null }],
		]);
		for (let r = 0; r < spec.roles; r++) {
			const roleId = this.#id(index, ROLE_BASE + r);
			const bot = r === 0;
			const permissions = bot ? DEFAULT_EVERYONE : r % 10 === 1 ? PERMISSIONS.MANAGE_GUILD | DEFAULT_EVERYONE : 0n;
			roles.set(roleId, {
				id: roleId,
				name: bot ? this.#bot.username : `role ${r}`,
				permissions,
				position: spec.roles - r,
				botId: bot ? this.#bot.id : null,
			});
		}
		const members: { user: UserRecord; roles: string[] }[] = [{ user: this.#bot, roles: [botRole] }];
		for (let m = 1; m < spec.members; m++) {
			const userId = this.#id(index, MEMBER_BASE + m);
			const username = `member${index}x${m}`;
			const memberRoles = [this.#id(index, ROLE_BASE + 1 + (m % (spec.roles - 1 || 1)))];
			members.push({
				user: { id: userId, username, globalName: `Member ${m}`, bot: m % 50 === 0 },
				roles: memberRoles,
			});
		}
		const channels: ChannelRecord[] = [];
		const voiceChannels: string[] = [];
		let category: string | null = null;
		for (let c = 0; c < spec.channels; c++) {
			const channelId = this.#id(index, 1 + c);
			const type: ChannelType = c % 10 === 0 ? 4 : c % 5 === 4 ? 2 : 0;
			if (type === 2) voiceChannels.push(channelId);
			// Some private channels: @everyone denied, one role allowed; the rest inherit their category's.
			const overwrites =
				c % 7 === 3
					? [
							{ id, type: 0 as const, allow: 0n, deny: PERMISSIONS.VIEW_CHANNEL },
							{ id: this.#id(index, ROLE_BASE + 1), type: 0 as const, allow: PERMISSIONS.VIEW_CHANNEL, deny: 0n },
						]
					: [];
			channels.push({
				id: channelId,
				guildId: id,
				name: type === 4 ? `Category ${c / 10}` : type === 2 ? `Voice ${c}` : `text-${c}`,
				type,
				position: c,
				parentId: type === 4 ? null : category,
				overwrites,
				lastMessageId: null,
			});
			if (type === 4) category = channelId;
		}
		const guild: GuildRecord = {
			id,
			name: `Crowd server ${index}`,
			ownerId: members[1]?.user.id ?? this.#bot.id,
			premiumTier: index % 4,
			attachmentSizeLimit: null,
			roles,
			members: new Map(),
			voiceStates: new Map(),
			joinedAt,
		};
		return { guild, channels, members, voiceChannels };
	}
}
