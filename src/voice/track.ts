import type { AudioResource } from '@discordjs/voice';
import type { QueueEntry, TrackEndReason, VoiceError } from './types.ts';

export interface TrackHooks {
	start(entry: QueueEntry): void;
	error(entry: QueueEntry, error: VoiceError): void;
	end(entry: QueueEntry, reason: TrackEndReason): void;
}

/**
 * One queue entry on its way through the player. Its resource is created just in time, and each hook fires at
 * most once, whichever of the player's events (playing, error, idle, skip, stop) arrive and in whatever order.
 */
export class Track {
	readonly entry: QueueEntry;
	resource: AudioResource | undefined;
	/** Why the player is stopping it (skip, stop), so the idle transition that follows reports the right reason. */
	requestedEnd: TrackEndReason | undefined;
	private readonly hooks: TrackHooks;
	private started = false;
	private failed = false;
	private ended = false;

	constructor(entry: QueueEntry, hooks: TrackHooks) {
		this.entry = entry;
		this.hooks = hooks;
	}

	start(): void {
		if (this.started || this.ended) return;
		this.started = true;
		this.hooks.start(this.entry);
	}

	fail(error: VoiceError): void {
		if (this.failed || this.ended) return;
		this.failed = true;
		this.hooks.error(this.entry, error);
	}

	end(reason: TrackEndReason = this.requestedEnd ?? 'finished'): void {
		if (this.ended) return;
		this.ended = true;
		this.hooks.end(this.entry, this.failed ? 'error' : reason);
	}
}
