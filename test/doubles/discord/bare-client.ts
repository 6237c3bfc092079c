/**
 * Test helper: a bare discord.js client (no bot code) connected to the double, and a swappable interaction
 * handler so each test can play the bot's part.
 */
import { once } from 'node:events';
import { Client, type ClientOptions, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import type { DiscordDouble } from './harness.ts';

export interface BareClient {
	client: Client;
	/** Replaces what the "bot" does with each interaction; errors are kept in `errors`. */
	onInteraction(handler: (interaction: Interaction) => Promise<unknown>): void;
	/** Errors thrown by the handler (e.g. DiscordAPIError), in order. */
	errors: unknown[];
}

/** Logs a bare client in and waits for clientReady (all guilds of its shards available). */
export async function connectBareClient(
	double: DiscordDouble,
	options: Partial<ClientOptions> = {},
): Promise<BareClient> {
	const client = new Client({
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
		...options,
		rest: { api: double.apiUrl, ...options.rest },
	});
	let handler: (interaction: Interaction) => Promise<unknown> = async () => undefined;
	const errors: unknown[] = [];
	client.on(Events.InteractionCreate, (interaction) => {
		handler(interaction).catch((error: unknown) => errors.push(error));
	});
	const ready = once(client, Events.ClientReady);
	await client.login(double.token);
	await ready;
	return {
		client,
		errors,
		onInteraction(next) {
			handler = next;
		},
	};
}
