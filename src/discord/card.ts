import type { APIButtonComponent, Attachment, Client, Message } from 'discord.js';
import type { Capabilities } from '../core/provider.ts';
import type { ClipRecord, TaskRecord } from '../core/records.ts';
import { takeFileName, takeName } from '../core/take-name.ts';
import { type Locale, serverLocale, t } from './i18n.ts';
import { fileName } from './views/format.ts';
import { type CardTake, takeWords } from './views/card.ts';
import type { TakeView } from './views/take.ts';

/**
 * Which takes are on the song card (the tracker message), from the record: a take delivered to the tracker's own
 * message id. A take posted as a message of its own (no tracker, or both takes too large for one message) is not.
 */

export interface CardDeps {
	capabilities: Capabilities;
	takeActions?: (task: TaskRecord, clip: ClipRecord) => TakeView['extraActions'];
	/** Per take, what happened to its audio on the way (re-encoded), as said when it was added. */
	notes?: ReadonlyMap<string, string>;
	/** The server's language: the card is read by everyone in the channel. */
	locale?: Locale;
}

/** The language of what the bot posts in the task's channel: its server's (the guild may be another shard's). */
export function channelLocale(client: Pick<Client, 'guilds'>, task: Pick<TaskRecord, 'place'>): Locale {
	return serverLocale(client.guilds.cache.get(task.place.guildId));
}

export function isOnCard(task: TaskRecord, clip: ClipRecord): boolean {
	const cardId = task.place.messageId;
	return cardId !== undefined && clip.delivery?.status === 'delivered' && clip.delivery.messageId === cardId;
}

export function cardOf(
	task: TaskRecord,
	deps: CardDeps,
): { card?: CardTake[]; imageUrl?: string; songActions?: APIButtonComponent[] } {
	const clips = task.clips.filter((c) => isOnCard(task, c)).sort((a, b) => a.take - b.take);
	if (clips.length === 0) return {};
	const caps = deps.capabilities;
	const card = clips.map((clip): CardTake => {
		const extra = deps.takeActions?.(task, clip)?.take;
		const note = deps.notes?.get(clip.id);
		return {
			take: clip.take,
			clipId: clip.id,
			name: takeName(task, clip, undefined, takeWords(deps.locale ?? 'en')),
			actions: {
				extend: caps.extend,
				// Without a cover operation a remix is a new generation from the take's lyrics: always offered.
				remix: true,
				fullSong: caps.concat && task.lineage?.type === 'extend',
			},
			...(clip.durationSec !== undefined ? { durationSec: clip.durationSec } : {}),
			...(note ? { note } : {}),
			...(clip.musicVideoUrl ? { video: t(deps.locale ?? 'en', 'card.music_video', { url: clip.musicVideoUrl }) } : {}),
			...(extra?.length ? { extra } : {}),
		};
	});
	const first = clips[0] as ClipRecord;
	const songActions = deps.takeActions?.(task, first)?.song;
	const imageUrl = clips.find((c) => c.imageUrl)?.imageUrl;
	return {
		card,
		...(imageUrl ? { imageUrl } : {}),
		...(songActions?.length ? { songActions } : {}),
	};
}

/** The record as it is once `clip` is on the card: what the edit that adds it shows. */
export function withTakeOnCard(task: TaskRecord, clip: ClipRecord, cardId: string, now: number): TaskRecord {
	return {
		...task,
		clips: task.clips.map((c) =>
			c.id === clip.id ? { ...c, delivery: { status: 'delivered' as const, messageId: cardId, at: now } } : c,
		),
	};
}

/**
 * Discord may rewrite an uploaded file's name (spaces to underscores): names are compared by their letters and
 * digits only, which take names keep apart ("… take 1" and "… take 2").
 */
export function sameFileName(a: string, b: string): boolean {
	const key = (name: string) =>
		name
			.normalize('NFKC')
			.toLowerCase()
			.replace(/[^\p{L}\p{N}]+/gu, '');
	return key(a) === key(b);
}

/**
 * The take's audio on a posted message: on the card, the file named after the take; on a take's own message, its
 * one audio file.
 */
export function takeAttachment(message: Message, task: TaskRecord, clip: ClipRecord): Attachment | undefined {
	const audio = [...message.attachments.values()].filter(
		(a) => a.contentType?.startsWith('audio/') || /\.mp3$/i.test(a.name),
	);
	const name = fileName(takeFileName(task, clip), '', 'mp3');
	return audio.find((a) => sameFileName(a.name, name)) ?? (audio.length === 1 ? audio[0] : undefined);
}
