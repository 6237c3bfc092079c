/**
 * The in-memory world of the Discord double: users, guilds, channels, roles, members, voice states, messages
 * (with attachment bytes) and application commands. Every mutation emits a `change` event; the gateway turns
 * those into dispatches and the driver's waiters re-check their conditions on them.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Pings } from './mentions.ts';
import { computePermissions, type Overwrite } from './permissions.ts';

const DISCORD_EPOCH = 1_420_070_400_000n;

/** A JSON object as received from the bot. */
export type JsonObject = Record<string, unknown>;

/** Timestamp-based snowflakes, strictly increasing, so `createdTimestamp` is sane and ids sort by time. */
export class Snowflakes {
	#lastMs = 0n;
	#increment = 0n;

	next(): string {
		const now = BigInt(Date.now()) - DISCORD_EPOCH;
		if (now > this.#lastMs) {
			this.#lastMs = now;
			this.#increment = 0n;
		} else if (++this.#increment > 4095n) {
			this.#lastMs += 1n;
			this.#increment = 0n;
		}
		return ((this.#lastMs << 22n) | this.#increment).toString();
	}

	/** A fresh id with `(id >> 22) % count === shard`, i.e. a guild id that Discord routes to that shard. */
	forShard(shard: number, count: number): string {
		let id = BigInt(this.next());
		while (Number((id >> 22n) % BigInt(count)) !== shard) {
			this.#lastMs += 1n;
			this.#increment = 0n;
			id = this.#lastMs << 22n;
		}
		return id.toString();
	}
}

/** The shard a guild belongs to for a given shard count (Discord's sharding formula). */
export function shardOf(guildId: string, count: number): number {
	return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

export interface UserRecord {
	id: string;
	username: string;
	globalName: string | null;
	bot: boolean;
	/** The language of the user's Discord client (`locale` of their interactions); en-US when unset. */
	locale?: string;
}

export interface RoleRecord {
	id: string;
	name: string;
	permissions: bigint;
	position: number;
	/** Set on the bot's integration role. */
	botId: string | null;
}

/** Discord channel types the double models: 0 text, 2 voice, 4 category, 11 public thread. */
export type ChannelType = 0 | 2 | 4 | 11;

/** What a thread channel (type 11) has besides a channel's fields (Discord's `thread_metadata`, members, owner). */
export interface ThreadRecord {
	ownerId: string;
	archived: boolean;
	locked: boolean;
	/** Minutes: 60, 1440, 4320 or 10080. */
	autoArchiveDuration: number;
	/** Epoch ms of the last archive or unarchive (creation at first). */
	archiveTimestamp: number;
	createdAt: number;
	/** Members of the thread (Discord adds its creator and whoever posts in it). */
	members: Set<string>;
	messageCount: number;
}

export interface ChannelRecord {
	id: string;
	guildId: string;
	name: string;
	type: ChannelType;
	position: number;
	parentId: string | null;
	overwrites: Overwrite[];
	lastMessageId: string | null;
	/** Set on threads (type 11); their permissions are their parent channel's. */
	thread?: ThreadRecord;
}

export interface MemberRecord {
	userId: string;
	roles: string[];
	joinedAt: string;
}

export interface VoiceStateRecord {
	userId: string;
	channelId: string;
	sessionId: string;
	selfDeaf: boolean;
	selfMute: boolean;
}

export interface GuildRecord {
	id: string;
	name: string;
	ownerId: string;
	premiumTier: number;
	/** Overrides the per-file limit derived from the boost tier. */
	attachmentSizeLimit: number | null;
	roles: Map<string, RoleRecord>;
	members: Map<string, MemberRecord>;
	voiceStates: Map<string, VoiceStateRecord>;
	joinedAt: string;
	/** The server's community language (`preferred_locale`, `guild_locale`); en-US when unset. */
	locale?: string;
}

export interface AttachmentRecord {
	id: string;
	filename: string;
	contentType: string;
	bytes: Buffer;
	description: string | null;
	title: string | null;
	durationSecs: number | null;
	waveform: string | null;
	/** Files uploaded as slash-command options live outside any channel. */
	ephemeral: boolean;
}

/** What a message remembers about the interaction it answers (becomes `interaction_metadata`). */
export interface MessageInteraction {
	id: string;
	type: number;
	userId: string;
	name: string | null;
	originalResponseMessageId: string | null;
	interactedMessageId: string | null;
}

export interface MessageRecord {
	id: string;
	channelId: string;
	guildId: string | null;
	authorId: string;
	content: string;
	embeds: JsonObject[];
	components: JsonObject[];
	attachments: AttachmentRecord[];
	flags: number;
	type: number;
	tts: boolean;
	editedAt: number | null;
	webhookId: string | null;
	interaction: MessageInteraction | null;
	/** Ephemeral messages are visible only to this user and never appear in the channel. */
	ephemeralFor: string | null;
	/** Who was notified when the message was sent (mentions.ts): content mentions filtered by allowed_mentions. */
	pinged: Pings;
	/** A native poll sent with the message (polls.ts). */
	poll?: PollRecord | null;
	/** The message this one refers to (a POLL_RESULT names its poll). */
	reference?: { messageId: string; channelId: string; guildId: string | null };
}

/** A poll: answers numbered from 1, each member's votes, and whether it has ended. */
export interface PollRecord {
	question: string;
	answers: { id: number; text: string; emoji: JsonObject }[];
	allowMultiselect: boolean;
	/** Epoch ms. */
	expiry: number;
	finalized: boolean;
	votes: Map<string, Set<number>>;
}

export interface CommandRecord {
	id: string;
	guildId: string | null;
	version: string;
	/** The command as the bot registered it (name, description, options, …). */
	data: JsonObject;
}

/** Everything that changes; the gateway and waiters subscribe to these. */
export type StateEvent =
	| { kind: 'message'; action: 'create' | 'update' | 'delete'; message: MessageRecord }
	| { kind: 'channel'; channel: ChannelRecord }
	| { kind: 'thread'; action: 'create' | 'update' | 'delete'; channel: ChannelRecord }
	| { kind: 'voiceStatus'; channel: ChannelRecord; status: string | null }
	| { kind: 'guild'; guild: GuildRecord }
	| { kind: 'voice'; guildId: string; userId: string; state: VoiceStateRecord | null }
	| { kind: 'interaction'; id: string }
	| { kind: 'poll-vote'; message: MessageRecord; userId: string; answerId: number };

/** The world; no globals, one instance per started double. */
export class DiscordState extends EventEmitter<{ change: [StateEvent] }> {
	readonly ids = new Snowflakes();
	readonly users = new Map<string, UserRecord>();
	readonly guilds = new Map<string, GuildRecord>();
	readonly channels = new Map<string, ChannelRecord>();
	readonly messages = new Map<string, MessageRecord>();
	readonly files = new Map<string, AttachmentRecord>();
	readonly commands = new Map<string, CommandRecord>();
	/** Voice channel statuses by channel id (absent: none set). */
	readonly voiceStatuses = new Map<string, string>();
	/** Every status change, oldest first (`null`: cleared), so tests can see a status that came and went. */
	readonly voiceStatusLog: { channelId: string; status: string | null; at: number }[] = [];
	/** `http://127.0.0.1:PORT`, known once the server listens; used for attachment URLs. */
	baseUrl = '';
	/** Signs attachment links (cdn.ts). */
	readonly cdnSecret = randomBytes(32);
	/** How far the CDN's clock is ahead of this machine's: tests age attachment links without waiting a day. */
	cdnAheadMs = 0;
	/** How long the CDN takes before it answers a download (a slow link or a big file). */
	cdnDelayMs = 0;

	cdnNow(): number {
		return Date.now() + this.cdnAheadMs;
	}

	/** The bot's user id, which is also the application id (as for every modern Discord app). */
	readonly botId = this.ids.next();

	guild(id: string): GuildRecord | undefined {
		return this.guilds.get(id);
	}

	/** Effective permissions of a user in a guild channel. */
	permissionsOf(userId: string, channelId: string): bigint {
		const found = this.channels.get(channelId);
		// A thread has no overwrites of its own: Discord computes its permissions from the parent channel.
		const channel = found?.thread && found.parentId ? this.channels.get(found.parentId) : found;
		const guild = channel && this.guilds.get(channel.guildId);
		if (!channel || !guild) return 0n;
		return computePermissions({
			guildId: guild.id,
			ownerId: guild.ownerId,
			userId,
			rolePermissions: new Map([...guild.roles.values()].map((r) => [r.id, r.permissions])),
			memberRoles: guild.members.get(userId)?.roles ?? [],
			overwrites: channel.overwrites,
		});
	}

	/** Messages the channel shows, oldest first (ephemeral ones excluded). */
	channelMessages(channelId: string): MessageRecord[] {
		return [...this.messages.values()].filter((m) => m.channelId === channelId && m.ephemeralFor === null);
	}

	addMessage(message: MessageRecord): void {
		this.messages.set(message.id, message);
		for (const file of message.attachments) this.files.set(file.id, file);
		const channel = this.channels.get(message.channelId);
		if (channel && message.ephemeralFor === null) channel.lastMessageId = message.id;
		if (channel?.thread && message.ephemeralFor === null) {
			channel.thread.messageCount += 1;
			channel.thread.members.add(message.authorId);
		}
		this.emit('change', { kind: 'message', action: 'create', message });
	}

	/** Call after mutating a message record in place. */
	updateMessage(message: MessageRecord): void {
		for (const file of message.attachments) this.files.set(file.id, file);
		this.emit('change', { kind: 'message', action: 'update', message });
	}

	deleteMessage(message: MessageRecord): void {
		this.messages.delete(message.id);
		this.emit('change', { kind: 'message', action: 'delete', message });
	}

	/** Call after mutating a channel record in place (overwrites, name). */
	updateChannel(channel: ChannelRecord): void {
		this.emit('change', { kind: 'channel', channel });
	}

	/** A new thread (THREAD_CREATE), or one whose metadata changed (THREAD_UPDATE). */
	addThread(channel: ChannelRecord): void {
		this.channels.set(channel.id, channel);
		this.emit('change', { kind: 'thread', action: 'create', channel });
	}

	updateThread(channel: ChannelRecord): void {
		this.emit('change', { kind: 'thread', action: 'update', channel });
	}

	/** A thread deleted with its messages (THREAD_DELETE); its id is Unknown Channel (10003) from then on. */
	deleteThread(channel: ChannelRecord): void {
		this.channels.delete(channel.id);
		for (const message of this.channelMessages(channel.id)) this.messages.delete(message.id);
		this.emit('change', { kind: 'thread', action: 'delete', channel });
	}

	/** Call after mutating a guild record in place (premium tier, roles). */
	updateGuild(guild: GuildRecord): void {
		this.emit('change', { kind: 'guild', guild });
	}

	/** Sets (or with null / '' clears) a voice channel's status. */
	setVoiceStatus(channel: ChannelRecord, status: string | null): void {
		if (status) this.voiceStatuses.set(channel.id, status);
		else this.voiceStatuses.delete(channel.id);
		this.voiceStatusLog.push({ channelId: channel.id, status: status || null, at: Date.now() });
		this.emit('change', { kind: 'voiceStatus', channel, status: status || null });
	}

	/** Puts the user in a voice channel (or takes them out with `null`). */
	setVoiceState(guildId: string, userId: string, state: VoiceStateRecord | null): void {
		const guild = this.guilds.get(guildId);
		if (!guild) return;
		if (state) guild.voiceStates.set(userId, state);
		else guild.voiceStates.delete(userId);
		this.emit('change', { kind: 'voice', guildId, userId, state });
	}

	notifyInteraction(id: string): void {
		this.emit('change', { kind: 'interaction', id });
	}
}
