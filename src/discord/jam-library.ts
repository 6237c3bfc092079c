import { type Jam, parseJam } from '../core/jam.ts';
import type { TaskRecord } from '../core/records.ts';
import type { Store } from '../core/store.ts';
import { jumpUrl } from './views/library.ts';
import type { Locale } from './i18n.ts';
import { jamText } from './views/jam.ts';

/**
 * The library shows a jam as one song with its parts: every part and the full song are indexed to their jam
 * (`jam:task:<taskId>` → thread id, written when they start), the newest finished piece is listed with links to all
 * of them, and the earlier pieces are left out of the listing (they stay playable through those links). A closed
 * jam and its entries expire with its songs (src/discord/jam-keep.ts): a song whose jam is gone lists as a song.
 */

const taskKey = (taskId: string) => `jam:task:${taskId}`;

/** Indexes a song to its jam; with `ttlMs` (a closed jam's) the entry goes when the jam does. */
export async function indexJamTask(
	store: Store,
	taskId: string,
	threadId: string,
	options: { ttlMs?: number } = {},
): Promise<void> {
	await store.setValue(taskKey(taskId), threadId, options);
}

/** Reads a jam by its thread (Jams.get, which also brings an older jam's expiry in step). */
export type ReadJam = (threadId: string) => Promise<Jam | undefined>;

const readStored =
	(store: Store): ReadJam =>
	async (threadId) =>
		parseJam(await store.getValue(`jam:${threadId}`));

interface Piece {
	taskId: string;
	label: string;
}

async function piecesOf(
	store: Store,
	record: TaskRecord,
	locale: Locale,
	readJam: ReadJam = readStored(store),
): Promise<{ threadId: string; pieces: Piece[] } | undefined> {
	const TEXT = jamText(locale);
	const threadId = await store.getValue<string>(taskKey(record.id));
	// Either may have expired with the jam (or be left from before a crash): the song is then listed on its own.
	const jam = threadId ? await readJam(threadId) : undefined;
	if (!threadId || !jam) return undefined;
	const pieces: Piece[] = jam.parts.map((p, i) => ({ taskId: p.taskId, label: TEXT.libraryPart(i + 1) }));
	if (jam.fullSongTaskId) pieces.push({ taskId: jam.fullSongTaskId, label: TEXT.full });
	return { threadId, pieces };
}

const listed = (task: TaskRecord | undefined): task is TaskRecord =>
	task !== undefined && !task.hidden && task.clips.some((c) => c.state === 'complete');

/** The line a jam piece's library entry shows instead of its lineage: the thread and links to every piece. */
export async function jamLine(store: Store, record: TaskRecord, locale: Locale = 'en'): Promise<string | undefined> {
	const found = await piecesOf(store, record, locale);
	if (!found) return undefined;
	const links: string[] = [];
	for (const piece of found.pieces) {
		const task = piece.taskId === record.id ? record : await store.getTask(piece.taskId);
		if (!listed(task)) continue;
		const take = task.clips.find((c) => c.delivery?.status === 'delivered');
		const messageId = take?.delivery?.status === 'delivered' ? take.delivery.messageId : task.place.messageId;
		links.push(
			messageId ? `[${piece.label}](${jumpUrl(task.place.guildId, task.place.channelId, messageId)})` : piece.label,
		);
	}
	return jamText(locale).libraryLine(found.threadId, links);
}

/**
 * Leaves out the pieces of a jam that a later finished piece of it stands for. With `readJam` (/songs passes
 * Jams.get) a jam an older version closed gets its expiry the first time its songs are listed.
 */
export async function collapseJams(
	store: Store,
	records: readonly TaskRecord[],
	readJam?: ReadJam,
): Promise<TaskRecord[]> {
	const shown: TaskRecord[] = [];
	for (const record of records) {
		// Only the task ids are used here, not the labels.
		const found = await piecesOf(store, record, 'en', readJam);
		const index = found?.pieces.findIndex((p) => p.taskId === record.id) ?? -1;
		let later = false;
		for (const piece of index >= 0 ? (found?.pieces.slice(index + 1) ?? []) : [])
			if (listed(await store.getTask(piece.taskId))) later = true;
		if (!later) shown.push(record);
	}
	return shown;
}
