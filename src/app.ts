import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { type Client, Events, Routes } from 'discord.js';
import { commands } from '../commands/index.ts';
import { createAudioCache } from './audio/download.ts';
import { createGuardedAgent } from './audio/guard.ts';
import type { Config } from './config.ts';
import { CreditWatch } from './core/credits.ts';
import { RequestDedupe } from './core/dedupe.ts';
import { InFlight } from './core/inflight.ts';
import { Quotas } from './core/quota.ts';
import type { FleetOptions } from './core/fleet.ts';
import type { TaskRecord } from './core/records.ts';
import { createTracker } from './core/tracker.ts';
import { trackerOptionsFrom } from './tracker-options.ts';
import { noMetrics } from './core/ports.ts';
import { wireClientEvents } from './discord/client-events.ts';
import { createClient } from './discord/client-options.ts';
import type { Context } from './discord/context.ts';
import { deployCommands } from './discord/deploy.ts';
import { createRouter } from './discord/router.ts';
import { PlayerMessages } from './discord/player-message.ts';
import { DiscordSink } from './discord/sink.ts';
import { SongOfWeek } from './discord/song-of-week.ts';
import { withTaskListener } from './discord/task-listener.ts';
import { KaraokeWaits } from './discord/karaoke-wait.ts';
import { TakeVotes } from './discord/votes.ts';
import { Jams } from './discord/jams.ts';
import { callbackUrl, resolveCallbackSecret } from './http/secret.ts';
import { startServers } from './http/servers.ts';
import { type Logger, Secrets } from './log.ts';
import { createProvider, providerOptionsOf } from './providers/index.ts';
import { rememberFeatures } from './providers/learn.ts';
import { withoutSecrets } from './providers/without-secrets.ts';
// From their own files, not voice/index.ts: the player (and @discordjs/voice) is loaded on the first play.
import { createTakeAudio } from './voice/audio.ts';
import { TranscodeCache } from './voice/cache.ts';
import { VoiceManager } from './voice/manager.ts';
import { guildShard } from './sharding.ts';
import { type Coordination, openCoordination, openStore } from './store/index.ts';

export interface App {
	client: Client;
	ctx: Context;
	/** The HTTP server's base URL when HTTP_PORT is set. */
	httpUrl?: string;
	/** The loopback metrics server's base URL when METRICS_PORT is set. */
	metricsUrl?: string;
	stop(): Promise<void>;
}

export interface AppOptions {
	/** Secrets learnt at start-up (the generated callback secret) are added here, so logs never show them. */
	secrets?: Secrets;
	/** Discord client options for tests (e.g. trusting a local voice server); merged over ours. */
	clientOptions?: Partial<ConstructorParameters<typeof Client>[0]>;
}

/** Composition root: builds every dependency once and wires them to the Discord client. */
export async function startApp(config: Config, log: Logger, options: AppOptions = {}): Promise<App> {
	const secrets = options.secrets ?? new Secrets();
	const store = await openStore(config.STORE_URL, { log });
	const coordination = await openCoordination(config.STORE_URL, { log });
	// The provider's words reach members (refusals, failure reasons): never with a secret in them.
	const provider = withoutSecrets(createProvider(providerOptionsOf(config)), secrets);
	// What the provider refused (or doctor found missing) in an earlier run stays hidden.
	await rememberFeatures(provider, store, config.SUNO_BASE_URL, (err) =>
		log.warn({ err }, 'could not save a learnt provider feature'),
	);
	const secret = await resolveCallbackSecret(store, config.CALLBACK_SECRET);
	secrets.add(secret);
	const callbacks =
		config.PUBLIC_BASE_URL && config.HTTP_PORT
			? callbackUrl(config.PUBLIC_BASE_URL, secret, provider.family)
			: undefined;

	const client = createClient(config, options.clientOptions);
	const shards = servedShards(client);
	if (coordination === undefined && shards.count > 1) {
		await store.close();
		throw new Error('several shards need STORE_URL=redis://… : their processes share tasks and quotas through it');
	}
	const sink = new DiscordSink({
		client,
		store,
		capabilities: provider.capabilities,
		log,
		// The tracker exists by the time a video or WAV is delivered: it is made right below, with this sink.
		keepStudioLink: (taskId, clipId, link) => tracker.keepStudioLink(taskId, clipId, link),
		notePing: (taskId, messageId) => tracker.notePing(taskId, messageId),
	});
	// Prometheus figures exist only to be served on /metrics: without a port for them, prom-client is never loaded.
	const metrics =
		config.HTTP_PORT || config.METRICS_PORT ? (await import('./http/metrics.ts')).createMetrics() : undefined;
	// Every URL a provider hands us (audio, streams) is fetched through it: no address inside the network.
	const guarded = createGuardedAgent({ allowPrivate: config.AUDIO_ALLOW_PRIVATE });
	const audio = createAudioCache({
		dir: join(config.DATA_DIR, 'audio'),
		maxBytes: config.AUDIO_MAX_MB * 1024 * 1024,
		budgetBytes: config.AUDIO_CACHE_MB * 1024 * 1024,
		allowHttp: config.AUDIO_ALLOW_HTTP,
		dispatcher: guarded,
	});
	const quotas = new Quotas(store);
	// Listeners are added once what they need exists; the tracker reports nothing before `tracker.start()`.
	const taskListeners: ((task: TaskRecord) => void)[] = [];
	const tracker = createTracker({
		provider,
		store,
		sink: withTaskListener(sink, (task) => {
			for (const listener of taskListeners) listener(task);
		}),
		audio,
		log,
		options: trackerOptionsFrom(config, callbacks),
		metrics: metrics?.tracker ?? noMetrics,
		...(coordination ? { fleet: fleetOptions(config, coordination, shards) } : {}),
		refund: (charge) => quotas.giveBack(charge),
	});
	// Each take is transcoded once to Ogg/Opus and replayed from disk: no PCM or Opus encoding in this process.
	const voiceCache = new TranscodeCache({
		dir: join(config.DATA_DIR, 'voice-cache'),
		maxBytes: config.VOICE_CACHE_MB * 1024 * 1024,
	});
	const voice = new VoiceManager({
		audio: createTakeAudio({ cache: voiceCache, allowHttp: config.AUDIO_ALLOW_HTTP, dispatcher: guarded }),
		leaveAfterEndMs: config.VOICE_LEAVE_AFTER_END_SEC * 1000,
		leaveWhenEmptyMs: config.VOICE_LEAVE_WHEN_EMPTY_SEC * 1000,
		pauseTimeoutMs: config.VOICE_PAUSE_TIMEOUT_SEC * 1000,
		queueMax: config.VOICE_QUEUE_MAX,
		// The player message's Remove menu lists up to 25 waiting takes (Discord's limit for a menu).
		upcomingLimit: 25,
		log,
	});
	const playerMessages = new PlayerMessages({ voice, client, log });
	const takeVotes = new TakeVotes({ client, store, voice, log });
	taskListeners.push((task) => takeVotes.taskChanged(task));
	const ctx: Context = {
		config,
		log,
		provider,
		tracker,
		store,
		quotas,
		inFlight: new InFlight(store),
		dedupe: new RequestDedupe(store),
		voice,
		audio,
		playerMessages,
		now: Date.now,
		songOfWeek: new SongOfWeek({ client, store, log }),
		jams: new Jams({
			client,
			store,
			log,
			idleMs: config.JAM_IDLE_SEC * 1000,
			retentionMs: config.RETENTION_DAYS * 86_400_000,
			leaseMs: config.LEASE_MS,
			concat: () => provider.capabilities.concat,
		}),
		credits: new CreditWatch({
			provider,
			store,
			post: async (channelId, content) => {
				await client.rest.post(Routes.channelMessages(channelId), {
					body: { content, allowed_mentions: { parse: [] } },
				});
			},
			log,
		}),
	};

	const karaoke = new KaraokeWaits(ctx, client);
	ctx.karaoke = karaoke;
	taskListeners.push((task) => karaoke.taskChanged(task));

	const servers = metrics
		? await startServers(config, {
				secret,
				provider,
				report: (snapshot, source, family, intentId) => tracker.report(snapshot, source, family, intentId),
				// isReady() is false while the gateway is reconnecting; store.ping() rejects when the store does not answer.
				isHealthy: async () => client.isReady() && (await store.ping().then(() => true)),
				metrics,
				log,
				callbacks: callbacks !== undefined && provider.capabilities.callbacks,
			})
		: {};
	const { httpUrl, metricsUrl } = servers;

	wireClientEvents(client, { route: createRouter(commands, ctx), takeVotes, jams: ctx.jams, voice, log });
	const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
	await client.login(config.DISCORD_TOKEN);
	const readyClient = await ready;
	log.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size }, 'connected to Discord');

	// Commands belong to the application, not to a shard: the process that runs shard 0 registers them.
	if (shards.ids.includes(0)) {
		const definitions = commands.flatMap((c) => c.data?.(ctx) ?? []);
		await deployCommands(readyClient, definitions, log, config.DISCORD_GUILD_ID);
	}
	await tracker.start();
	await takeVotes.start();
	ctx.songOfWeek?.start();
	ctx.jams?.start();

	let stopping: Promise<void> | undefined;
	return {
		client,
		ctx,
		...(httpUrl ? { httpUrl } : {}),
		...(metricsUrl ? { metricsUrl } : {}),
		stop() {
			stopping ??= (async () => {
				await tracker.stop();
				await takeVotes.stop();
				ctx.songOfWeek?.stop();
				ctx.jams?.stop();
				sink.stop();
				playerMessages.stop();
				await playerMessages.status.clearAll();
				voice.destroy();
				await servers.close?.();
				await client.destroy();
				await coordination?.close();
				await store.close();
			})();
			return stopping;
		},
	};
}

interface ServedShards {
	ids: number[];
	count: number;
}

/** The shards this process's client connects (discord.js: one shard [0] of 1 unless told otherwise). */
function servedShards(client: Client): ServedShards {
	const { shards, shardCount } = client.options;
	const count = typeof shardCount === 'number' ? shardCount : 1;
	return { ids: Array.isArray(shards) ? [...shards] : [0], count };
}

/** Leases in Redis; this process prefers the tasks of the guilds its shards serve. */
function fleetOptions(config: Config, coordination: Coordination, shards: ServedShards): FleetOptions {
	return {
		leases: coordination.leases,
		...(coordination.inbox ? { inbox: coordination.inbox } : {}),
		holder: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
		leaseMs: config.LEASE_MS,
		prefers: (record: TaskRecord) => shards.ids.includes(guildShard(record.place.guildId, shards.count)),
	};
}
