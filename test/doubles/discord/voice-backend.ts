/**
 * The seam between the Discord double's gateway and a voice server (test/doubles/discord/voice/).
 * The gateway owns voice *states*; the backend only issues and revokes voice *server* credentials.
 */

/** Credentials sent to the bot in VOICE_SERVER_UPDATE. */
export interface VoiceGrant {
	token: string;
	endpoint: string /* "127.0.0.1:PORT", no scheme */;
}

/** A voice server that the gateway asks for credentials when a user joins a voice channel. */
export interface VoiceBackend {
	/** A user (normally the bot) asked via gateway op 4 to join channelId: credentials for VOICE_SERVER_UPDATE. */
	grant(request: { guildId: string; channelId: string; userId: string; sessionId: string }): VoiceGrant;
	/** The user left (op 4 with channel_id null) or was disconnected by the test. */
	revoke(guildId: string, userId: string): void;
}
