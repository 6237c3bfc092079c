/**
 * Channel, message, guild, member and user routes, with the bot's channel permissions enforced as Discord does
 * (50001 without VIEW_CHANNEL, 50013 without SEND_MESSAGES / ATTACH_FILES / EMBED_LINKS / MANAGE_MESSAGES).
 * A voice channel's status (`PUT /channels/{id}/voice-status`) takes SET_VOICE_CHANNEL_STATUS, and MANAGE_CHANNELS
 * as well when the bot is not connected to the channel (Discord's rule for members outside it).
 */
import { applyEdit, buildMessage, checkMessageInput, FLAGS, type MessageInput } from './messages.ts';
import { apiChannel, apiGuild, apiMember, apiMessage, apiRole, apiUser, apiVoiceState } from './payloads.ts';
import { missing, type PermissionName } from './permissions.ts';
import type { Route } from './rest.ts';
import { reopenToPost } from './routes-threads.ts';
import { route } from './rest.ts';
import type { Limits } from './rules.ts';
import type { ChannelRecord, DiscordState, GuildRecord, MessageRecord } from './state.ts';
import { asArray, asObject, asString, DiscordError, fail, invalidForm } from './wire.ts';

/** Discord's limit on a voice channel status. */
const VOICE_STATUS_MAX = 500;

export interface ChannelRouteDeps {
	state: DiscordState;
	limits: Limits;
}

export function channelRoutes({ state, limits }: ChannelRouteDeps): Route[] {
	const channelOf = (id: string): ChannelRecord => {
		const channel = state.channels.get(id);
		if (!channel) throw fail.unknownChannel();
		return channel;
	};
	/** 50001 unless the bot sees the channel, 50013 when it lacks any of `required`. */
	const requireBot = (channel: ChannelRecord, required: PermissionName[]): void => {
		const bits = state.permissionsOf(state.botId, channel.id);
		if (missing(bits, ['VIEW_CHANNEL']).length > 0) throw fail.missingAccess();
		if (missing(bits, required).length > 0) throw fail.missingPermissions();
	};
	const messageOf = (channel: ChannelRecord, id: string): MessageRecord => {
		const message = state.messages.get(id);
		if (!message || message.channelId !== channel.id || message.ephemeralFor !== null) throw fail.unknownMessage();
		return message;
	};
	const inputOf = (body: unknown, files: MessageInput['files']): MessageInput => ({ body: asObject(body), files });
	/** ATTACH_FILES for uploads, EMBED_LINKS for embeds. */
	const contentPermissions = (input: MessageInput): PermissionName[] => [
		...(input.files.length > 0 ? (['ATTACH_FILES'] as const) : []),
		...(asArray(input.body.embeds).length > 0 ? (['EMBED_LINKS'] as const) : []),
	];
	const guildOf = (id: string): GuildRecord => {
		const guild = state.guild(id);
		if (!guild) throw fail.unknownGuild();
		return guild;
	};
	const userId = (id: string): string => (id === '@me' ? state.botId : id);
	const nonces = nonceMemory(state);

	return [
		route('GET /channels/:channel', ({ params }) => {
			const channel = channelOf(params.channel ?? '');
			requireBot(channel, []);
			return { body: apiChannel(channel) };
		}),
		route('GET /channels/:channel/messages', ({ params, query }) => {
			const channel = channelOf(params.channel ?? '');
			requireBot(channel, ['READ_MESSAGE_HISTORY']);
			const limit = Math.min(Number(query.get('limit') ?? 50), 100);
			const before = query.get('before');
			const after = query.get('after');
			const list = state
				.channelMessages(channel.id)
				.filter((m) => (!before || BigInt(m.id) < BigInt(before)) && (!after || BigInt(m.id) > BigInt(after)))
				.reverse();
			return { body: (after ? list.slice(-limit) : list.slice(0, limit)).map((m) => apiMessage(state, m)) };
		}),
		route('GET /channels/:channel/messages/:message', ({ params }) => {
			const channel = channelOf(params.channel ?? '');
			requireBot(channel, ['READ_MESSAGE_HISTORY']);
			return { body: apiMessage(state, messageOf(channel, params.message ?? '')) };
		}),
		route('POST /channels/:channel/messages', ({ params, body }) => {
			const channel = channelOf(params.channel ?? '');
			const input = inputOf(body.json, body.files);
			requireBot(channel, [
				channel.thread ? 'SEND_MESSAGES_IN_THREADS' : 'SEND_MESSAGES',
				...contentPermissions(input),
			]);
			if (channel.thread) reopenToPost(state, channel);
			checkMessageInput(state, limits, channel.guildId, input, { creating: true });
			const earlier = nonces.find(channel.id, input.body);
			if (earlier) return { body: apiMessage(state, earlier) };
			const reference = asObject(input.body.message_reference);
			const message = buildMessage(state, {
				channelId: channel.id,
				guildId: channel.guildId,
				authorId: state.botId,
				input,
				type: reference.message_id ? 19 : 0,
			});
			message.flags &= ~FLAGS.ephemeral;
			state.addMessage(message);
			nonces.remember(channel.id, input.body, message);
			return { body: apiMessage(state, message) };
		}),
		route('PATCH /channels/:channel/messages/:message', ({ params, body }) => {
			const channel = channelOf(params.channel ?? '');
			const message = messageOf(channel, params.message ?? '');
			const input = inputOf(body.json, body.files);
			requireBot(channel, contentPermissions(input));
			if (message.authorId !== state.botId) throw fail.notAuthor();
			if (channel.thread?.archived) throw fail.archivedThread();
			checkMessageInput(state, limits, channel.guildId, input, { creating: false });
			applyEdit(state, message, input);
			state.updateMessage(message);
			return { body: apiMessage(state, message) };
		}),
		route('DELETE /channels/:channel/messages/:message', ({ params }) => {
			const channel = channelOf(params.channel ?? '');
			const message = messageOf(channel, params.message ?? '');
			requireBot(channel, message.authorId === state.botId ? [] : ['MANAGE_MESSAGES']);
			state.deleteMessage(message);
			return { status: 204 };
		}),
		route('PUT /channels/:channel/voice-status', ({ params, body }) => {
			const channel = channelOf(params.channel ?? '');
			// 50024 "Cannot execute action on this channel type".
			if (channel.type !== 2) throw new DiscordError(400, 50024, 'Cannot execute action on this channel type');
			const connected = state.guild(channel.guildId)?.voiceStates.get(state.botId)?.channelId === channel.id;
			requireBot(channel, ['SET_VOICE_CHANNEL_STATUS', ...(connected ? [] : (['MANAGE_CHANNELS'] as const))]);
			const status = asObject(body.json).status ?? null;
			if (status !== null && typeof status !== 'string')
				throw invalidForm([
					{ path: ['status'], code: 'BASE_TYPE_STRING', message: 'Could not interpret value as string.' },
				]);
			if (typeof status === 'string' && [...status].length > VOICE_STATUS_MAX)
				throw invalidForm([
					{
						path: ['status'],
						code: 'BASE_TYPE_MAX_LENGTH',
						message: `Must be ${VOICE_STATUS_MAX} or fewer in length.`,
					},
				]);
			state.setVoiceStatus(channel, status);
			return { status: 204 };
		}),
		route('POST /channels/:channel/typing', ({ params }) => {
			requireBot(channelOf(params.channel ?? ''), ['SEND_MESSAGES']);
			return { status: 204 };
		}),
		route('GET /guilds/:guild', ({ params }) => {
			const guild = guildOf(params.guild ?? '');
			return {
				body: { ...apiGuild(guild), approximate_member_count: guild.members.size, approximate_presence_count: 0 },
			};
		}),
		route('GET /guilds/:guild/channels', ({ params }) => {
			const guild = guildOf(params.guild ?? '');
			return { body: [...state.channels.values()].filter((c) => c.guildId === guild.id).map(apiChannel) };
		}),
		route('GET /guilds/:guild/roles', ({ params }) => ({
			body: [...guildOf(params.guild ?? '').roles.values()].map(apiRole),
		})),
		route('GET /guilds/:guild/members', ({ params, query }) => {
			const after = BigInt(query.get('after') ?? '0');
			const members = [...guildOf(params.guild ?? '').members.values()].filter((m) => BigInt(m.userId) > after);
			return { body: members.slice(0, Number(query.get('limit') ?? 1)).map((m) => apiMember(state, m)) };
		}),
		route('GET /guilds/:guild/members/:user', ({ params }) => {
			const member = guildOf(params.guild ?? '').members.get(userId(params.user ?? ''));
			if (!member) throw fail.unknownMember();
			return { body: apiMember(state, member) };
		}),
		route('GET /guilds/:guild/voice-states/:user', ({ params }) => {
			const guild = guildOf(params.guild ?? '');
			const voice = guild.voiceStates.get(userId(params.user ?? ''));
			if (!voice) throw fail.unknownMember();
			return { body: apiVoiceState(state, guild, voice, voice.userId) };
		}),
		route('GET /users/:user', ({ params }) => {
			const user = state.users.get(userId(params.user ?? ''));
			if (!user) throw fail.unknownUser();
			return { body: apiUser(user) };
		}),
	];
}

/** How long Discord remembers a nonce for `enforce_nonce` ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;

/**
 * `nonce` + `enforce_nonce` on message create, as on Discord: another create by the same author with the same nonce
 * within a few minutes returns the message created first instead of creating a new one.
 */
function nonceMemory(state: DiscordState) {
	const seen = new Map<string, { messageId: string; at: number }>();
	const keyOf = (channelId: string, body: Record<string, unknown>): string | undefined => {
		const nonce = typeof body.nonce === 'number' ? String(body.nonce) : asString(body.nonce);
		return body.enforce_nonce === true && nonce ? `${channelId}:${state.botId}:${nonce}` : undefined;
	};
	return {
		find(channelId: string, body: Record<string, unknown>): MessageRecord | undefined {
			const key = keyOf(channelId, body);
			const entry = key ? seen.get(key) : undefined;
			if (!entry || Date.now() - entry.at > NONCE_WINDOW_MS) return undefined;
			return state.messages.get(entry.messageId);
		},
		remember(channelId: string, body: Record<string, unknown>, message: MessageRecord): void {
			const key = keyOf(channelId, body);
			if (key) seen.set(key, { messageId: message.id, at: Date.now() });
		},
	};
}
