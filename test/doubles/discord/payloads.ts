/**
 * Records → the JSON objects Discord sends, with every field discord.js 14.28 reads
 * (see discord-protocol.md §2.4, §2.5, §3.5): GUILD_CREATE needs `unavailable:false`, the @everyone role and the
 * bot's member; messages answering interactions need `interaction_metadata.authorizing_integration_owners`.
 */
import { signedLink } from './cdn.ts';
import { apiPoll } from './polls.ts';
import { apiThread } from './thread-payloads.ts';
import type {
	AttachmentRecord,
	ChannelRecord,
	CommandRecord,
	DiscordState,
	GuildRecord,
	JsonObject,
	MemberRecord,
	MessageRecord,
	RoleRecord,
	UserRecord,
	VoiceStateRecord,
} from './state.ts';

const iso = (ms: number): string => new Date(ms).toISOString();
const timestampOf = (id: string): number => Number(BigInt(id) >> 22n) + 1_420_070_400_000;

export function apiUser(user: UserRecord): JsonObject {
	return {
		id: user.id,
		username: user.username,
		global_name: user.globalName,
		discriminator: '0',
		avatar: null,
		bot: user.bot,
		system: false,
		public_flags: 0,
		flags: 0,
		banner: null,
		accent_color: null,
		avatar_decoration_data: null,
	};
}

/** A guild member; `withUser` false gives the shape nested in interaction `resolved.members`. */
export function apiMember(state: DiscordState, member: MemberRecord, withUser = true): JsonObject {
	const user = state.users.get(member.userId);
	return {
		...(withUser && user ? { user: apiUser(user) } : {}),
		nick: null,
		avatar: null,
		banner: null,
		roles: member.roles,
		joined_at: member.joinedAt,
		premium_since: null,
		deaf: false,
		mute: false,
		pending: false,
		flags: 0,
		communication_disabled_until: null,
	};
}

export function apiRole(role: RoleRecord): JsonObject {
	return {
		id: role.id,
		name: role.name,
		color: 0,
		colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
		hoist: false,
		icon: null,
		unicode_emoji: null,
		position: role.position,
		permissions: role.permissions.toString(),
		managed: role.botId !== null,
		mentionable: false,
		flags: 0,
		...(role.botId ? { tags: { bot_id: role.botId } } : {}),
	};
}

export function apiChannel(channel: ChannelRecord): JsonObject {
	if (channel.thread) return apiThread(channel, channel.thread);
	const base = {
		id: channel.id,
		type: channel.type,
		guild_id: channel.guildId,
		name: channel.name,
		position: channel.position,
		parent_id: channel.parentId,
		permission_overwrites: channel.overwrites.map((o) => ({
			id: o.id,
			type: o.type,
			allow: o.allow.toString(),
			deny: o.deny.toString(),
		})),
		nsfw: false,
		flags: 0,
	};
	if (channel.type === 0) {
		return { ...base, topic: null, last_message_id: channel.lastMessageId, rate_limit_per_user: 0 };
	}
	if (channel.type === 2) {
		return { ...base, bitrate: 64000, user_limit: 0, rtc_region: null, last_message_id: null, rate_limit_per_user: 0 };
	}
	return base;
}

export function apiVoiceState(state: DiscordState, guild: GuildRecord, voice: VoiceStateRecord | null, userId: string) {
	const member = guild.members.get(userId);
	return {
		guild_id: guild.id,
		channel_id: voice?.channelId ?? null,
		user_id: userId,
		...(member ? { member: apiMember(state, member) } : {}),
		session_id: voice?.sessionId ?? '',
		deaf: false,
		mute: false,
		self_deaf: voice?.selfDeaf ?? false,
		self_mute: voice?.selfMute ?? false,
		self_stream: false,
		self_video: false,
		suppress: false,
		request_to_speak_timestamp: null,
	};
}

/** The REST guild object (GET /guilds/:id); GUILD_CREATE adds the gateway-only fields. */
export function apiGuild(guild: GuildRecord): JsonObject {
	return {
		id: guild.id,
		name: guild.name,
		icon: null,
		splash: null,
		discovery_splash: null,
		banner: null,
		description: null,
		owner_id: guild.ownerId,
		afk_channel_id: null,
		afk_timeout: 300,
		verification_level: 0,
		default_message_notifications: 0,
		explicit_content_filter: 0,
		mfa_level: 0,
		nsfw_level: 0,
		roles: [...guild.roles.values()].map(apiRole),
		emojis: [],
		stickers: [],
		features: [],
		application_id: null,
		system_channel_id: null,
		system_channel_flags: 0,
		rules_channel_id: null,
		public_updates_channel_id: null,
		safety_alerts_channel_id: null,
		vanity_url_code: null,
		premium_tier: guild.premiumTier,
		premium_subscription_count: [0, 2, 7, 14][guild.premiumTier] ?? 0,
		premium_progress_bar_enabled: false,
		preferred_locale: guild.locale ?? 'en-US',
		max_members: 500000,
		max_video_channel_users: 25,
	};
}

export function apiGuildCreate(state: DiscordState, guild: GuildRecord): JsonObject {
	const all = [...state.channels.values()].filter((c) => c.guildId === guild.id);
	const channels = all.filter((c) => !c.thread);
	// GUILD_CREATE lists the active threads apart from the channels, as Discord does.
	const threads = all.filter((c) => c.thread && !c.thread.archived);
	return {
		...apiGuild(guild),
		unavailable: false,
		joined_at: guild.joinedAt,
		large: false,
		lazy: true,
		member_count: guild.members.size,
		channels: channels.map((c) => {
			const { guild_id: _omitted, ...rest } = apiChannel(c);
			return rest;
		}),
		members: [...guild.members.values()].map((m) => apiMember(state, m)),
		voice_states: [...guild.voiceStates.values()].map((v) => {
			const { guild_id: _omitted, member: _member, ...rest } = apiVoiceState(state, guild, v, v.userId);
			return rest;
		}),
		threads: threads.map(apiChannel),
		presences: [],
		stage_instances: [],
		guild_scheduled_events: [],
		soundboard_sounds: [],
	};
}

export function attachmentUrl(state: DiscordState, file: AttachmentRecord, channelId: string | null): string {
	return signedLink(state, `/attachments/${channelId ?? 'ephemeral'}/${file.id}/${encodeURIComponent(file.filename)}`);
}

export function apiAttachment(state: DiscordState, file: AttachmentRecord, channelId: string | null): JsonObject {
	const url = attachmentUrl(state, file, channelId);
	return {
		id: file.id,
		filename: file.filename,
		size: file.bytes.length,
		url,
		proxy_url: url,
		content_type: file.contentType,
		...(file.description === null ? {} : { description: file.description }),
		...(file.title === null ? {} : { title: file.title }),
		...(file.durationSecs === null ? {} : { duration_secs: file.durationSecs, waveform: file.waveform }),
		...(file.ephemeral ? { ephemeral: true } : {}),
	};
}

export function apiMessage(state: DiscordState, message: MessageRecord): JsonObject {
	const author = state.users.get(message.authorId);
	const meta = message.interaction;
	const metaUser = meta && state.users.get(meta.userId);
	return {
		id: message.id,
		channel_id: message.channelId,
		...(message.guildId ? { guild_id: message.guildId } : {}),
		author: author ? apiUser(author) : null,
		content: message.content,
		timestamp: iso(timestampOf(message.id)),
		edited_timestamp: message.editedAt === null ? null : iso(message.editedAt),
		tts: message.tts,
		// Who the message pinged when it was sent (mentions.ts): what allowed_mentions let through.
		mention_everyone: message.pinged.everyone,
		mentions: message.pinged.users.flatMap((id) => {
			const user = state.users.get(id);
			return user ? [apiUser(user)] : [];
		}),
		mention_roles: message.pinged.roles,
		attachments: message.attachments.map((a) => apiAttachment(state, a, message.channelId)),
		embeds: message.embeds,
		components: message.components,
		reactions: [],
		pinned: false,
		type: message.type,
		flags: message.flags,
		...(message.poll ? { poll: apiPoll(message.poll) } : {}),
		// A thread started from this message has the message's id, and the message names it.
		...(threadOf(state, message) ? { thread: apiChannel(threadOf(state, message) as ChannelRecord) } : {}),
		...(message.reference
			? {
					message_reference: {
						type: 0,
						message_id: message.reference.messageId,
						channel_id: message.reference.channelId,
						...(message.reference.guildId ? { guild_id: message.reference.guildId } : {}),
					},
				}
			: {}),
		...(message.webhookId ? { webhook_id: message.webhookId, application_id: message.webhookId } : {}),
		...(meta && metaUser
			? {
					interaction_metadata: {
						id: meta.id,
						type: meta.type,
						user: apiUser(metaUser),
						authorizing_integration_owners: message.guildId ? { '0': message.guildId } : { '1': meta.userId },
						...(meta.originalResponseMessageId ? { original_response_message_id: meta.originalResponseMessageId } : {}),
						...(meta.interactedMessageId ? { interacted_message_id: meta.interactedMessageId } : {}),
					},
					...(meta.name
						? { interaction: { id: meta.id, type: meta.type, name: meta.name, user: apiUser(metaUser) } }
						: {}),
				}
			: {}),
	};
}

export function apiCommand(applicationId: string, command: CommandRecord): JsonObject {
	return {
		type: 1,
		options: [],
		default_member_permissions: null,
		nsfw: false,
		integration_types: [0],
		contexts: null,
		...command.data,
		id: command.id,
		application_id: applicationId,
		version: command.version,
		...(command.guildId ? { guild_id: command.guildId } : {}),
	};
}

function threadOf(state: DiscordState, message: MessageRecord): ChannelRecord | undefined {
	const thread = state.channels.get(message.id);
	return thread?.thread && thread.parentId === message.channelId ? thread : undefined;
}
