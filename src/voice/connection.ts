import { setTimeout as sleep } from 'node:timers/promises';
import {
	type AudioPlayer,
	type DiscordGatewayAdapterCreator,
	entersState,
	joinVoiceChannel,
	type VoiceConnection,
	type VoiceConnectionDisconnectedState,
	VoiceConnectionDisconnectReason,
	type VoiceConnectionState,
	VoiceConnectionStatus,
} from '@discordjs/voice';
import type { Logger } from '../log.ts';
import { useKeyObjectCipherKey } from './cipher-key.ts';
import type { LeaveReason } from './types.ts';

/**
 * The documented disconnect policy of @discordjs/voice (the music-bot example's subscription):
 * - closed with 4014 (removed from the channel, or moved): wait for a new connection attempt, else give up;
 * - any other disconnect: rejoin with a linear back-off, a limited number of times, then give up;
 * - while signalling or connecting: allow a limited time to reach Ready, else give up.
 * Close codes other than 4014 never reach this code as a disconnect: the library resumes or rejoins on its own.
 */

export interface ConnectionPolicy {
	/** Time to reach Ready after joining or after a drop. Default 20 s. */
	readyTimeoutMs: number;
	/** After close 4014, time for Connecting to follow (a move between channels). Default 5 s. */
	kickedGraceMs: number;
	/** Rejoin attempt n waits n × this. Default 5 s. */
	rejoinBackoffMs: number;
	/** Default 5. */
	maxRejoins: number;
}

export const DEFAULT_CONNECTION_POLICY: ConnectionPolicy = {
	readyTimeoutMs: 20_000,
	kickedGraceMs: 5_000,
	rejoinBackoffMs: 5_000,
	maxRejoins: 5,
};

export interface ConnectionHooks {
	/** The policy gave up; the caller destroys the connection and leaves. Called at most once. */
	giveUp(reason: LeaveReason): void;
	reconnecting(attempt: number, delayMs: number): void;
	/** Any status change, for the player's status line. */
	changed(): void;
}

export interface ChannelTarget {
	guildId: string;
	channelId: string;
	adapterCreator: DiscordGatewayAdapterCreator;
}

/**
 * Joins the channel deafened, plays `player` in it and applies the policy until `stopSupervising` is called;
 * destroying the connection is the caller's.
 */
export function joinChannel(
	target: ChannelTarget,
	player: AudioPlayer,
	policy: ConnectionPolicy,
	hooks: ConnectionHooks,
	log?: Pick<Logger, 'warn'>,
): { connection: VoiceConnection; stopSupervising: () => void } {
	// DAVE stays on: joinVoiceChannel's default. Never pass daveEncryption: false (Discord requires E2EE).
	const connection = joinVoiceChannel({ ...target, selfDeaf: true });
	useKeyObjectCipherKey(connection);
	connection.on('error', (error) => log?.warn({ err: error, guildId: target.guildId }, 'voice connection error'));
	connection.subscribe(player);
	return { connection, stopSupervising: superviseConnection(connection, policy, hooks) };
}

/** Applies the policy to `connection` until the returned dispose function is called. */
export function superviseConnection(
	connection: VoiceConnection,
	policy: ConnectionPolicy,
	hooks: ConnectionHooks,
): () => void {
	const disposed = new AbortController();
	let readyLock = false;
	let gaveUp = false;
	const giveUp = (reason: LeaveReason) => {
		if (gaveUp || disposed.signal.aborted) return;
		gaveUp = true;
		hooks.giveUp(reason);
	};
	const within = (ms: number) => AbortSignal.any([AbortSignal.timeout(ms), disposed.signal]);

	const awaitReady = async () => {
		if (readyLock) return;
		readyLock = true;
		try {
			await entersState(connection, VoiceConnectionStatus.Ready, within(policy.readyTimeoutMs));
		} catch {
			if (connection.state.status !== VoiceConnectionStatus.Destroyed) giveUp('connect_timeout');
		} finally {
			readyLock = false;
		}
	};

	const onDisconnected = async (state: VoiceConnectionDisconnectedState) => {
		if (state.reason === VoiceConnectionDisconnectReason.WebSocketClose && state.closeCode === 4014) {
			try {
				await entersState(connection, VoiceConnectionStatus.Connecting, within(policy.kickedGraceMs));
			} catch {
				if (connection.state.status !== VoiceConnectionStatus.Destroyed) giveUp('kicked');
			}
		} else if (connection.rejoinAttempts < policy.maxRejoins) {
			const attempt = connection.rejoinAttempts + 1;
			const delayMs = attempt * policy.rejoinBackoffMs;
			hooks.reconnecting(attempt, delayMs);
			try {
				await sleep(delayMs, undefined, { signal: disposed.signal });
			} catch {
				return;
			}
			if (connection.state.status === VoiceConnectionStatus.Disconnected) connection.rejoin();
		} else {
			giveUp('reconnect_failed');
		}
	};

	const onStateChange = (_old: VoiceConnectionState, state: VoiceConnectionState) => {
		hooks.changed();
		if (state.status === VoiceConnectionStatus.Disconnected) void onDisconnected(state);
		else if (state.status === VoiceConnectionStatus.Destroyed) giveUp('disconnected');
		else if (state.status === VoiceConnectionStatus.Connecting || state.status === VoiceConnectionStatus.Signalling) {
			void awaitReady();
		}
	};

	connection.on('stateChange', onStateChange);
	// joinVoiceChannel returns already signalling (or disconnected, if the gateway refused the join) before any
	// listener could see the change. Deferred so the caller's event listeners are in place first.
	queueMicrotask(() => {
		const initial = connection.state;
		if (disposed.signal.aborted) return;
		if (initial.status === VoiceConnectionStatus.Disconnected) void onDisconnected(initial);
		else if (initial.status !== VoiceConnectionStatus.Ready) void awaitReady();
	});
	return () => {
		disposed.abort();
		connection.off('stateChange', onStateChange);
	};
}
