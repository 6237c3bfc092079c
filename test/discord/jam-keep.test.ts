import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import KeyvSqlite from '@keyv/sqlite';
import { Client } from 'discord.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeProgress, startClose } from '../../src/core/jam-close.ts';
import { type Jam, newJam, withPart } from '../../src/core/jam.ts';
import type { TaskRecord } from '../../src/core/records.ts';
import type { Store } from '../../src/core/store.ts';
import { collapseJams, indexJamTask, jamLine } from '../../src/discord/jam-library.ts';
import { Jams } from '../../src/discord/jams.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';
import { newRecord } from '../core/records.fixtures.ts';

/**
 * A closed jam leaves the store with its songs: once its close is over, the jam and its songs' index entries expire
 * after the retention (RETENTION_DAYS; here a short one in ms through the deps, as the store's TTL runs on real
 * time), on a real SQLite store. The songs' own pruning is src/core/retention.ts's and is not repeated here.
 */

const RETENTION_MS = 1_000;
const log = createLogger({ level: 'silent', secrets: [], pretty: false });
const dir = mkdtempSync(join(tmpdir(), 'songbot-jam-keep-'));
// A real client that never logs in: closing a jam in the store touches no Discord API.
const client = new Client({ intents: [] });
let counter = 0;
const opened: { store: Store; raw: KeyvSqlite }[] = [];

afterEach(async () => {
	for (const { store, raw } of opened.splice(0)) {
		await raw.disconnect();
		await store.close();
	}
});
afterAll(async () => {
	await client.destroy();
	rmSync(dir, { recursive: true, force: true });
});

async function openSqlite() {
	const path = join(dir, `s${++counter}`, 'songbot.sqlite');
	const store = await openStore(`sqlite://${path}`, { log });
	const raw = new KeyvSqlite({ uri: `sqlite://${path}`, table: 'songbot_kv' });
	opened.push({ store, raw });
	/** The jam rows left in the file: the records and their songs' index entries (what an operator would find). */
	const jamRows = async () =>
		(
			(await raw.query("SELECT key FROM songbot_kv WHERE key LIKE 'songbot:value:jam:%' ORDER BY key")) as {
				key: string;
			}[]
		).map((r) => r.key.slice('songbot:value:'.length));
	return { store, jamRows };
}

const jamsOn = (store: Store, retentionMs = RETENTION_MS) =>
	new Jams({ client, store, log, idleMs: 60_000, retentionMs, concat: () => true });

function song(id: string, at: number): TaskRecord {
	return newRecord({
		id,
		createdAt: at,
		finishedAt: at + 100,
		state: { status: 'delivered', outcome: 'complete', at: at + 100 },
		clips: [{ id: `${id}-a`, take: 1, state: 'complete', title: 'Harbour Lights' }],
		settledAt: at + 200,
	});
}

/** A jam with finished songs made from it, written as /jam and Make it write them. */
async function jamWithSongs(store: Store, jams: Jams, threadId: string, songIds: string[]): Promise<TaskRecord[]> {
	const place = newRecord().place;
	await jams.create(
		newJam({ ...place, threadId, title: 'Harbour Lights', theme: 'sea', style: 'shanty', userId: 'alice', now: 1 }),
	);
	const records: TaskRecord[] = [];
	for (const [i, id] of songIds.entries()) {
		const record = song(id, 1_000 * (i + 1));
		await store.saveTask(record);
		await indexJamTask(store, id, threadId);
		await jams.update(threadId, (jam) => ({
			ok: true,
			jam: withPart(jam, { taskId: id, sectionIds: [], askedBy: 'alice' }, 2),
		}));
		records.push(record);
	}
	return records;
}

const accept = (jam: Jam | undefined) => ({ ok: true as const, jam: jam as Jam });

/** Every step of the close done (final card, sheet, archive), saved as the close saves them. */
async function closeFully(jams: Jams, threadId: string): Promise<void> {
	await jams.update(threadId, (jam) => startClose(jam, 5));
	await jams.update(threadId, (jam) => accept(closeProgress(jam, { cardMessageId: 'm', sheetFinal: true })));
	await jams.update(threadId, (jam) => accept(closeProgress(jam, { archived: true })));
}

const openList = (store: Store) => store.getValue<string[]>('jams:open');

describe('a closed jam expires with its songs', () => {
	it('GIVEN a jam with two songs WHEN its close is over THEN after the retention its record and both index entries are gone from the store and its file', async () => {
		const { store, jamRows } = await openSqlite();
		const jams = jamsOn(store);
		await jamWithSongs(store, jams, 't1', ['p1', 'p2']);
		await closeFully(jams, 't1');
		await jams.sweep();

		expect(await openList(store)).toEqual([]);
		expect(await jams.get('t1')).toMatchObject({ closedAt: 5, expiresAt: expect.any(Number) });
		expect(await jamRows()).toEqual(['jam:t1', 'jam:task:p1', 'jam:task:p2']);
		await sleep(RETENTION_MS + 300);
		expect(await jams.get('t1')).toBeUndefined();
		expect(await store.getValue('jam:task:p1')).toBeUndefined();
		// SQLite has no native expiry: the retention's prune deletes the rows nobody reads again.
		await store.prune(0);
		expect(await jamRows()).toEqual([]);
		// The songs themselves are the retention's to prune, by their own age.
		expect((await store.getTask('p1'))?.id).toBe('p1');
	});

	it('GIVEN a part that started as the jam closed (saved after the close was over) THEN its index entry expires with the jam', async () => {
		const { store, jamRows } = await openSqlite();
		const jams = jamsOn(store);
		await jamWithSongs(store, jams, 't2', ['p1']);
		await closeFully(jams, 't2');
		await store.saveTask(song('late', 9_000));
		await indexJamTask(store, 'late', 't2');
		await jams.update('t2', (jam) => accept(withPart(jam, { taskId: 'late', sectionIds: [], askedBy: 'bob' }, 9)));

		await sleep(RETENTION_MS + 300);
		await store.prune(0);
		expect(await jamRows()).toEqual([]);
	});

	it('GIVEN an open jam and one whose close is still under way THEN neither expires, however long they wait', async () => {
		const { store, jamRows } = await openSqlite();
		const jams = jamsOn(store);
		await jamWithSongs(store, jams, 'open', ['o1']);
		await jamWithSongs(store, jams, 'half-closed', ['c1']);
		// The card is posted, the thread not archived yet (Discord refused): the close goes on at a later sweep.
		await jams.update('half-closed', (jam) => startClose(jam, 5));
		await jams.update('half-closed', (jam) => accept(closeProgress(jam, { cardMessageId: 'm' })));

		await sleep(RETENTION_MS + 300);
		await store.prune(0);
		expect(await jamRows()).toEqual(['jam:half-closed', 'jam:open', 'jam:task:c1', 'jam:task:o1']);
		expect((await jams.get('open'))?.expiresAt).toBeUndefined();
		expect((await jams.get('half-closed'))?.expiresAt).toBeUndefined();
		expect(await openList(store)).toEqual(['open', 'half-closed']);
	});

	it('GIVEN RETENTION_DAYS=0 (songs kept forever) THEN a closed jam and its index entries are kept too', async () => {
		const { store, jamRows } = await openSqlite();
		const jams = jamsOn(store, 0);
		await jamWithSongs(store, jams, 't3', ['p1']);
		await closeFully(jams, 't3');
		await jams.sweep();

		await sleep(RETENTION_MS + 300);
		await store.prune(0);
		expect(await jamRows()).toEqual(['jam:t3', 'jam:task:p1']);
		expect((await jams.get('t3'))?.closedAt).toBe(5);
	});

	it('GIVEN a jam that expired with the retention on WHEN the retention is turned off and the jam is read THEN it is kept for good again', async () => {
		const { store, jamRows } = await openSqlite();
		await jamWithSongs(store, jamsOn(store), 't4', ['p1']);
		await closeFully(jamsOn(store), 't4');
		expect((await jamsOn(store, 0).get('t4'))?.expiresAt).toBeUndefined();

		await sleep(RETENTION_MS + 300);
		await store.prune(0);
		expect(await jamRows()).toEqual(['jam:t4', 'jam:task:p1']);
	});
});

describe('a jam closed by an older version (no expiry, out of the open list)', () => {
	/** What an earlier version left: the closed jam and its entries written without a TTL, the open list empty. */
	async function olderJam(store: Store, threadId: string, songIds: string[]): Promise<TaskRecord[]> {
		const songs = await jamWithSongs(store, jamsOn(store, 0), threadId, songIds);
		await closeFully(jamsOn(store, 0), threadId);
		await store.setValue('jams:open', []);
		return songs;
	}

	it('GIVEN it is read in its thread (Jams.get) THEN it gets its expiry and goes after the retention', async () => {
		const { store, jamRows } = await openSqlite();
		await olderJam(store, 't5', ['p1', 'p2']);

		expect((await jamsOn(store).get('t5'))?.expiresAt).toEqual(expect.any(Number));
		await sleep(RETENTION_MS + 300);
		await store.prune(0);
		expect(await jamRows()).toEqual([]);
	});

	it('GIVEN its songs are listed by /songs THEN it gets its expiry, and once it expired each song lists as a plain song', async () => {
		const { store, jamRows } = await openSqlite();
		const [p1, p2] = await olderJam(store, 't6', ['p1', 'p2']);
		const records = [p2!, p1!];
		const jams = jamsOn(store);
		const readJam = (threadId: string) => jams.get(threadId);

		// While the jam is there its earlier part is reached through the newest one's line.
		expect((await collapseJams(store, records, readJam)).map((r) => r.id)).toEqual(['p2']);
		expect(await jamLine(store, p2!)).toContain('jam in <#t6>');
		await sleep(RETENTION_MS + 300);
		await store.prune(0);
		expect(await jamRows()).toEqual([]);

		expect((await collapseJams(store, records, readJam)).map((r) => r.id)).toEqual(['p2', 'p1']);
		expect(await jamLine(store, p2!)).toBeUndefined();
		expect(await jamLine(store, p1!)).toBeUndefined();
	});
});
