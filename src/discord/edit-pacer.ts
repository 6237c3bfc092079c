/**
 * Coalesces and paces message edits so a busy channel never hits Discord's rate limits.
 *
 * Only the newest state of a message matters, so a new request replaces an unsent one. Each message is edited at
 * most once per `perMessageMs`; each channel gets at most `perChannel` edits per `windowMs` (Discord's message
 * edit bucket is per channel), shared round-robin between its messages so 50 songs in one channel all progress.
 */

export interface EditPacerOptions<P> {
	/** Performs the edit; its errors are reported to `onError` and never stop the pacer. */
	send(channelId: string, messageId: string, payload: P): Promise<void>;
	onError?(error: unknown, channelId: string, messageId: string): void;
	perMessageMs?: number;
	perChannel?: number;
	windowMs?: number;
	now?: () => number;
}

interface MessageState<P> {
	messageId: string;
	render: (() => P | Promise<P>) | undefined;
	lastSentAt: number;
	inFlight: Promise<void> | undefined;
}

interface ChannelState<P> {
	messages: Map<string, MessageState<P>>;
	/** Messages waiting for a slot, oldest request first. */
	waiting: string[];
	sentAt: number[];
	timer: NodeJS.Timeout | undefined;
}

export class EditPacer<P> {
	readonly #options: Required<Omit<EditPacerOptions<P>, 'onError'>> & Pick<EditPacerOptions<P>, 'onError'>;
	readonly #channels = new Map<string, ChannelState<P>>();
	#stopped = false;

	constructor(options: EditPacerOptions<P>) {
		this.#options = { perMessageMs: 2_500, perChannel: 4, windowMs: 5_000, now: Date.now, ...options };
	}

	/** Asks for `messageId` to show `render()`'s result soon; `render` runs just before sending, so it is fresh. */
	schedule(channelId: string, messageId: string, render: () => P | Promise<P>): void {
		if (this.#stopped) return;
		const channel = this.#channel(channelId);
		let message = channel.messages.get(messageId);
		if (!message) {
			message = { messageId, render: undefined, lastSentAt: Number.NEGATIVE_INFINITY, inFlight: undefined };
			channel.messages.set(messageId, message);
		}
		message.render = render;
		if (!channel.waiting.includes(messageId)) channel.waiting.push(messageId);
		this.#pump(channelId, channel);
	}

	/** Sends a pending edit of the message right away (respecting nothing but an edit already in flight). */
	async flush(channelId: string, messageId: string): Promise<void> {
		const channel = this.#channels.get(channelId);
		const message = channel?.messages.get(messageId);
		if (!channel || !message) return;
		await message.inFlight;
		if (!message.render) return;
		channel.waiting = channel.waiting.filter((id) => id !== messageId);
		await this.#send(channelId, channel, message);
	}

	/** Forgets a message (e.g. it was deleted); a pending edit is dropped. */
	forget(channelId: string, messageId: string): void {
		const channel = this.#channels.get(channelId);
		if (!channel) return;
		channel.messages.delete(messageId);
		channel.waiting = channel.waiting.filter((id) => id !== messageId);
	}

	/** What the pacer remembers now; both drop to 0 once every message's last edit is a pacing interval old. */
	get size(): { channels: number; messages: number } {
		let messages = 0;
		for (const channel of this.#channels.values()) messages += channel.messages.size;
		return { channels: this.#channels.size, messages };
	}

	stop(): void {
		this.#stopped = true;
		for (const channel of this.#channels.values()) clearTimeout(channel.timer);
		this.#channels.clear();
	}

	#channel(channelId: string): ChannelState<P> {
		let channel = this.#channels.get(channelId);
		if (!channel) {
			channel = { messages: new Map(), waiting: [], sentAt: [], timer: undefined };
			this.#channels.set(channelId, channel);
		}
		return channel;
	}

	/** Sends every edit that is allowed now, then sleeps until the next one becomes allowed. */
	#pump(channelId: string, channel: ChannelState<P>): void {
		if (this.#stopped) return;
		clearTimeout(channel.timer);
		channel.timer = undefined;
		const { perChannel, windowMs, perMessageMs, now } = this.#options;
		let wakeAt = Number.POSITIVE_INFINITY;
		for (const messageId of [...channel.waiting]) {
			const t = now();
			channel.sentAt = channel.sentAt.filter((s) => s > t - windowMs);
			const message = channel.messages.get(messageId);
			if (!message) continue;
			const channelFreeAt = channel.sentAt.length < perChannel ? t : (channel.sentAt[0] ?? t) + windowMs;
			const messageFreeAt = message.inFlight ? Number.POSITIVE_INFINITY : message.lastSentAt + perMessageMs;
			const readyAt = Math.max(channelFreeAt, messageFreeAt);
			if (readyAt <= t) {
				channel.waiting.splice(channel.waiting.indexOf(messageId), 1);
				void this.#send(channelId, channel, message);
			} else if (Number.isFinite(readyAt)) wakeAt = Math.min(wakeAt, readyAt);
		}
		wakeAt = Math.min(wakeAt, this.#forgetIdle(channelId, channel));
		if (this.#channels.get(channelId) !== channel) return;
		if (Number.isFinite(wakeAt)) {
			channel.timer = setTimeout(() => this.#pump(channelId, channel), Math.max(0, wakeAt - now()));
			channel.timer.unref?.();
		}
	}

	/**
	 * Forgets messages with nothing to send once their pacing interval is over (a finished song's tracker is
	 * never edited again), and the channel once its window is empty, so the pacer holds only live songs.
	 * Returns when it should look again.
	 */
	#forgetIdle(channelId: string, channel: ChannelState<P>): number {
		const { windowMs, perMessageMs, now } = this.#options;
		const t = now();
		let next = Number.POSITIVE_INFINITY;
		for (const [messageId, message] of channel.messages) {
			if (message.render || message.inFlight) continue;
			const idleAt = message.lastSentAt + perMessageMs;
			if (idleAt <= t) channel.messages.delete(messageId);
			else next = Math.min(next, idleAt);
		}
		if (channel.messages.size > 0) return next;
		channel.sentAt = channel.sentAt.filter((sent) => sent > t - windowMs);
		const oldest = channel.sentAt[0];
		if (oldest === undefined) {
			this.#channels.delete(channelId);
			return Number.POSITIVE_INFINITY;
		}
		return Math.min(next, oldest + windowMs);
	}

	async #send(channelId: string, channel: ChannelState<P>, message: MessageState<P>): Promise<void> {
		const render = message.render;
		if (!render) return;
		message.render = undefined;
		message.lastSentAt = this.#options.now();
		channel.sentAt.push(message.lastSentAt);
		const run = (async () => {
			try {
				await this.#options.send(channelId, message.messageId, await render());
			} catch (error) {
				this.#options.onError?.(error, channelId, message.messageId);
			}
		})();
		message.inFlight = run;
		await run;
		message.inFlight = undefined;
		// A newer state may have arrived while this edit was in flight.
		this.#pump(channelId, channel);
	}
}
