import type { LoopMode, PlayerSnapshot, PlayerStatus, QueueEntry } from './types.ts';

/** The facts a snapshot is made of, read from the player, its AudioPlayer and its connection. */
export interface PlayerFacts {
	guildId: string;
	channelId: string;
	left: boolean;
	/** Paused by a user (not the library's automatic pause while disconnected). */
	paused: boolean;
	connected: boolean;
	/** The next take is being prepared, or its first frames are being read. */
	loading: boolean;
	/** The take playing or loading, with how much of it has been played. */
	shown: { entry: QueueEntry; positionMs: number } | undefined;
	queue: readonly QueueEntry[];
	upcomingLimit: number;
	loop: LoopMode;
	leavesAt: number | undefined;
}

/** What the now-playing message shows, and which of its buttons apply. Pure. */
export function describePlayer(facts: PlayerFacts): PlayerSnapshot {
	const status = statusOf(facts);
	return {
		guildId: facts.guildId,
		channelId: facts.channelId,
		status,
		current: facts.left ? undefined : facts.shown,
		upcoming: facts.queue.slice(0, facts.upcomingLimit),
		queued: facts.queue.length,
		controls: {
			pause: status === 'playing',
			resume: status === 'paused',
			skip: !facts.left && facts.shown !== undefined,
			stop: !facts.left,
			shuffle: !facts.left && facts.queue.length > 1,
		},
		loop: facts.loop,
		leavesAt: status === 'paused' ? facts.leavesAt : undefined,
	};
}

// A user's pause outranks a reconnect: the message should keep offering Resume while the bot reconnects.
function statusOf(facts: PlayerFacts): PlayerStatus {
	if (facts.left) return 'left';
	if (facts.paused) return 'paused';
	if (!facts.connected) return 'connecting';
	if (facts.loading) return 'loading';
	return facts.shown ? 'playing' : 'idle';
}
