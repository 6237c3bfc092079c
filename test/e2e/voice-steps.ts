import type { ChannelHandle, MessageView } from '../doubles/discord/index.ts';
import type { VoiceServer } from '../doubles/discord/voice/server.ts';
import type { Rig } from './rig.ts';
import { takesIn } from './song-steps.ts';

/** Steps the voice end-to-end tests share: make a song, find its takes and the player message, count frames. */

/** Short auto-leave delays, so a session ends within a second of its queue or channel emptying. */
export const VOICE_ENV = { VOICE_LEAVE_AFTER_END_SEC: '1', VOICE_LEAVE_WHEN_EMPTY_SEC: '1' };

/** Alice makes a song titled `title`; resolves with its two take messages, take 1 first. */
export async function makeSong(rig: Rig, title: string): Promise<[MessageView, MessageView]> {
	const modal = await (await rig.double.user('alice').runSlash('song', { mode: 'describe' })).modal();
	await modal.submit({ description: `a song called ${title}`, title });
	const ofSong = (m: MessageView) => m.content.includes(`\u2068${title} · take `);
	const all = await rig.double
		.channel('general')
		.waitFor((ms) => takesIn(ms).filter(ofSong).length === 2, { timeout: 20_000 });
	const takes = takesIn(all).filter(ofSong);
	const take = (n: number) => takes.find((m) => m.content.includes(`· take ${n}\u2069`)) as MessageView;
	return [take(1), take(2)];
}

/** Waits until the message `id` satisfies `check`, and returns it. */
export async function waitForMessage(
	channel: ChannelHandle,
	id: string,
	check: (message: MessageView) => boolean,
): Promise<MessageView> {
	const found = (all: MessageView[]) => all.find((m) => m.id === id && check(m));
	return found(await channel.waitFor((all) => found(all) !== undefined, { timeout: 20_000 })) as MessageView;
}

/** Waits until the message `id` shows all of `texts`, and returns it. */
export function waitForText(channel: ChannelHandle, id: string, ...texts: string[]): Promise<MessageView> {
	return waitForMessage(channel, id, (m) => texts.every((t) => m.text.includes(t)));
}

/** The enabled state of each button of a message, by label. */
export function buttonStates(message: MessageView): Record<string, boolean> {
	return Object.fromEntries(message.controls.map((c) => [c.label ?? '', !c.disabled]));
}

/** Polls `check` until it holds (for state the double exposes without an event, e.g. the bot's voice channel). */
export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Non-silence Opus frames the double has decrypted from the bot in a guild. */
export function audioFrames(voice: VoiceServer, guildId: string): number {
	return voice.stats(guildId).audioFrames;
}
