import { EventEmitter } from 'node:events';
import type { DiscordGatewayAdapterCreator } from '@discordjs/voice';
import { UserError } from '../core/errors.ts';
import type * as PlayerModule from './player.ts';
import type { GuildPlayer, GuildPlayerOptions } from './player.ts';
import type { PlayerEvents, QueueEntry, Take } from './types.ts';
import { msg } from '../i18n/index.ts';

/**
 * The voice engine's entry point, one per process: at most one GuildPlayer per guild, created on the first play
 * and forgotten when it leaves. It re-emits every player event, so the Discord layer subscribes once.
 */

/** Where to play: discord.js gives `guild.voiceAdapterCreator` and the member's voice channel id. */
export interface VoiceTarget {
	guildId: string;
	channelId: string;
	adapterCreator: DiscordGatewayAdapterCreator;
}

export type VoiceManagerOptions = Omit<GuildPlayerOptions, 'guildId' | 'channelId' | 'adapterCreator' | 'beforeLeave'>;

export interface PlayResult {
	player: GuildPlayer;
	entry: QueueEntry;
	/** 0 when the take starts now, otherwise how many entries play before it. */
	position: number;
}

const FORWARDED = ['update', 'trackStart', 'trackEnd', 'trackError', 'reconnecting', 'leave'] as const;

export class VoiceManager extends EventEmitter<PlayerEvents> {
	private readonly options: VoiceManagerOptions;
	private readonly players = new Map<string, GuildPlayer>();
	/**
	 * Runs before a player leaves by itself, while it is still in the channel; set by whoever shows things in the
	 * channel (the Discord layer's voice channel status).
	 */
	beforeLeave: ((guildId: string, channelId: string) => Promise<void>) | undefined;
	/**
	 * The player and with it @discordjs/voice, prism-media and the DAVE and cipher libraries are loaded when first
	 * needed (see warm()): a bot nobody plays music with never pays their memory (about 10 MB).
	 */
	private playerModule: Promise<typeof PlayerModule> | undefined;

	constructor(options: VoiceManagerOptions) {
		super();
		this.options = options;
	}

	/**
	 * Queues a take in the target channel, joining it if needed.
	 * @throws UserError `voice.busy_elsewhere` when the guild's player is busy in another channel.
	 */
	async play(target: VoiceTarget, take: Take, requestedBy?: string): Promise<PlayResult> {
		const { GuildPlayer } = await this.loadPlayer();
		// Nothing below awaits, so two plays racing for one guild still share one player.
		let player = this.players.get(target.guildId);
		if (player && player.channelId !== target.channelId) {
			if (player.busy) {
				throw new UserError('voice.busy_elsewhere', msg('error.voice.busy_elsewhere', { channel: player.channelId }));
			}
			player.leave('moved');
			player = undefined;
		}
		player ??= this.create(
			new GuildPlayer({
				...this.options,
				...target,
				beforeLeave: (guildId, channelId) => this.beforeLeave?.(guildId, channelId) ?? Promise.resolve(),
			}),
		);
		const position = player.busy ? player.snapshot().queued + 1 : 0;
		const entry = player.enqueue(take, requestedBy);
		return { player, entry, position };
	}

	/**
	 * Queues several takes (all takes of a song) in one go: as many as the queue has room for, in order.
	 * @throws UserError `voice.queue_full` when not even the first fits, `voice.busy_elsewhere` as play().
	 */
	async playAll(
		target: VoiceTarget,
		takes: readonly Take[],
		requestedBy?: string,
	): Promise<PlayResult & { added: number }> {
		const [first, ...rest] = takes;
		if (!first) throw new Error('VoiceManager.playAll without takes');
		const result = await this.play(target, first, requestedBy);
		const fitting = rest.slice(0, result.player.room);
		for (const take of fitting) result.player.enqueue(take, requestedBy);
		return { ...result, added: 1 + fitting.length };
	}

	/**
	 * Loads the player ahead of the first play (someone joined a voice channel), so that first Play does not
	 * wait for the module (a few hundred ms on a busy machine).
	 */
	warm(): void {
		this.loadPlayer().catch(() => {
			// play() loads again and reports the failure to whoever pressed Play.
			this.playerModule = undefined;
		});
	}

	private loadPlayer(): Promise<typeof PlayerModule> {
		this.playerModule ??= import('./player.ts');
		return this.playerModule;
	}

	get(guildId: string): GuildPlayer | undefined {
		return this.players.get(guildId);
	}

	/**
	 * The guild's player, for someone who wants to control it (pause, resume, skip, stop).
	 * @throws UserError `voice.not_playing` when there is none, `voice.not_in_channel` when the member
	 * (`memberChannelId`: their current voice channel, if any) is not listening in the player's channel.
	 */
	controlFor(guildId: string, memberChannelId: string | null | undefined): GuildPlayer {
		const player = this.players.get(guildId);
		if (!player) throw new UserError('voice.not_playing', msg('error.voice.not_playing'));
		if (memberChannelId !== player.channelId) {
			throw new UserError('voice.not_in_channel', msg('error.voice.not_in_channel', { channel: player.channelId }));
		}
		return player;
	}

	/** The caller saw the number of listeners (people, not bots) in a voice channel change. */
	setListenerCount(guildId: string, channelId: string, count: number): void {
		const player = this.players.get(guildId);
		if (player?.channelId === channelId) player.setListenerCount(count);
	}

	/** Leaves every channel (at shutdown). */
	destroy(): void {
		for (const player of [...this.players.values()]) player.leave('shutdown');
	}

	private create(player: GuildPlayer): GuildPlayer {
		this.players.set(player.guildId, player);
		for (const name of FORWARDED) {
			player.on(name, (...args: PlayerEvents[typeof name]) => this.emit(name, ...args));
		}
		player.once('leave', () => {
			if (this.players.get(player.guildId) === player) this.players.delete(player.guildId);
		});
		return player;
	}
}
