import type { Client } from 'discord.js';
import { closeDue, closeOver, expiryOutdated, startClose } from '../core/jam-close.ts';
import { isIdle, type Jam, type JamResult, parseJam } from '../core/jam.ts';
import { KeyedMutex } from '../core/lock.ts';
import type { Store } from '../core/store.ts';
import type { Logger } from '../log.ts';
import { type Locale, serverLocale } from './i18n.ts';
import { NO_MENTIONS } from './router.ts';
import { attemptClose, type JamCloseDeps } from './jam-close.ts';
import { jamKey, saveJam } from './jam-keep.ts';
import { jamText, renderJamSheet } from './views/jam.ts';

/**
 * The jams of every server: each jam is one record in the store (keyed by its thread), so a jam survives restarts;
 * changes to one jam run one at a time in this process. Open jams are listed, and a sweep closes those idle for
 * longer than JAM_IDLE_SEC (final card, thread archived and locked; src/discord/jam-close.ts, retried until every
 * step is done) and counts their style polls once ended. A jam whose close is over expires with its songs
 * (src/discord/jam-keep.ts).
 */

const OPEN = 'jams:open';
const DEFAULT_LEASE_MS = 30_000;
/** The sweep runs at least this often, and four times per idle period when that is shorter (tests). */
const SWEEP_MAX_MS = 60_000;

export interface JamsDeps {
	client: Client;
	store: Store;
	log: Logger;
	idleMs: number;
	/** RETENTION_DAYS in ms: a closed jam is dropped that long after its close, as its songs are; 0 keeps it. */
	retentionMs: number;
	concat: () => boolean;
	/** How long an attempt at closing a jam is reserved for the process making it (LEASE_MS). */
	leaseMs?: number;
	now?: () => number;
}

export class Jams {
	readonly #deps: JamsDeps;
	readonly #mutex = new KeyedMutex();
	readonly #starting = new Set<string>();
	readonly #now: () => number;
	readonly #sweepMs: number;
	readonly #closeDeps: JamCloseDeps;
	#timer: NodeJS.Timeout | undefined;

	constructor(deps: JamsDeps) {
		this.#deps = deps;
		this.#now = deps.now ?? Date.now;
		this.#sweepMs = Math.min(SWEEP_MAX_MS, Math.max(250, deps.idleMs / 4));
		this.#closeDeps = {
			...deps,
			leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS,
			now: this.#now,
			locale: (jam) => this.locale(jam),
			sheet: (jam) => this.sheet(jam),
			save: async (threadId, change) => {
				const result = await this.update(threadId, (jam) => ({ ok: true, jam: change(jam) }));
				return result?.ok ? result.jam : undefined;
			},
		};
	}

	/** The jam; one closed by an older version (or before RETENTION_DAYS changed) is saved with its expiry first. */
	async get(threadId: string): Promise<Jam | undefined> {
		const jam = await this.#read(threadId);
		if (!jam || !expiryOutdated(jam, this.#deps.retentionMs)) return jam;
		const saved = await this.update(threadId, (current) => ({ ok: true, jam: current }));
		return saved?.ok ? saved.jam : undefined;
	}

	async #read(threadId: string): Promise<Jam | undefined> {
		return parseJam(await this.#deps.store.getValue(jamKey(threadId)));
	}

	/** Every write of a jam: with the expiry it should have (none while open). */
	#save(jam: Jam): Promise<Jam> {
		return saveJam(this.#deps.store, jam, this.#deps.retentionMs, this.#now());
	}

	async create(jam: Jam): Promise<void> {
		await this.#mutex.run(jam.threadId, async () => {
			await this.#save(jam);
		});
		await this.#mutex.run(OPEN, async () =>
			this.#deps.store.setValue(OPEN, [...(await this.#openIds()), jam.threadId]),
		);
	}

	/** Applies `change` to the stored jam (one change at a time per jam) and saves what it returns. */
	async update(threadId: string, change: (jam: Jam) => JamResult): Promise<JamResult | undefined> {
		return this.#mutex.run(threadId, async () => {
			const jam = await this.#read(threadId);
			if (!jam) return undefined;
			const result = change(jam);
			return result.ok ? { ok: true, jam: await this.#save(result.jam) } : result;
		});
	}

	/**
	 * Posts the style poll (`post` resolves with its message id) and keeps it on the jam, as one step: an end of the
	 * poll seen in between waits for it.
	 */
	async openPoll(
		threadId: string,
		styles: string[],
		post: () => Promise<string | undefined>,
	): Promise<Jam | undefined> {
		return this.#mutex.run(threadId, async () => {
			const jam = await this.#read(threadId);
			if (!jam) return undefined;
			const messageId = await post();
			if (!messageId) return undefined;
			return this.#save({ ...jam, stylePoll: { messageId, styles }, lastActivityAt: this.#now() });
		});
	}

	/** The sheet as the thread shows it, in the server's language (everyone in the thread reads it). */
	sheet(jam: Jam) {
		const features = { concat: this.#deps.concat() };
		return { ...renderJamSheet(jam, features, this.locale(jam)), allowedMentions: NO_MENTIONS };
	}

	/** The language of the jam's posts: its server's. */
	locale(jam: Pick<Jam, 'guildId'>): Locale {
		return serverLocale(this.#deps.client.guilds.cache.get(jam.guildId));
	}

	/** Edits the sheet message in place (after a change that did not come from a click on it). */
	async refresh(jam: Jam): Promise<void> {
		if (!jam.sheetMessageId) return;
		try {
			const thread = await this.#deps.client.channels.fetch(jam.threadId);
			if (!thread?.isThread()) return;
			// Discord archives a quiet thread by itself (after a week); its messages cannot be edited until reopened.
			if (thread.archived && !thread.locked) await thread.setArchived(false);
			await thread.messages.edit(jam.sheetMessageId, this.sheet(jam));
		} catch (err) {
			// The change is saved; the sheet shows it with the next change. The person still gets their answer.
			this.#deps.log.warn({ err, threadId: jam.threadId }, 'could not edit the jam sheet');
		}
	}

	/**
	 * Runs `work` unless a song of this jam is being started already (two people pressing Make it at once would
	 * otherwise start the same part twice). A jam's clicks all reach the process of its guild's shard.
	 */
	async startingSong<T>(threadId: string, work: () => Promise<T>): Promise<T | 'busy'> {
		if (this.#starting.has(threadId)) return 'busy';
		this.#starting.add(threadId);
		try {
			return await work();
		} finally {
			this.#starting.delete(threadId);
		}
	}

	/** A poll message ended (POLL_RESULT, or final results on an update): counts it when it is a jam's style poll. */
	pollEnded(channelId: string, messageId: string): void {
		void (async () => {
			// A poll being opened right now is saved before its end is looked at.
			const jam = await this.#mutex.run(channelId, () => this.#read(channelId));
			if (jam?.stylePoll?.messageId === messageId) await this.#countPoll(jam);
		})().catch((err: unknown) => this.#deps.log.warn({ err, channelId }, 'could not read the style poll'));
	}

	start(): void {
		void this.sweep();
		this.#timer = setInterval(() => void this.sweep(), this.#sweepMs);
		this.#timer.unref();
	}

	stop(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}

	/** Counts ended style polls (one may have ended while the bot was down) and closes idle jams. */
	async sweep(): Promise<void> {
		for (const threadId of await this.#openIds()) {
			try {
				// A jam whose close was over before it could leave the list gets its expiry here (get).
				const jam = await this.get(threadId);
				if (!jam || closeOver(jam)) await this.#forget(threadId);
				// With shards, each process looks after the jams of the guilds it serves.
				else if (!this.#deps.client.guilds.cache.has(jam.guildId)) continue;
				// A close cut short (Discord refused a step, the bot stopped) goes on where it stopped.
				else if (jam.closedAt !== undefined) {
					if (closeDue(jam, this.#now(), this.#sweepMs)) await this.#attemptClose(threadId);
				} else if (isIdle(jam, this.#now(), this.#deps.idleMs)) await this.close(jam);
				else if (jam.stylePoll) await this.#countPoll(jam);
			} catch (err) {
				this.#deps.log.warn({ err, threadId }, 'jam check failed');
			}
		}
	}

	/** Ends the jam: the final card in the thread, the sheet without buttons, the thread archived (and locked). */
	async close(jam: Jam): Promise<void> {
		const started = await this.update(jam.threadId, (current) => startClose(current, this.#now()));
		if (started?.ok) await this.#attemptClose(jam.threadId);
	}

	/**
	 * One attempt at the close's remaining steps; the jam leaves the open list once the close is over (the save that
	 * ended it gave it its expiry).
	 */
	async #attemptClose(threadId: string): Promise<void> {
		const jam = await attemptClose(this.#closeDeps, threadId);
		if (jam && closeOver(jam)) await this.#forget(threadId);
	}

	async #countPoll(jam: Jam): Promise<void> {
		const poll = jam.stylePoll;
		if (!poll) return;
		const thread = await this.#deps.client.channels.fetch(jam.threadId).catch(() => null);
		if (!thread?.isTextBased()) return;
		const message = await thread.messages.fetch({ message: poll.messageId, force: true }).catch(() => null);
		if (message && !message.poll?.resultsFinalized) return;
		const counts = poll.styles.map((_, i) => message?.poll?.answers.get(i + 1)?.voteCount ?? 0);
		const best = Math.max(0, ...counts);
		const winners = counts.flatMap((c, i) => (c === best && best > 0 ? [i] : []));
		const style = winners.length === 1 ? poll.styles[winners[0] ?? 0] : undefined;
		const result = await this.update(jam.threadId, (current) => {
			if (current.stylePoll?.messageId !== poll.messageId) return { ok: false, reason: 'unchanged' };
			const { stylePoll: _ended, ...rest } = current;
			return { ok: true, jam: { ...rest, ...(style ? { style } : {}), lastActivityAt: this.#now() } };
		});
		if (!result?.ok) return;
		await this.refresh(result.jam);
		if (style && thread.isSendable())
			await thread.send({ content: jamText(this.locale(jam)).styleWon(style), allowedMentions: NO_MENTIONS });
	}

	async #openIds(): Promise<string[]> {
		return (await this.#deps.store.getValue<string[]>(OPEN)) ?? [];
	}

	async #forget(threadId: string): Promise<void> {
		await this.#mutex.run(OPEN, async () =>
			this.#deps.store.setValue(
				OPEN,
				(await this.#openIds()).filter((id) => id !== threadId),
			),
		);
	}
}
