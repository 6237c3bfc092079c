import { randomBytes } from 'node:crypto';
import type {
	DiscordGatewayAdapterCreator,
	DiscordGatewayAdapterImplementerMethods,
	DiscordGatewayAdapterLibraryMethods,
} from '@discordjs/voice';
import type { VoiceBackend } from '../voice-backend.ts';

/**
 * A stand-in for the main gateway in voice tests: the adapter @discordjs/voice uses to send op 4
 * (join/leave) and to receive VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE. It answers a join the way Discord
 * does (state packet first, then the server packet from {@link VoiceBackend.grant}, §5.2) and records every
 * op 4 payload so a test can see the bot leave.
 */

/** The `d` of a gateway op 4 (Update Voice State) the bot sent. */
export interface VoiceStatePayload {
	guild_id: string;
	channel_id: string | null;
	self_deaf: boolean;
	self_mute: boolean;
}

export interface TestVoiceGateway {
	/** Pass as `adapterCreator` (what discord.js supplies as `guild.voiceAdapterCreator`). */
	adapterCreator(guildId: string): DiscordGatewayAdapterCreator;
	/** Every op 4 payload the bot sent, in order. */
	readonly payloads: readonly VoiceStatePayload[];
	/** The channel the bot last asked to be in (null after a leave, undefined if it never joined). */
	channelOf(guildId: string): string | null | undefined;
	/** Fault: while false, `sendPayload` reports the shard as not ready (returns false), as discord.js does. */
	setAvailable(available: boolean): void;
	/** Simulates a moderator disconnecting the bot: the voice socket closes 4014 and the state says no channel. */
	kick(guildId: string): void;
}

export function createTestVoiceGateway(backend: VoiceBackend, userId: string): TestVoiceGateway {
	const payloads: VoiceStatePayload[] = [];
	const libraries = new Map<string, DiscordGatewayAdapterLibraryMethods>();
	const sessionId = randomBytes(16).toString('hex');
	let available = true;

	const stateUpdate = (guildId: string, channelId: string | null, payload?: VoiceStatePayload) => ({
		guild_id: guildId,
		channel_id: channelId,
		user_id: userId,
		session_id: sessionId,
		deaf: false,
		mute: false,
		self_deaf: payload?.self_deaf ?? true,
		self_mute: payload?.self_mute ?? false,
		self_video: false,
		suppress: false,
		request_to_speak_timestamp: null,
	});

	return {
		payloads,
		adapterCreator: (guildId) => (methods) => {
			libraries.set(guildId, methods);
			const adapter: DiscordGatewayAdapterImplementerMethods = {
				sendPayload(packet: { op: number; d: VoiceStatePayload }) {
					if (!available) return false;
					const payload = packet.d;
					payloads.push(payload);
					const channelId = payload.channel_id;
					if (channelId === null) {
						backend.revoke(guildId, userId);
						return true;
					}
					// Discord answers asynchronously, and always with the state packet before the server packet.
					setImmediate(() => {
						if (libraries.get(guildId) !== methods) return;
						methods.onVoiceStateUpdate(stateUpdate(guildId, channelId, payload));
						const grant = backend.grant({ guildId, channelId, userId, sessionId });
						methods.onVoiceServerUpdate({ token: grant.token, guild_id: guildId, endpoint: grant.endpoint });
					});
					return true;
				},
				destroy() {
					if (libraries.get(guildId) === methods) libraries.delete(guildId);
				},
			};
			return adapter;
		},
		channelOf: (guildId) => payloads.findLast((p) => p.guild_id === guildId)?.channel_id,
		setAvailable(value) {
			available = value;
		},
		kick(guildId) {
			backend.revoke(guildId, userId);
			libraries.get(guildId)?.onVoiceStateUpdate(stateUpdate(guildId, null));
		},
	};
}
