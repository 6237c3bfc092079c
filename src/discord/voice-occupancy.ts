import type { VoiceBasedChannel } from 'discord.js';

/*
 * Who is in a voice channel, read from the guild's voice states. discord.js's `channel.members` and
 * `channel.full` count only cached members, and the bot caches few (src/discord/client-options.ts): every member
 * in voice is cached except those already there when the guild arrived. Bots always are, so an uncached
 * member is a person.
 */

function statesIn(channel: VoiceBasedChannel) {
	return channel.guild.voiceStates.cache.filter((state) => state.channelId === channel.id);
}

/** People (not bots) in the channel. */
export function listenerCount(channel: VoiceBasedChannel): number {
	return statesIn(channel).filter((state) => state.id !== channel.client.user.id && !state.member?.user.bot).size;
}

/** Whether the channel's user limit is reached (the bot counts, as Discord counts it). */
export function isFull(channel: VoiceBasedChannel): boolean {
	return channel.userLimit > 0 && statesIn(channel).size >= channel.userLimit;
}
