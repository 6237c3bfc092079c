import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';

export interface App {
	client: Client;
	stop(): Promise<void>;
}

/** Composition root: builds every dependency once and wires them to the Discord client. */
export async function startApp(config: Config, log: Logger): Promise<App> {
	const client = new Client({
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
		rest: { api: config.DISCORD_API_URL, version: '10' },
		allowedMentions: { parse: [] },
	});
	const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
	await client.login(config.DISCORD_TOKEN);
	await ready;
	log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
	return {
		client,
		async stop() {
			await client.destroy();
		},
	};
}
