import { randomUUID } from 'node:crypto';
import {
	type AnyThreadChannel,
	type Client,
	DiscordAPIError,
	type Message,
	type MessageEditOptions,
	PermissionFlagsBits,
} from 'discord.js';
import { type CloseStep, closeAttempted, closeProgress, nextCloseStep } from '../core/jam-close.ts';
import type { Jam, JamClosing } from '../core/jam.ts';
import type { Store } from '../core/store.ts';
import { LOCALES } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { Locale } from './i18n.ts';
import { NO_MENTIONS } from './router.ts';
import { findMessage, nonceFor } from './take-search.ts';
import { jamText, type JamSongs, renderFinalCard } from './views/jam.ts';

/**
 * Does the steps of a jam's close (src/core/jam-close.ts has the rules): the final card, the sheet without buttons,
 * the thread archived and locked. Each step is saved on the jam as soon as it is done, so an attempt cut short by
 * Discord or by a restart goes on where it stopped; the card is sent with a nonce Discord enforces for a few minutes
 * and, on a retry after a send whose answer never came, first looked for in the thread, so it appears once.
 */

export interface JamCloseDeps {
	client: Client;
	store: Store;
	log: Logger;
	idleMs: number;
	/** How long an attempt holds the jam's close: another process may try once it lapses (its holder died). */
	leaseMs: number;
	now: () => number;
	locale(jam: Jam): Locale;
	/** The sheet message's contents for the jam as it is (closed: no buttons). */
	sheet(jam: Jam): MessageEditOptions;
	/** Applies `change` to the stored jam under its lock; undefined when the jam is gone. */
	save(threadId: string, change: (jam: Jam) => Jam): Promise<Jam | undefined>;
}

/** Discord's answers no retry can fix: the thread is gone, out of the bot's sight, or archived and locked by others. */
const UNREACHABLE = new Set([10003, 50001, 50083]);
/** The sheet message was deleted: there is nothing to show as closed. */
const UNKNOWN_MESSAGE = 10008;

/** One attempt at closing the jam; returns the jam as saved afterwards (undefined when another process has it). */
export async function attemptClose(deps: JamCloseDeps, threadId: string): Promise<Jam | undefined> {
	// One attempt at a time across processes sharing the store; a lease, so a process that died frees it.
	const key = `jam:closing:${threadId}`;
	const token = randomUUID();
	if (!(await deps.store.claimFor(key, token, deps.leaseMs)).held) return undefined;
	let jam = await deps.save(threadId, (current) => closeAttempted(current, deps.now()));
	try {
		if (!jam || !nextCloseStep(jam)) return jam;
		const thread = await deps.client.channels.fetch(threadId);
		if (!thread?.isThread()) throw new Error('the jam’s channel is not a thread');
		let step = nextCloseStep(jam);
		while (jam && step) {
			const done = await doStep(deps, step, jam, thread);
			jam = await deps.save(threadId, (current) => closeProgress(current, done));
			step = jam && nextCloseStep(jam);
		}
		if (jam) deps.log.info({ threadId, guildId: jam.guildId }, 'jam closed after inactivity');
		return jam;
	} catch (err) {
		const code = err instanceof DiscordAPIError && typeof err.code === 'number' ? err.code : undefined;
		if (code === undefined || !UNREACHABLE.has(code)) {
			deps.log.warn({ err, threadId, attempt: jam?.closing?.attempts }, 'could not close the jam; retried later');
			return jam;
		}
		deps.log.warn({ threadId, code }, 'jam close given up: its thread is gone or out of the bot’s reach');
		return deps.save(threadId, (current) => closeProgress(current, { givenUp: `discord ${code}` }));
	} finally {
		await deps.store.dropClaim(key, token);
	}
}

type Done = Partial<JamClosing>;

async function doStep(deps: JamCloseDeps, step: CloseStep, jam: Jam, thread: AnyThreadChannel): Promise<Done> {
	if (step === 'card') return { cardMessageId: await postCard(deps, jam, thread) };
	if (step === 'sheet') {
		if (!jam.sheetMessageId) return { sheetFinal: true };
		// Messages of an archived thread cannot be edited (Discord archives a quiet thread by itself).
		if (thread.archived && !thread.locked) await thread.setArchived(false);
		await thread.messages.edit(jam.sheetMessageId, deps.sheet(jam)).catch((err: unknown) => {
			if (!(err instanceof DiscordAPIError && err.code === UNKNOWN_MESSAGE)) throw err;
		});
		return { sheetFinal: true };
	}
	// Locking needs Manage Threads; without it the thread is archived only (members can reopen it).
	const lock = thread.permissionsFor(deps.client.user?.id ?? '')?.has(PermissionFlagsBits.ManageThreads) ?? false;
	await thread.edit({ archived: true, ...(lock ? { locked: true } : {}) });
	return { archived: true };
}

async function postCard(deps: JamCloseDeps, jam: Jam, thread: AnyThreadChannel): Promise<string> {
	const botId = deps.client.user?.id;
	// A send whose answer never came (a restart, a lost answer) may have posted the card: look before sending again.
	if (jam.closing?.cardSentAt !== undefined) {
		const titles = new Set(LOCALES.flatMap((l) => renderFinalCard(jam, { parts: [] }, '', l).embeds[0]?.title ?? []));
		const isCard = (m: Message) =>
			m.author.id === botId && m.embeds.some((e) => e.title !== null && titles.has(e.title));
		const found = await findMessage(thread, { afterId: jam.sheetMessageId ?? jam.threadId, createdAt: 0 }, isCard);
		if (found) return found;
	}
	const sending = await deps.save(jam.threadId, (current) =>
		closeProgress(current, { cardSentAt: current.closing?.cardSentAt ?? deps.now() }),
	);
	const locale = deps.locale(jam);
	const card = renderFinalCard(sending ?? jam, await songsOf(deps.store, jam), idleText(deps.idleMs, locale), locale);
	const sent = await thread.send({
		...card,
		allowedMentions: NO_MENTIONS,
		// Sent again within a few minutes (an answer lost), Discord returns the card it made instead of a second one.
		nonce: nonceFor('jam-final-card', jam.threadId),
		enforceNonce: true,
	});
	return sent.id;
}

/** Links to the jam's songs: each part's and the full song's card, where they were posted. */
async function songsOf(store: Store, jam: Jam): Promise<JamSongs> {
	const url = async (taskId: string | undefined) => {
		const place = taskId ? (await store.getTask(taskId))?.place : undefined;
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

function idleText(idleMs: number, locale: Locale): string {
	const hours = Math.round(idleMs / 3_600_000);
	const minutes = Math.round(idleMs / 60_000);
	const seconds = Math.round(idleMs / 1000);
	const text = jamText(locale);
	if (hours >= 1) return text.finalIdle(hours, 'hour');
	return minutes >= 1 ? text.finalIdle(minutes, 'minute') : text.finalIdle(seconds, 'second');
}
