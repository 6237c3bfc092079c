import { type Client, Events, type Interaction, MessageType } from 'discord.js';
import type { Logger } from '../log.ts';
import type { VoiceManager } from '../voice/manager.ts';
import type { Jams } from './jams.ts';
import { listenerCount } from './voice-occupancy.ts';
import type { TakeVotes } from './votes.ts';

/**
 * What the bot listens for on the gateway besides its tracker: interactions (to the router), the end of its polls
 * (the take votes and the jams' style polls), and voice states (the player leaves a channel that stays empty, and is
 * loaded ahead when someone joins one). Wired once by the composition root (src/app.ts).
 */
export function wireClientEvents(
	client: Client,
	deps: {
		route: (interaction: Interaction) => Promise<void>;
		takeVotes: TakeVotes;
		jams: Jams | undefined;
		voice: VoiceManager;
		log: Logger;
	},
): void {
	const { route, takeVotes, jams, voice, log } = deps;
	client.on(Events.InteractionCreate, (interaction: Interaction) => void route(interaction));
	client.on(Events.Error, (err) => log.error({ err }, 'Discord client error'));
	// A poll on the takes ended: Discord posts a POLL_RESULT message and updates the poll with final results.
	client.on(Events.MessageCreate, (message) => {
		if (message.type === MessageType.PollResult && message.reference?.messageId) {
			takeVotes.pollEnded(message.reference.messageId);
			jams?.pollEnded(message.channelId, message.reference.messageId);
		}
	});
	client.on(Events.MessageUpdate, (_, message) => {
		if (!message.poll?.resultsFinalized || message.author?.id !== client.user?.id) return;
		takeVotes.pollEnded(message.id);
		jams?.pollEnded(message.channelId, message.id);
	});
	// The player leaves a channel that stays empty; it learns the listener count from voice state changes.
	client.on(Events.VoiceStateUpdate, (before, after) => {
		if (after.channelId !== null && after.id !== client.user?.id) voice.warm();
		for (const state of [before, after]) {
			const channel = state.channel;
			if (!channel) continue;
			voice.setListenerCount(channel.guild.id, channel.id, listenerCount(channel));
		}
	});
}
