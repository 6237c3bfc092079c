import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Client, Message } from 'discord.js';
import type { ClipRecord, TaskRecord, VoteResult } from '../core/records.ts';
import { songTitle } from '../core/records.ts';
import { takeName, takeQualifier } from '../core/take-name.ts';
import { effectiveVotes, readGuildSettings } from '../core/settings.ts';
import type { Store } from '../core/store.ts';
import type { Logger } from '../log.ts';
import type { Take, VoiceManager } from '../voice/index.ts';
import { NO_MENTIONS } from './router.ts';
import { takeWords } from './views/card.ts';
import { renderVotePoll } from './views/vote.ts';
import { serverLocale } from './i18n.ts';

/**
 * Votes on the takes: once both takes of a song are posted, a native poll asks the channel which one wins. When
 * the poll ends (Discord's POLL_RESULT message or final results on the poll's MESSAGE_UPDATE, or our own timer
 * at its end time), the results are read from the poll message and kept on the song (`TaskRecord.votes`), which
 * the library shows (⭐) and ranks (`/songs top`); the winner is queued when the server's player is on.
 * Open polls are in the store, so a restart checks each of them again; no vote is read live, so the bot does
 * not need the poll-vote intent.
 */

/** A poll waiting for its end. */
interface OpenPoll {
	taskId: string;
	guildId: string;
	channelId: string;
	messageId: string;
	/** Epoch ms. */
	endsAt: number;
	/** The clip of each answer, in answer order (answer ids start at 1). */
	clipIds: string[];
}

const OPEN = 'polls:open';
const pollKey = (taskId: string) => `poll:${taskId}`;
const messageKey = (messageId: string) => `poll:message:${messageId}`;
const claimKey = (taskId: string) => `poll:claim:${taskId}`;
/** Discord finalises results a moment after the end time; ask again this much later when they are not final yet. */
const RECHECK_MS = 30_000;
/** How long an ended poll is still counted when the bot comes back. */
const KEEP_AFTER_END_MS = 7 * 24 * 3_600_000;
/** setTimeout's longest delay; longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface TakeVotesDeps {
	client: Client;
	store: Store;
	voice: VoiceManager;
	log: Logger;
	now?: () => number;
}

export class TakeVotes {
	readonly #deps: TakeVotesDeps;
	readonly #timers = new Map<string, NodeJS.Timeout>();
	readonly #opening = new Set<Promise<void>>();
	readonly #now: () => number;
	#stopped = false;

	constructor(deps: TakeVotesDeps) {
		this.#deps = deps;
		this.#now = deps.now ?? Date.now;
	}

	/** The tracker reported the task (every take posted, or not yet): opens the poll once both takes are in. */
	taskChanged(task: TaskRecord): void {
		// Songs only: lyrics sheets, and a studio tool's parts or files (split, WAV, video), are no takes to vote on.
		if (task.state.status !== 'delivered' || task.kind !== 'music' || task.votes) return;
		const opening = this.#open(task).catch((err: unknown) =>
			this.#deps.log.warn({ err, taskId: task.id }, 'could not open the vote on the takes'),
		);
		// A stop waits for it: a poll posted but not yet noted down would never be counted after a restart.
		this.#opening.add(opening);
		void opening.finally(() => this.#opening.delete(opening));
	}

	/** A poll message ended (POLL_RESULT, or final results seen on an update). */
	pollEnded(messageId: string): void {
		void (async () => {
			const taskId = await this.#deps.store.getValue<string>(messageKey(messageId));
			const poll = taskId ? await this.#deps.store.getValue<OpenPoll>(pollKey(taskId)) : undefined;
			if (poll) await this.#check(poll);
		})().catch((err: unknown) => this.#deps.log.warn({ err, messageId }, 'could not read the poll results'));
	}

	/** Checks every open poll once: ended ones are counted, the others wait for their end time. */
	async start(): Promise<void> {
		for (const taskId of await this.#openIds()) {
			const poll = await this.#deps.store.getValue<OpenPoll>(pollKey(taskId));
			if (!poll) await this.#forget(taskId);
			else await this.#check(poll).catch((err: unknown) => this.#deps.log.warn({ err, taskId }, 'poll check failed'));
		}
	}

	/** Resolves once the polls being opened are noted down. */
	async stop(): Promise<void> {
		this.#stopped = true;
		for (const timer of this.#timers.values()) clearTimeout(timer);
		this.#timers.clear();
		await Promise.all(this.#opening);
	}

	async #open(task: TaskRecord): Promise<void> {
		const { store, client } = this.#deps;
		const takes = task.clips.filter((c) => c.state === 'complete' && c.delivery?.status === 'delivered');
		if (takes.length < 2) return;
		const settings = effectiveVotes(await readGuildSettings(store, task.place.guildId));
		if (!settings.enabled) return;
		// One poll per song, whichever process or report gets here first.
		const token = randomUUID();
		if ((await store.claimValue(claimKey(task.id), token)) !== token) return;
		const channel = await client.channels.fetch(task.place.channelId).catch(() => null);
		if (!channel?.isSendable()) return;
		const title = songTitle(task);
		const locale = serverLocale('guild' in channel ? channel.guild : undefined);
		// An extension's or remix's answers say so, in the channel's language; "Take N" is the answer's own.
		const qualifier = takeQualifier(task, takeWords(locale));
		const named = (clip: ClipRecord) => `${clip.title ?? title}${qualifier ? ` (${qualifier})` : ''}`;
		const message = await channel.send({
			...renderVotePoll({
				title,
				takes: takes.map((c) => ({ take: c.take, title: named(c) })),
				hours: settings.hours,
				locale,
			}),
			allowedMentions: NO_MENTIONS,
		});
		const poll: OpenPoll = {
			taskId: task.id,
			guildId: task.place.guildId,
			channelId: task.place.channelId,
			messageId: message.id,
			endsAt: message.poll?.expiresTimestamp ?? this.#now() + settings.hours * 3_600_000,
			clipIds: takes.map((c) => c.id),
		};
		// Kept a week past the end at most (a bot down that long finds the poll still there), then they expire.
		const ttlMs = Math.max(0, poll.endsAt - this.#now()) + KEEP_AFTER_END_MS;
		await store.setValue(pollKey(task.id), poll, { ttlMs });
		await store.setValue(messageKey(message.id), task.id, { ttlMs });
		await store.setValue(OPEN, [...(await this.#openIds()), task.id]);
		this.#schedule(poll, poll.endsAt);
	}

	/** Counts the poll when it has ended; otherwise waits for its end. */
	async #check(poll: OpenPoll): Promise<void> {
		const message = await this.#fetch(poll);
		if (message === null) {
			// The poll message or its channel is gone: nothing to count.
			await this.#forget(poll.taskId);
			return;
		}
		if (message?.poll?.resultsFinalized) return this.#count(poll, message);
		const now = this.#now();
		this.#schedule(poll, now >= poll.endsAt ? now + RECHECK_MS : poll.endsAt);
	}

	/** The poll message; null when it is gone for good, undefined when Discord could not be asked now. */
	async #fetch(poll: OpenPoll): Promise<Message | null | undefined> {
		const channel = await this.#deps.client.channels.fetch(poll.channelId).catch((err: unknown) => gone(err));
		if (channel === null || (channel && !channel.isTextBased())) return null;
		if (!channel) return undefined;
		return channel.messages.fetch({ message: poll.messageId, force: true }).catch((err: unknown) => gone(err));
	}

	async #count(poll: OpenPoll, message: Message): Promise<void> {
		const { store } = this.#deps;
		const task = await store.getTask(poll.taskId);
		if (task && !task.votes) {
			const counts = poll.clipIds.map((_, i) => message.poll?.answers.get(i + 1)?.voteCount ?? 0);
			const votes: VoteResult = { counts, endedAt: this.#now(), ...winnerOf(task, poll, counts) };
			// `task` as saved: only the vote index is written, not every library index again.
			await store.saveTask({ ...task, votes }, task);
			this.#deps.log.info({ taskId: task.id, counts, winner: votes.winner }, 'vote on the takes ended');
			if (votes.winner !== undefined) this.#queueWinner(task, votes.winner);
		}
		await this.#forget(poll.taskId);
	}

	/** When the server's player is on, the winning take joins its queue. */
	#queueWinner(task: TaskRecord, take: number): void {
		const player = this.#deps.voice.get(task.place.guildId);
		const clip = task.clips.find((c) => c.take === take);
		const source = clip && sourceOf(clip);
		// A song hidden by an admin while its poll ran is not played.
		if (!player || !clip || !source || task.hidden) return;
		const authors = [...new Set((task.credits ?? [{ userId: task.requester.userId }]).map((c) => `<@${c.userId}>`))];
		// The player message and queue are the channel's: the server's language.
		const locale = serverLocale(this.#deps.client.guilds.cache.get(task.place.guildId));
		const entry: Take = {
			id: clip.id,
			title: `⭐ ${takeName(task, clip, undefined, takeWords(locale))}`,
			authors,
			...(clip.durationSec !== undefined ? { durationSec: clip.durationSec } : {}),
			source,
		};
		try {
			player.enqueue(entry);
		} catch (err) {
			// The player left between the lookup and now.
			this.#deps.log.debug({ err, taskId: task.id }, 'the vote winner was not queued');
		}
	}

	#schedule(poll: OpenPoll, at: number): void {
		if (this.#stopped) return;
		clearTimeout(this.#timers.get(poll.taskId));
		const delay = Math.min(Math.max(0, at - this.#now()), MAX_TIMER_MS);
		const timer = setTimeout(() => {
			this.#timers.delete(poll.taskId);
			void this.#check(poll).catch((err: unknown) =>
				this.#deps.log.warn({ err, taskId: poll.taskId }, 'poll check failed'),
			);
		}, delay);
		timer.unref();
		this.#timers.set(poll.taskId, timer);
	}

	async #openIds(): Promise<string[]> {
		return (await this.#deps.store.getValue<string[]>(OPEN)) ?? [];
	}

	async #forget(taskId: string): Promise<void> {
		clearTimeout(this.#timers.get(taskId));
		this.#timers.delete(taskId);
		await this.#deps.store.setValue(
			OPEN,
			(await this.#openIds()).filter((id) => id !== taskId),
		);
	}
}

/** The take with the most votes; none on a tie or without votes. */
function winnerOf(task: TaskRecord, poll: OpenPoll, counts: number[]): { winner?: number } {
	const best = Math.max(0, ...counts);
	const leaders = counts.flatMap((count, i) => (count === best && best > 0 ? [i] : []));
	const [only] = leaders;
	if (leaders.length !== 1 || only === undefined) return {};
	const take = task.clips.find((c) => c.id === poll.clipIds[only])?.take;
	return take === undefined ? {} : { winner: take };
}

/** Null for Discord's "unknown channel/message" or "missing access"; undefined for anything passing. */
function gone(err: unknown): null | undefined {
	const code = (err as { code?: unknown }).code;
	return code === 10003 || code === 10008 || code === 50001 ? null : undefined;
}

function sourceOf(clip: ClipRecord): Take['source'] | undefined {
	if (clip.file && existsSync(clip.file.path)) return { kind: 'file', path: clip.file.path };
	if (clip.audioUrl) return { kind: 'live', url: clip.audioUrl };
	return undefined;
}
