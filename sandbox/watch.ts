/**
 * Change notifications from the doubles without reaching into them: the driver's own waits re-check their
 * condition on every change of the double's state (messages, interactions, voice states) and on every protocol
 * event or frame of the voice server. A wait whose condition only reports the change never resolves by itself;
 * it is re-armed when it times out and released at the next change after `stop()`.
 */
import type { World } from './snapshot.ts';

const REARM_MS = 30_000;

export function watchWorld(world: World, changed: () => void): () => void {
	let stopped = false;
	const probe = (): boolean => {
		if (!stopped) changed();
		return stopped;
	};
	const channel = world.double.channel(world.textChannels[0] ?? 'general');
	const watchState = (): void => {
		if (stopped) return;
		channel.waitFor(probe, { timeout: REARM_MS }).then(watchState, watchState);
	};
	const watchVoice = (): void => {
		if (stopped) return;
		world.voice.waitFor(probe, { timeoutMs: REARM_MS, what: 'sandbox watch' }).then(watchVoice, watchVoice);
	};
	watchState();
	watchVoice();
	return () => {
		stopped = true;
	};
}
