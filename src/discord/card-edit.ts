import { DiscordAPIError, type Message, type SendableChannels } from 'discord.js';
import type { ClipRecord, TaskRecord } from '../core/records.ts';
import { sameFileName, withTakeOnCard } from './card.ts';
import type { TakeAudio } from './take-audio.ts';
import { refusalOf } from './take-search.ts';
import { type Locale, t } from './i18n.ts';
import type { TrackerPayload } from './views/tracker.ts';

/** What adding a take to the card needs from the sink. */
export interface CardEditDeps {
	botId: string | undefined;
	/** The card as the record shows it (the sink's tracker render). */
	render: (record: TaskRecord) => Promise<TrackerPayload>;
	/** Keeps what happened to a take's audio, for the card's later renders. */
	remember: (clipId: string, note: string) => void;
	now: number;
	/** The server's language, for the note on a re-encoded take. */
	locale: Locale;
}

/**
 * Adds the take to the card by editing it: its file, plus the files already on it except one of the same name,
 * so an edit that runs twice replaces rather than duplicates. 'gone' when the card was deleted, 'full' when the
 * files together would be over the server's upload limit, 'refused' when Discord refused the size anyway.
 */
export async function addToCard(
	channel: SendableChannels,
	cardId: string,
	task: TaskRecord,
	clip: ClipRecord,
	{ audio, files, limit }: TakeAudio,
	deps: CardEditDeps,
): Promise<'added' | 'gone' | 'full' | 'refused'> {
	const card = await fetchCard(channel, cardId).catch((error: unknown) => {
		throw refusalOf(error, channel, deps.botId, files.length);
	});
	if (!card || !('messages' in channel)) return 'gone';
	const file = files[0] as TakeAudio['files'][number];
	const kept = [...card.attachments.values()].filter((a) => !sameFileName(a.name, file.name));
	if (kept.reduce((sum, a) => sum + a.size, 0) + file.bytes > limit) return 'full';
	const note = audio.kind === 'transcoded' ? t(deps.locale, 'card.reencoded', { kbps: audio.bitrateKbps }) : undefined;
	if (note) deps.remember(clip.id, note);
	// The song says Done only once the record does (a moment later, the library has it by then).
	const payload = await deps.render(withTakeOnCard(task, clip, cardId, deps.now));
	try {
		await channel.messages.edit(cardId, {
			...payload,
			files: [{ attachment: file.attachment, name: file.name, ...(note ? { description: note } : {}) }],
			attachments: kept.map((a) => ({ id: a.id })),
			allowedMentions: { parse: [] },
		});
		return 'added';
	} catch (error) {
		if (error instanceof DiscordAPIError && error.code === 10008) return 'gone';
		if (error instanceof DiscordAPIError && error.code === 40005) return 'refused';
		throw refusalOf(error, channel, deps.botId, files.length);
	}
}

/** The card message, or undefined when it was deleted. */
export async function fetchCard(channel: SendableChannels, cardId: string): Promise<Message | undefined> {
	if (!('messages' in channel)) return undefined;
	try {
		return await channel.messages.fetch({ message: cardId, cache: false, force: true });
	} catch (error) {
		if (error instanceof DiscordAPIError && error.code === 10008) return undefined;
		throw error;
	}
}
