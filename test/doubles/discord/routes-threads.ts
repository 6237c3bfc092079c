/**
 * Threads as Discord serves them: a public thread started from a message (`POST /channels/{id}/messages/{id}/threads`,
 * the thread's id is the message's), archived and locked with `PATCH /channels/{id}`, and its members
 * (`/channels/{id}/thread-members/{user}`). What Discord refuses is refused: a second thread on one message (160004),
 * a thread in a voice channel or in a thread (50024), a name outside 1–100 characters (50035), locking or
 * reopening a locked thread without Manage Threads (50013), and posting or editing in a thread that is archived and
 * locked (50083). Posting in an archived thread that is not locked reopens it, as on Discord.
 */
import { apiChannel } from './payloads.ts';
import { apiThreadMember } from './thread-payloads.ts';
import { missing, type PermissionName } from './permissions.ts';
import { route, type Route } from './rest.ts';
import type { ChannelRecord, DiscordState } from './state.ts';
import { asObject, fail, invalidForm } from './wire.ts';

const NAME_MAX = 100;
const DURATIONS = [60, 1440, 4320, 10080];

export function threadRoutes(state: DiscordState): Route[] {
	const channelOf = (id: string): ChannelRecord => {
		const channel = state.channels.get(id);
		if (!channel) throw fail.unknownChannel();
		return channel;
	};
	const threadOf = (id: string) => {
		const channel = channelOf(id);
		if (!channel.thread) throw fail.wrongChannelType();
		return { channel, thread: channel.thread };
	};
	const requireBot = (channel: ChannelRecord, required: PermissionName[]): void => {
		const bits = state.permissionsOf(state.botId, channel.id);
		if (missing(bits, ['VIEW_CHANNEL']).length > 0) throw fail.missingAccess();
		if (missing(bits, required).length > 0) throw fail.missingPermissions();
	};
	const may = (channel: ChannelRecord, permission: PermissionName): boolean =>
		missing(state.permissionsOf(state.botId, channel.id), [permission]).length === 0;
	const userOf = (id: string): string => (id === '@me' ? state.botId : id);

	return [
		route('POST /channels/:channel/messages/:message/threads', ({ params, body }) => {
			const parent = channelOf(params.channel ?? '');
			if (parent.type !== 0) throw fail.wrongChannelType();
			requireBot(parent, ['CREATE_PUBLIC_THREADS', 'READ_MESSAGE_HISTORY']);
			const message = state.messages.get(params.message ?? '');
			if (!message || message.channelId !== parent.id || message.ephemeralFor !== null) throw fail.unknownMessage();
			if (state.channels.has(message.id)) throw fail.threadExists();
			const json = asObject(body.json);
			const name = typeof json.name === 'string' ? json.name.trim() : '';
			if (name.length < 1 || [...name].length > NAME_MAX)
				throw invalidForm([
					{ path: ['name'], code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between 1 and ${NAME_MAX} in length.` },
				]);
			const duration = typeof json.auto_archive_duration === 'number' ? json.auto_archive_duration : 4320;
			if (!DURATIONS.includes(duration))
				throw invalidForm([
					{
						path: ['auto_archive_duration'],
						code: 'BASE_TYPE_CHOICES',
						message: 'Value must be one of {60, 1440, 4320, 10080}.',
					},
				]);
			const now = Date.now();
			const thread: ChannelRecord = {
				id: message.id,
				guildId: parent.guildId,
				name,
				type: 11,
				position: 0,
				parentId: parent.id,
				overwrites: [],
				lastMessageId: null,
				thread: {
					ownerId: state.botId,
					archived: false,
					locked: false,
					autoArchiveDuration: duration,
					archiveTimestamp: now,
					createdAt: now,
					members: new Set([state.botId]),
					messageCount: 0,
				},
			};
			state.addThread(thread);
			// The starter message now names its thread (MESSAGE_UPDATE), as on Discord.
			message.flags |= 1 << 5;
			state.updateMessage(message);
			return { status: 201, body: apiChannel(thread) };
		}),
		route('PATCH /channels/:channel', ({ params, body }) => {
			const { channel, thread } = threadOf(params.channel ?? '');
			requireBot(channel, []);
			const json = asObject(body.json);
			const manage = may(channel, 'MANAGE_THREADS');
			const owner = thread.ownerId === state.botId;
			if (typeof json.locked === 'boolean' && json.locked !== thread.locked && !manage) throw fail.missingPermissions();
			if (thread.locked && thread.archived && !manage) throw fail.archivedThread();
			if (typeof json.archived === 'boolean' && !owner && !manage) throw fail.missingPermissions();
			if (typeof json.name === 'string') {
				if (!owner && !manage) throw fail.missingPermissions();
				channel.name = json.name;
			}
			if (typeof json.locked === 'boolean') thread.locked = json.locked;
			if (typeof json.archived === 'boolean' && json.archived !== thread.archived) {
				thread.archived = json.archived;
				thread.archiveTimestamp = Date.now();
			}
			state.updateThread(channel);
			return { body: apiChannel(channel) };
		}),
		route('GET /channels/:channel/thread-members/:user', ({ params }) => {
			const { channel, thread } = threadOf(params.channel ?? '');
			requireBot(channel, []);
			const userId = userOf(params.user ?? '');
			if (!thread.members.has(userId)) throw fail.unknownMember();
			return { body: apiThreadMember(channel, userId, thread.createdAt) };
		}),
		route('PUT /channels/:channel/thread-members/:user', ({ params }) => {
			const { channel, thread } = threadOf(params.channel ?? '');
			const userId = userOf(params.user ?? '');
			requireBot(channel, userId === state.botId ? [] : ['SEND_MESSAGES_IN_THREADS']);
			if (thread.archived) throw fail.archivedThread();
			if (!state.guild(channel.guildId)?.members.has(userId)) throw fail.unknownMember();
			thread.members.add(userId);
			return { status: 204 };
		}),
	];
}

/** Discord reopens an archived thread someone posts in, unless it is locked (then Manage Threads is needed). */
export function reopenToPost(state: DiscordState, channel: ChannelRecord): void {
	const thread = channel.thread;
	if (!thread?.archived) return;
	const manage = missing(state.permissionsOf(state.botId, channel.id), ['MANAGE_THREADS']).length === 0;
	if (thread.locked && !manage) throw fail.archivedThread();
	thread.archived = false;
	thread.archiveTimestamp = Date.now();
	state.updateThread(channel);
}
