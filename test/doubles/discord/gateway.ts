/**
 * The gateway WebSocket (plain JSON, no compression: discord.js asks for zlib-stream only when the optional
 * `zlib-sync` addon loads). HELLO, IDENTIFY → READY + one GUILD_CREATE per guild of the shard, heartbeat ACKs,
 * sequence numbers with a per-session replay buffer for RESUME, intent-filtered dispatch, op 4 voice state updates
 * (VOICE_STATE_UPDATE, then VOICE_SERVER_UPDATE from the voice backend), op 8 member requests, and faults.
 */

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Crowd } from './crowd.ts';
import { apiChannel, apiGuild, apiGuildCreate, apiMember, apiMessage, apiUser, apiVoiceState } from './payloads.ts';
import { type DiscordState, type JsonObject, type StateEvent, shardOf } from './state.ts';
import type { VoiceBackend } from './voice-backend.ts';
import { asArray, asObject, asString } from './wire.ts';

/** Gateway intent bits the double filters on. */
export const INTENTS = {
	guilds: 1,
	guildMembers: 2,
	guildVoiceStates: 128,
	guildMessages: 512,
	messageContent: 32768,
	guildMessagePolls: 1 << 24,
};
const PRIVILEGED = 2 | 256 | 32768;
const REPLAY_LIMIT = 1000;

interface Frame {
	op: 0;
	t: string;
	s: number;
	d: unknown;
}

/** A gateway session: survives its socket so that a RESUME can replay what was missed. */
export interface GatewaySession {
	readonly id: string;
	readonly shard: readonly [number, number];
	readonly intents: number;
	seq: number;
	buffer: Frame[];
	socket: WebSocket | null;
}

export interface GatewayOptions {
	state: DiscordState;
	token: string;
	applicationId: string;
	heartbeatIntervalMs: number;
	/** Privileged intents the "developer portal" allows; others close with 4014. */
	allowedPrivilegedIntents: number;
	/** `ws://127.0.0.1:PORT`, known once the server listens; also READY's `resume_gateway_url`. */
	url: () => string;
	/** Generated guilds sent after the sandbox's (scale tests). */
	crowd?: Crowd;
}

/** A crowd GUILD_CREATE is sent once the socket has less than this queued, as Discord streams them after READY. */
const CROWD_HIGH_WATER = 1 << 20;

/** Closes an unacceptable IDENTIFY with Discord's close code (4004, 4010, 4013 and 4014 are fatal for discord.js). */
function refuse(socket: WebSocket, code: number, reason: string): null {
	socket.close(code, reason);
	return null;
}

type Payload = unknown | ((session: GatewaySession) => unknown);

export class Gateway {
	readonly #options: GatewayOptions;
	readonly #server = new WebSocketServer({ noServer: true });
	readonly #sessions = new Map<string, GatewaySession>();
	/** The voice server that issues VOICE_SERVER_UPDATE credentials (none: the bot never gets one). */
	voice: VoiceBackend | undefined;
	/** Counters tests can assert on; IDENTIFY payloads are kept without their token. */
	readonly stats = { connections: 0, identifies: [] as { shard: [number, number]; intents: number }[], resumes: 0 };

	constructor(options: GatewayOptions) {
		this.#options = options;
		options.state.on('change', (event) => this.#onState(event));
		this.#server.on('connection', (socket) => this.#onConnection(socket));
	}

	/** Hands an HTTP upgrade on any path to the gateway. */
	upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		this.#server.handleUpgrade(req, socket, head, (ws) => this.#server.emit('connection', ws, req));
	}

	get sessions(): readonly GatewaySession[] {
		return [...this.#sessions.values()];
	}

	/** Sends a dispatch to every session whose shard holds the guild and whose intents include `intent`. */
	dispatch(t: string, d: Payload, guildId: string | null, intent: number | null): void {
		for (const session of this.#sessions.values()) {
			if (guildId !== null && shardOf(guildId, session.shard[1]) !== session.shard[0]) continue;
			if (guildId === null && session.shard[0] !== 0) continue;
			if (intent !== null && (session.intents & intent) === 0) continue;
			this.#send(session, t, typeof d === 'function' ? d(session) : d);
		}
	}

	/** Closes every open connection with `code` (4000 and other non-1000 codes make discord.js resume). */
	dropConnections(code = 4000): void {
		for (const socket of this.#server.clients) socket.close(code, 'dropped by test');
	}

	/** Sends op 7 RECONNECT: the client reconnects and resumes. */
	requestReconnect(): void {
		for (const socket of this.#server.clients) socket.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
	}

	/** Sends op 9 INVALID SESSION; when not resumable the sessions are forgotten and the client must IDENTIFY. */
	invalidateSessions(resumable = false): void {
		for (const socket of this.#server.clients) socket.send(JSON.stringify({ op: 9, d: resumable, s: null, t: null }));
		if (!resumable) this.#sessions.clear();
	}

	close(): void {
		for (const socket of this.#server.clients) socket.terminate();
		this.#server.close();
	}

	#send(session: GatewaySession, t: string, d: unknown): void {
		const frame: Frame = { op: 0, t, s: ++session.seq, d };
		session.buffer.push(frame);
		if (session.buffer.length > REPLAY_LIMIT) session.buffer.shift();
		if (session.socket?.readyState === 1) session.socket.send(JSON.stringify(frame));
	}

	#onConnection(socket: WebSocket): void {
		this.stats.connections += 1;
		let session: GatewaySession | null = null;
		const raw = (payload: JsonObject): void => socket.send(JSON.stringify({ s: null, t: null, d: null, ...payload }));
		raw({ op: 10, d: { heartbeat_interval: this.#options.heartbeatIntervalMs } });
		socket.on('close', (code) => {
			if (session?.socket !== socket) return;
			session.socket = null;
			// A client closing normally (1000/1001) ends its session on Discord; other closes leave it resumable.
			if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
		});
		socket.on('message', (data, isBinary) => {
			let message: JsonObject;
			try {
				message = asObject(JSON.parse(isBinary ? '' : data.toString()));
			} catch {
				return socket.close(4002, 'Decode error');
			}
			const d = asObject(message.d);
			switch (message.op) {
				case 1:
					return raw({ op: 11 });
				case 2:
					if (session) return socket.close(4005, 'Already authenticated');
					session = this.#identify(socket, d);
					return;
				case 6:
					if (session) return socket.close(4005, 'Already authenticated');
					session = this.#resume(socket, d);
					return;
				case 3:
					return;
				case 4:
				case 8:
					if (!session) return socket.close(4003, 'Not authenticated');
					return message.op === 4 ? this.#voiceStateUpdate(session, d) : this.#requestMembers(session, d);
				default:
					return socket.close(4001, 'Unknown opcode');
			}
		});
	}

	#tokenOk(token: unknown): boolean {
		return token === this.#options.token || token === `Bot ${this.#options.token}`;
	}

	#identify(socket: WebSocket, d: JsonObject): GatewaySession | null {
		const { state } = this.#options;
		if (!this.#tokenOk(d.token)) return refuse(socket, 4004, 'Authentication failed');
		const [shardId = 0, shardCount = 1] = asArray(d.shard).map(Number);
		if (shardId < 0 || shardCount < 1 || shardId >= shardCount) return refuse(socket, 4010, 'Invalid shard');
		const intents = Number(d.intents);
		if (!Number.isInteger(intents) || intents < 0) return refuse(socket, 4013, 'Invalid intent(s)');
		if (intents & PRIVILEGED & ~this.#options.allowedPrivilegedIntents) {
			return refuse(socket, 4014, 'Disallowed intent(s)');
		}
		const session: GatewaySession = {
			id: randomBytes(16).toString('hex'),
			shard: [shardId, shardCount],
			intents,
			seq: 0,
			buffer: [],
			socket,
		};
		this.#sessions.set(session.id, session);
		this.stats.identifies.push({ shard: [shardId, shardCount], intents });
		const guilds = [...state.guilds.values()].filter((g) => shardOf(g.id, shardCount) === shardId);
		const crowd = (this.#options.crowd?.ids() ?? []).filter((id) => shardOf(id, shardCount) === shardId);
		const bot = state.users.get(state.botId);
		this.#send(session, 'READY', {
			v: 10,
			user: bot ? { ...apiUser(bot), verified: true, mfa_enabled: false, email: null } : null,
			guilds: [...guilds.map((g) => g.id), ...crowd].map((id) => ({ id, unavailable: true })),
			session_id: session.id,
			resume_gateway_url: this.#options.url(),
			application: { id: this.#options.applicationId, flags: 0 },
			shard: [shardId, shardCount],
			session_type: 'normal',
			private_channels: [],
			relationships: [],
			presences: [],
			guild_join_requests: [],
			geo_ordered_rtc_regions: [],
			user_settings: {},
			auth: {},
		});
		for (const guild of guilds) this.#send(session, 'GUILD_CREATE', apiGuildCreate(state, guild));
		if (crowd.length > 0) void this.#sendCrowd(session, crowd);
		return session;
	}

	/**
	 * Streams the crowd's GUILD_CREATEs, each built when its turn comes. The frame's payload is a `toJSON` stub,
	 * so the replay buffer holds no guild: a RESUME rebuilds the ones it replays.
	 */
	async #sendCrowd(session: GatewaySession, ids: string[]): Promise<void> {
		const crowd = this.#options.crowd;
		if (!crowd) return;
		for (const id of ids) {
			const index = crowd.indexOf(id);
			if (index === undefined) continue;
			while (session.socket && session.socket.bufferedAmount > CROWD_HIGH_WATER) {
				await new Promise((resolve) => setTimeout(resolve, 1));
			}
			if (!session.socket || !this.#sessions.has(session.id)) return;
			this.#send(session, 'GUILD_CREATE', { toJSON: () => crowd.guildCreate(index) });
		}
	}

	#resume(socket: WebSocket, d: JsonObject): GatewaySession | null {
		const session = this.#sessions.get(asString(d.session_id) ?? '');
		const seq = Number(d.seq ?? 0);
		const first = session?.buffer[0]?.s ?? 1;
		if (!this.#tokenOk(d.token) || !session || first > seq + 1) {
			socket.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
			return null;
		}
		if (session.socket && session.socket !== socket) session.socket.close(4009, 'Session resumed elsewhere');
		session.socket = socket;
		this.stats.resumes += 1;
		for (const frame of session.buffer) if (frame.s > seq) socket.send(JSON.stringify(frame));
		this.#send(session, 'RESUMED', null);
		return session;
	}

	#voiceStateUpdate(session: GatewaySession, d: JsonObject): void {
		const { state } = this.#options;
		const guild = state.guild(asString(d.guild_id) ?? '');
		if (!guild || shardOf(guild.id, session.shard[1]) !== session.shard[0]) return;
		const channelId = asString(d.channel_id) ?? null;
		if (channelId === null) {
			state.setVoiceState(guild.id, state.botId, null);
			this.voice?.revoke(guild.id, state.botId);
			return;
		}
		const channel = state.channels.get(channelId);
		if (!channel || channel.guildId !== guild.id || channel.type !== 2) return;
		state.setVoiceState(guild.id, state.botId, {
			userId: state.botId,
			channelId,
			sessionId: session.id,
			selfDeaf: d.self_deaf === true,
			selfMute: d.self_mute === true,
		});
		// VOICE_STATE_UPDATE went out synchronously above; @discordjs/voice needs it before the server update.
		if (!this.voice) return;
		const grant = this.voice.grant({ guildId: guild.id, channelId, userId: state.botId, sessionId: session.id });
		this.#send(session, 'VOICE_SERVER_UPDATE', { token: grant.token, guild_id: guild.id, endpoint: grant.endpoint });
	}

	#requestMembers(session: GatewaySession, d: JsonObject): void {
		const { state } = this.#options;
		const guildId = asString(d.guild_id) ?? '';
		const guild = state.guild(guildId);
		const ids = asArray(d.user_ids).map(String);
		const query = (asString(d.query) ?? '').toLowerCase();
		const crowdIndex = this.#options.crowd?.indexOf(guildId);
		if (!guild && crowdIndex !== undefined && this.#options.crowd) {
			const members = this.#options.crowd.members(crowdIndex, { ids, prefix: query, limit: Number(d.limit) || 0 });
			const found = new Set(members.map((m) => String(asObject(m.user).id)));
			this.#send(session, 'GUILD_MEMBERS_CHUNK', {
				guild_id: guildId,
				members,
				chunk_index: 0,
				chunk_count: 1,
				not_found: ids.filter((id) => !found.has(id)),
				...(d.nonce === undefined ? {} : { nonce: d.nonce }),
			});
			return;
		}
		if (!guild) return;
		const members = [...guild.members.values()].filter((m) =>
			ids.length > 0 ? ids.includes(m.userId) : state.users.get(m.userId)?.username.toLowerCase().startsWith(query),
		);
		this.#send(session, 'GUILD_MEMBERS_CHUNK', {
			guild_id: guild.id,
			members: members.slice(0, Number(d.limit) || members.length).map((m) => apiMember(state, m)),
			chunk_index: 0,
			chunk_count: 1,
			not_found: ids.filter((id) => !guild.members.has(id)),
			...(d.nonce === undefined ? {} : { nonce: d.nonce }),
		});
	}

	#onState(event: StateEvent): void {
		const { state } = this.#options;
		if (event.kind === 'channel')
			this.dispatch('CHANNEL_UPDATE', apiChannel(event.channel), event.channel.guildId, INTENTS.guilds);
		if (event.kind === 'thread' && event.action === 'delete') {
			const { id, guildId, parentId, type } = event.channel;
			this.dispatch('THREAD_DELETE', { id, guild_id: guildId, parent_id: parentId, type }, guildId, INTENTS.guilds);
		} else if (event.kind === 'thread') {
			const created = event.action === 'create';
			const d = { ...apiChannel(event.channel), ...(created ? { newly_created: true } : {}) };
			this.dispatch(created ? 'THREAD_CREATE' : 'THREAD_UPDATE', d, event.channel.guildId, INTENTS.guilds);
		}
		if (event.kind === 'voiceStatus') {
			const d = { id: event.channel.id, guild_id: event.channel.guildId, status: event.status };
			this.dispatch('VOICE_CHANNEL_STATUS_UPDATE', d, event.channel.guildId, INTENTS.guilds);
		}
		if (event.kind === 'guild') this.dispatch('GUILD_UPDATE', apiGuild(event.guild), event.guild.id, INTENTS.guilds);
		if (event.kind === 'voice') {
			const guild = state.guild(event.guildId);
			if (!guild) return;
			const payload = apiVoiceState(state, guild, event.state, event.userId);
			this.dispatch('VOICE_STATE_UPDATE', payload, guild.id, INTENTS.guildVoiceStates);
		}
		if (event.kind === 'poll-vote' && event.message.guildId) {
			const d = {
				user_id: event.userId,
				channel_id: event.message.channelId,
				message_id: event.message.id,
				guild_id: event.message.guildId,
				answer_id: event.answerId,
			};
			this.dispatch('MESSAGE_POLL_VOTE_ADD', d, event.message.guildId, INTENTS.guildMessagePolls);
			return;
		}
		if (event.kind !== 'message' || event.message.ephemeralFor !== null || !event.message.guildId) return;
		const { message } = event;
		if (event.action === 'delete') {
			const d = { id: message.id, channel_id: message.channelId, guild_id: message.guildId };
			this.dispatch('MESSAGE_DELETE', d, message.guildId, INTENTS.guildMessages);
			return;
		}
		const full = { ...apiMessage(state, message), guild_id: message.guildId };
		// Without MESSAGE_CONTENT a bot sees content (polls included) only of its own messages.
		const withoutPoll: JsonObject = { ...full };
		delete withoutPoll.poll;
		const visible = (session: GatewaySession): unknown =>
			session.intents & INTENTS.messageContent || message.authorId === state.botId
				? full
				: { ...withoutPoll, content: '', embeds: [], attachments: [], components: [] };
		const t = event.action === 'create' ? 'MESSAGE_CREATE' : 'MESSAGE_UPDATE';
		this.dispatch(t, visible, message.guildId, INTENTS.guildMessages);
	}
}
