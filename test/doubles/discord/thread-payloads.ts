/** Thread channels and thread members in Discord's shapes (`thread_metadata`, `GET …/thread-members/{user}`). */
import type { ChannelRecord, JsonObject, ThreadRecord } from './state.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A thread channel: no overwrites or position of its own, its metadata in `thread_metadata`. */
export function apiThread(channel: ChannelRecord, thread: ThreadRecord): JsonObject {
	return {
		id: channel.id,
		type: channel.type,
		guild_id: channel.guildId,
		name: channel.name,
		parent_id: channel.parentId,
		owner_id: thread.ownerId,
		last_message_id: channel.lastMessageId,
		rate_limit_per_user: 0,
		message_count: thread.messageCount,
		member_count: Math.min(thread.members.size, 50),
		total_message_sent: thread.messageCount,
		flags: 0,
		thread_metadata: {
			archived: thread.archived,
			auto_archive_duration: thread.autoArchiveDuration,
			archive_timestamp: iso(thread.archiveTimestamp),
			locked: thread.locked,
			create_timestamp: iso(thread.createdAt),
		},
	};
}

/** A thread member as `GET /channels/{id}/thread-members/{user}` answers it. */
export function apiThreadMember(channel: ChannelRecord, userId: string, joinedAt: number): JsonObject {
	return { id: channel.id, user_id: userId, join_timestamp: iso(joinedAt), flags: 0 };
}
