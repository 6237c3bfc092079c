/**
 * `startDiscordDouble()`: one HTTP server on an ephemeral 127.0.0.1 port serving the REST API under `/api/v10`,
 * attachment downloads under `/attachments`, and the gateway WebSocket on any upgrade path. Point discord.js at it
 * with `new Client({ intents, rest: { api: double.apiUrl } })` and `client.login(double.token)`.
 */

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Crowd, type CrowdSpec } from './crowd.ts';
import { type ChannelRef, type DriverContext, UserHandle } from './driver.ts';
import { Gateway } from './gateway.ts';
import { Interactions } from './interactions.ts';
import { apiCommand } from './payloads.ts';
import { type BucketConfig, RateLimits } from './ratelimit.ts';
import { createRestHandler, type LoggedRequest } from './rest.ts';
import { appRoutes } from './routes-app.ts';
import { endPoll, pollRoutes } from './polls.ts';
import { channelRoutes } from './routes-channels.ts';
import { threadRoutes } from './routes-threads.ts';
import { DEFAULT_LIMITS, type Limits } from './rules.ts';
import { type GuildSpec, seedState } from './seed.ts';
import { loadSpec } from './spec.ts';
import { type ChannelRecord, DiscordState, type GuildRecord, type JsonObject, type UserRecord } from './state.ts';
import { ChannelHandle } from './views.ts';
import type { VoiceBackend } from './voice-backend.ts';

export interface DiscordDoubleOptions {
	/** Sandbox users, members of every guild. Default `['alice', 'bob']`. */
	users?: string[];
	/** Default one guild `Songbot Sandbox` with #general, #songs and the voice channel General. */
	guilds?: GuildSpec[];
	/** The bot's username. Default `songbot`. */
	botName?: string;
	/** HELLO `heartbeat_interval`. Default 41 250 ms; short values make zombie detection fast in tests. */
	heartbeatIntervalMs?: number;
	/** Shard count recommended by GET /gateway/bot. Default 1. */
	shardCount?: number;
	/** Privileged intent bits the bot may request (others close with 4014). Default all three. */
	allowedPrivilegedIntents?: number;
	limits?: Partial<Limits>;
	/** Bucket sizes by route (`'PATCH /channels/:channel/messages/:message'`, or `'*'`). Default 50 per second. */
	rateLimits?: Record<string, BucketConfig>;
	/** The voice server that issues VOICE_SERVER_UPDATE credentials. */
	voice?: VoiceBackend;
	/** Default timeout of the driver's waits in ms. Default 5000. */
	waitTimeoutMs?: number;
	/** Generated guilds served besides `guilds` (memory and ready time at scale); see crowd.ts. */
	crowd?: CrowdSpec;
}

/** A guild in the driver. */
export class GuildHandle {
	readonly #state: DiscordState;
	readonly #record: GuildRecord;
	readonly #timeoutMs: number;

	constructor(state: DiscordState, record: GuildRecord, timeoutMs: number) {
		this.#state = state;
		this.#record = record;
		this.#timeoutMs = timeoutMs;
	}

	get id(): string {
		return this.#record.id;
	}

	get name(): string {
		return this.#record.name;
	}

	/**
	 * Sets the server's community language (`preferred_locale`, and `guild_locale` of interactions) and dispatches
	 * GUILD_UPDATE, as Discord does, so the client's cached guild knows it.
	 */
	setLocale(locale: string): this {
		this.#record.locale = locale;
		this.#state.updateGuild(this.#record);
		return this;
	}

	get channels(): ChannelHandle[] {
		return [...this.#state.channels.values()]
			.filter((c) => c.guildId === this.id)
			.map((c) => new ChannelHandle(this.#state, c, this.#timeoutMs));
	}

	channel(name: string): ChannelHandle {
		const channel = this.channels.find((c) => c.name === name || c.id === name);
		if (!channel) throw new Error(`guild ${this.name} has no channel ${name}`);
		return channel;
	}

	/** Boost tier 0–3; changes the per-file limit and dispatches GUILD_UPDATE. */
	setPremiumTier(tier: number): void {
		this.#record.premiumTier = tier;
		this.#state.updateGuild(this.#record);
	}

	/**
	 * Creates a role (no extra permissions) given to the named members, and dispatches GUILD_UPDATE so the client
	 * knows it; the members carry it in their next interactions. Returns the role id.
	 */
	addRole(name: string, memberNames: readonly string[]): string {
		const id = this.#state.ids.next();
		const position = Math.max(...[...this.#record.roles.values()].map((r) => r.position)) + 1;
		this.#record.roles.set(id, { id, name, permissions: 0n, position, botId: null });
		for (const memberName of memberNames) {
			const user = [...this.#state.users.values()].find((u) => u.username === memberName);
			const member = user ? this.#record.members.get(user.id) : undefined;
			if (!member) throw new Error(`guild ${this.name} has no member ${memberName}`);
			member.roles = [...member.roles, id];
		}
		this.#state.updateGuild(this.#record);
		return id;
	}

	/** Overrides the per-file attachment limit (null: back to the tier's limit). */
	setAttachmentSizeLimit(bytes: number | null): void {
		this.#record.attachmentSizeLimit = bytes;
	}
}

export interface DiscordDouble {
	/** `http://127.0.0.1:PORT/api`: discord.js `rest.api`, the bot's DISCORD_API_URL. */
	apiUrl: string;
	/** `http://127.0.0.1:PORT`. */
	baseUrl: string;
	/** `ws://127.0.0.1:PORT`. */
	gatewayUrl: string;
	token: string;
	/** Also the bot's user id. */
	applicationId: string;
	guild: GuildHandle;
	guilds: GuildHandle[];
	users: UserHandle[];
	user(name: string): UserHandle;
	/** A channel by name (unique across guilds) or id. */
	channel(ref: ChannelRef): ChannelHandle;
	/** The bot's current voice channel id in a guild (default: the first guild). */
	botVoiceChannelId(guildId?: string): string | null;
	/** Commands the bot registered (API shape), global and per guild. */
	readonly commands: JsonObject[];
	/** Live rules; change fields at any time (e.g. `double.limits.tokenLifetimeMs = 500`). */
	limits: Limits;
	/** Bucket sizes and REST fault injection (429s, 5xx, latency). */
	rateLimits: RateLimits;
	/** Every REST request the double received, in order. */
	requests: LoggedRequest[];
	/** Gateway faults (drop, op 7, op 9), sessions and counters. */
	gateway: Gateway;
	setVoiceBackend(backend: VoiceBackend | undefined): void;
	/** Disconnects a user (or the bot) from voice as a moderator would; revokes their voice credentials. */
	disconnectVoice(who: UserHandle | 'bot'): void;
	/**
	 * Ends a poll as Discord does at its expiry: final results on the message (MESSAGE_UPDATE), then a POLL_RESULT
	 * message in the channel (polls.ts).
	 */
	/** Ages every attachment link by `ms`, as if that much time passed for Discord's CDN (links last about 24 h). */
	ageAttachmentLinks(ms: number): void;
	/** Makes every attachment download wait `ms` before its bytes come (0: at once again). */
	slowAttachmentDownloads(ms: number): void;
	endPoll(message: { id: string }): void;
	stop(): Promise<void>;
}

export async function startDiscordDouble(options: DiscordDoubleOptions = {}): Promise<DiscordDouble> {
	const timeoutMs = options.waitTimeoutMs ?? 5_000;
	const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
	const state = new DiscordState();
	const applicationId = state.botId;
	const token = `${Buffer.from(applicationId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(20).toString('base64url')}`;
	seedState(state, {
		applicationId,
		botName: options.botName ?? 'songbot',
		users: options.users ?? ['alice', 'bob'],
		guilds: options.guilds ?? [{}],
	});

	let port = 0;
	const gatewayUrl = (): string => `ws://127.0.0.1:${port}`;
	const gateway = new Gateway({
		state,
		token,
		applicationId,
		heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
		allowedPrivilegedIntents: options.allowedPrivilegedIntents ?? 2 | 256 | 32768,
		url: gatewayUrl,
		...(options.crowd ? { crowd: new Crowd(options.crowd, state.users.get(applicationId) as UserRecord) } : {}),
	});
	gateway.voice = options.voice;
	const interactions = new Interactions(state, limits, applicationId, (guildId, payload) =>
		gateway.dispatch('INTERACTION_CREATE', payload, guildId, null),
	);
	const rateLimits = new RateLimits(options.rateLimits);
	const requests: LoggedRequest[] = [];
	const routes = [
		...appRoutes({ state, interactions, applicationId, gatewayUrl, shardCount: options.shardCount ?? 1 }),
		...channelRoutes({ state, limits }),
		...threadRoutes(state),
		...pollRoutes(state),
	];
	const server = createServer(createRestHandler({ state, routes, rateLimits, token, log: requests }));
	server.on('upgrade', (req, socket, head) => gateway.upgrade(req, socket, head));
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	port = (server.address() as AddressInfo).port;
	state.baseUrl = `http://127.0.0.1:${port}`;
	// Start importing the OpenAPI schemas without waiting, so the first checked request (perhaps an interaction
	// callback racing a short deadline in a test) does not pay for it; a failed import shows on that request.
	loadSpec().catch(() => undefined);

	const findChannel = (ref: ChannelRef | undefined): ChannelRecord => {
		const all = [...state.channels.values()];
		if (ref === undefined) {
			const first = all.find((c) => c.type === 0);
			if (!first) throw new Error('the double has no text channel');
			return first;
		}
		const key = typeof ref === 'string' ? ref : ref.id;
		const byId = state.channels.get(key);
		if (byId) return byId;
		const named = all.filter((c) => c.name === key);
		if (named.length !== 1) {
			const problem = named.length === 0 ? 'no channel' : 'several channels';
			throw new Error(
				`${problem} named ${key}; use double.guilds[i].channel(name) (channels: ${all.map((c) => c.name).join(', ')})`,
			);
		}
		return named[0] as ChannelRecord;
	};
	const ctx: DriverContext = { state, interactions, timeoutMs, channel: findChannel };
	const users = [...state.users.values()].filter((u) => !u.bot).map((u) => new UserHandle(ctx, u));
	const guilds = [...state.guilds.values()].map((g) => new GuildHandle(state, g, timeoutMs));

	return {
		apiUrl: `${state.baseUrl}/api`,
		baseUrl: state.baseUrl,
		gatewayUrl: gatewayUrl(),
		token,
		applicationId,
		guild: guilds[0] as GuildHandle,
		guilds,
		users,
		user(name) {
			const user = users.find((u) => u.name === name);
			if (!user) throw new Error(`no sandbox user ${name} (users: ${users.map((u) => u.name).join(', ')})`);
			return user;
		},
		channel: (ref) => new ChannelHandle(state, findChannel(ref), timeoutMs),
		botVoiceChannelId: (guildId = guilds[0]?.id ?? '') =>
			state.guild(guildId)?.voiceStates.get(applicationId)?.channelId ?? null,
		get commands() {
			return [...state.commands.values()].map((c) => apiCommand(applicationId, c));
		},
		limits,
		rateLimits,
		requests,
		gateway,
		setVoiceBackend: (backend) => {
			gateway.voice = backend;
		},
		disconnectVoice(who) {
			const userId = who === 'bot' ? applicationId : who.id;
			for (const guild of state.guilds.values()) {
				if (!guild.voiceStates.has(userId)) continue;
				state.setVoiceState(guild.id, userId, null);
				gateway.voice?.revoke(guild.id, userId);
			}
		},
		endPoll(message) {
			const record = state.messages.get(message.id);
			if (!record?.poll) throw new Error(`message ${message.id} has no poll`);
			endPoll(state, record);
		},
		ageAttachmentLinks(ms) {
			state.cdnAheadMs += ms;
		},
		slowAttachmentDownloads(ms) {
			state.cdnDelayMs = ms;
		},
		async stop() {
			gateway.close();
			server.closeAllConnections();
			server.close();
			await once(server, 'close');
		},
	};
}
