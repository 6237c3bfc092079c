import { randomUUID } from 'node:crypto';
import { type Client, PermissionFlagsBits } from 'discord.js';
import { isIdle, type Jam, type JamResult, parseJam } from '../core/jam.ts';
import { KeyedMutex } from '../core/lock.ts';
import type { Store } from '../core/store.ts';
import type { Logger } from '../log.ts';
import { type Locale, serverLocale } from './i18n.ts';
import { NO_MENTIONS } from './router.ts';
import { jamText, type JamSongs, renderFinalCard, renderJamSheet } from './views/jam.ts';

/**
 * The jams of every server: each jam is one record in the store (keyed by its thread), so a jam survives restarts;
 * changes to one jam run one at a time in this process. Open jams are listed, and a sweep closes those idle for
 * longer than JAM_IDLE_SEC (final card, thread archived and locked) and counts their style polls once ended.
 */

const OPEN = 'jams:open';
const jamKey = (threadId: string) => `jam:${threadId}`;
/** The sweep runs at least this often, and four times per idle period when that is shorter (tests). */
const SWEEP_MAX_MS = 60_000;

export interface JamsDeps {
	client: Client;
	store: Store;
	log: Logger;
	idleMs: number;
	concat: () => boolean;
	now?: () => number;
}

export class Jams {
	readonly #deps: JamsDeps;
	readonly #mutex = new KeyedMutex();
	readonly #starting = new Set<string>();
	readonly #now: () => number;
	#timer: NodeJS.Timeout | undefined;

	constructor(deps: JamsDeps) {
		this.#deps = deps;
		this.#now = deps.now ?? Date.now;
	}

	async get(threadId: string): Promise<Jam | undefined> {
		return parseJam(await this.#deps.store.getValue(jamKey(threadId)));
	}

	async create(jam: Jam): Promise<void> {
		await this.#mutex.run(jam.threadId, async () => {
			await this.#deps.store.setValue(jamKey(jam.threadId), jam);
		});
		await this.#mutex.run(OPEN, async () =>
			this.#deps.store.setValue(OPEN, [...(await this.#openIds()), jam.threadId]),
		);
	}

	/** Applies `change` to the stored jam (one change at a time per jam) and saves what it returns. */
	async update(threadId: string, change: (jam: Jam) => JamResult): Promise<JamResult | undefined> {
		return this.#mutex.run(threadId, async () => {
			const jam = await this.get(threadId);
			if (!jam) return undefined;
			const result = change(jam);
			if (result.ok) await this.#deps.store.setValue(jamKey(threadId), result.jam);
			return result;
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
			const jam = await this.get(threadId);
			if (!jam) return undefined;
			const messageId = await post();
			if (!messageId) return undefined;
			const opened: Jam = { ...jam, stylePoll: { messageId, styles }, lastActivityAt: this.#now() };
			await this.#deps.store.setValue(jamKey(threadId), opened);
			return opened;
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
			const jam = await this.#mutex.run(channelId, () => this.get(channelId));
			if (jam?.stylePoll?.messageId === messageId) await this.#countPoll(jam);
		})().catch((err: unknown) => this.#deps.log.warn({ err, channelId }, 'could not read the style poll'));
	}

	start(): void {
		const every = Math.min(SWEEP_MAX_MS, Math.max(250, this.#deps.idleMs / 4));
		void this.sweep();
		this.#timer = setInterval(() => void this.sweep(), every);
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
				const jam = await this.get(threadId);
				if (!jam || jam.closedAt !== undefined) await this.#forget(threadId);
				// With shards, each process looks after the jams of the guilds it serves.
				else if (!this.#deps.client.guilds.cache.has(jam.guildId)) continue;
				else if (isIdle(jam, this.#now(), this.#deps.idleMs)) await this.close(jam);
				else if (jam.stylePoll) await this.#countPoll(jam);
			} catch (err) {
				this.#deps.log.warn({ err, threadId }, 'jam check failed');
			}
		}
	}

	/** Ends the jam: the final card in the thread, the sheet without buttons, the thread archived (and locked). */
	async close(jam: Jam): Promise<void> {
		// One final card whichever process gets here first (processes sharing a Redis store).
		const token = randomUUID();
		if ((await this.#deps.store.claimValue(`jam:close:${jam.threadId}`, token)) !== token) return;
		const result = await this.update(jam.threadId, (current) =>
			current.closedAt === undefined
				? { ok: true, jam: { ...current, closedAt: this.#now() } }
				: { ok: false, reason: 'closed' },
		);
		if (!result?.ok) return void (await this.#forget(jam.threadId));
		const closed = result.jam;
		const thread = await this.#deps.client.channels.fetch(closed.threadId).catch(() => null);
		if (thread?.isThread()) {
			await thread.send({
				...renderFinalCard(
					closed,
					await this.#songs(closed),
					idleText(this.#deps.idleMs, this.locale(closed)),
					this.locale(closed),
				),
				allowedMentions: NO_MENTIONS,
			});
			if (closed.sheetMessageId)
				await thread.messages.edit(closed.sheetMessageId, this.sheet(closed)).catch(() => undefined);
			// Locking needs Manage Threads; without it the thread is archived only (members can reopen it).
			const lock =
				thread.permissionsFor(this.#deps.client.user?.id ?? '')?.has(PermissionFlagsBits.ManageThreads) ?? false;
			await thread.edit({ archived: true, ...(lock ? { locked: true } : {}) });
		}
		await this.#forget(closed.threadId);
		this.#deps.log.info({ threadId: closed.threadId, guildId: closed.guildId }, 'jam closed after inactivity');
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

	async #songs(jam: Jam): Promise<JamSongs> {
		const url = async (taskId: string | undefined) => {
			const task = taskId ? await this.#deps.store.getTask(taskId) : undefined;
			const place = task?.place;
			return place?.messageId
				? `https://discord.com/channels/${place.guildId}/${place.channelId}/${place.messageId}`
				: undefined;
		};
		const parts = await Promise.all(
			jam.parts.map(async (p) => {
				const link = await url(p.taskId);
				return link ? { url: link } : {};
			}),
		);
		const fullUrl = await url(jam.fullSongTaskId);
		return { parts, ...(fullUrl ? { fullUrl } : {}) };
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

function idleText(idleMs: number, locale: Locale): string {
	const hours = Math.round(idleMs / 3_600_000);
	const minutes = Math.round(idleMs / 60_000);
	const seconds = Math.round(idleMs / 1000);
	const text = jamText(locale);
	if (hours >= 1) return text.finalIdle(hours, 'hour');
	return minutes >= 1 ? text.finalIdle(minutes, 'minute') : text.finalIdle(seconds, 'second');
}
