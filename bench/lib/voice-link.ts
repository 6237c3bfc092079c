import type { DiscordGatewayAdapterCreator } from '@discordjs/voice';
import { createTestVoiceGateway } from '../../test/doubles/discord/voice/adapter.ts';
import { trustCertificate } from '../../test/doubles/discord/voice/trust.ts';
import type { VoiceBackend, VoiceGrant } from '../../test/doubles/discord/voice-backend.ts';
import type { Orchestrator } from './ipc.ts';

/**
 * A worker's way to the voice server of the Discord double, which runs in the orchestrator so that decrypting and
 * recording every frame is charged to neither side. Joins go through `createTestVoiceGateway`, as in
 * test/voice/*.test.ts; its VoiceBackend must answer `grant()` synchronously, so the credentials of each guild are
 * fetched from the orchestrator over IPC before `play()` (the join round trip is therefore in neither side's
 * play-to-first-packet time). The grant must name the gateway's voice session id, which only its first join
 * reveals: one throw-away join learns it.
 */

export const BOT_ID = '100000000000000009';
export const CHANNEL = '300000000000000001';

export interface VoiceLink {
	adapterCreator(guildId: string): DiscordGatewayAdapterCreator;
	/** Fetches the voice credentials of these guilds; call before playing in them. */
	prepare(guildIds: readonly string[]): Promise<void>;
}

export interface GrantRequest {
	guildId: string;
	channelId: string;
	userId: string;
	sessionId: string;
}

export async function linkVoice(orchestrator: Orchestrator, certPem: string): Promise<VoiceLink> {
	trustCertificate(certPem);
	const grants = new Map<string, VoiceGrant>();
	let sessionId: string | undefined;
	const backend: VoiceBackend = {
		grant(request) {
			sessionId ??= request.sessionId;
			const grant = grants.get(request.guildId);
			grants.delete(request.guildId);
			// Only the probe join below gets here without credentials; nothing connects with these.
			return grant ?? { token: 'probe', endpoint: '127.0.0.1:9' };
		},
		revoke: (guildId, userId) => orchestrator.notify('revoke', { guildId, userId }),
	};
	const gateway = createTestVoiceGateway(backend, BOT_ID);
	await new Promise<void>((resolve) => {
		const adapter = gateway.adapterCreator('probe')({
			onVoiceStateUpdate: () => {},
			onVoiceServerUpdate: () => {
				adapter.destroy();
				resolve();
			},
			destroy: () => {},
		});
		adapter.sendPayload({ op: 4, d: { guild_id: 'probe', channel_id: CHANNEL, self_deaf: true, self_mute: false } });
	});
	return {
		adapterCreator: (guildId) => gateway.adapterCreator(guildId),
		async prepare(guildIds) {
			for (const guildId of guildIds) {
				const request: GrantRequest = { guildId, channelId: CHANNEL, userId: BOT_ID, sessionId: sessionId ?? '' };
				grants.set(guildId, await orchestrator.call<VoiceGrant>('grant', request));
			}
		},
	};
}
