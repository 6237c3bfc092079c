import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import KeyvSqlite from '@keyv/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quotas } from '../../src/core/quota.ts';
import type { TaskRecord } from '../../src/core/records.ts';
import type { Store } from '../../src/core/store.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';
import { newRecord } from '../core/records.fixtures.ts';
import { type RedisServer, startRedis } from './redis-server.ts';

const log = createLogger({ level: 'silent', secrets: [], pretty: false });
const dir = mkdtempSync(join(tmpdir(), 'songbot-store-'));
let redis: RedisServer;
let counter = 0;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(async () => {
	await redis.stop();
	rmSync(dir, { recursive: true, force: true });
});

/** Each engine, opened fresh (a new file or a new key prefix) for every test; `again` reopens the same data. */
const engines: Record<string, () => { open: () => Promise<Store> }> = {
	sqlite: () => {
		const url = `sqlite://${join(dir, `s${++counter}`, 'songbot.sqlite')}`;
		return { open: () => openStore(url, { log }) };
	},
	redis: () => {
		const prefix = `t${++counter}`;
		return { open: () => openStore(redis.url, { log, prefix }) };
	},
};

function finished(id: string, createdAt: number, extra: Partial<TaskRecord> = {}): TaskRecord {
	return newRecord({
		id,
		createdAt,
		finishedAt: createdAt + 100,
		state: { status: 'delivered', outcome: 'complete', at: createdAt + 100 },
		clips: [{ id: `${id}-a`, take: 1, state: 'complete', title: `Song ${id}` }],
		settledAt: createdAt + 200,
		...extra,
	});
}

describe.each(Object.keys(engines))('store on %s', (engine) => {
	const fresh = () => engines[engine]!();

	it('GIVEN a saved task THEN it reads back intact and survives a reopen', async () => {
		const target = fresh();
		const store = await target.open();
		const record = newRecord({ id: 'abc' });
		await store.saveTask(record);
		expect(await store.getTask('abc')).toEqual(record);
		expect(await store.getTask('nope')).toBeUndefined();
		await store.close();
		const reopened = await target.open();
		expect(await reopened.getTask('abc')).toEqual(record);
		expect((await reopened.listActive()).map((r) => r.id)).toEqual(['abc']);
		await reopened.close();
	});

	it('GIVEN unfinished and settled tasks THEN only the unfinished ones are active, oldest first', async () => {
		const store = await fresh().open();
		await store.saveTask(newRecord({ id: 'late', createdAt: 3_000 }));
		await store.saveTask(newRecord({ id: 'early', createdAt: 1_000 }));
		await store.saveTask(newRecord({ id: 'done', createdAt: 2_000 }));
		await store.saveTask(finished('done', 2_000));
		expect((await store.listActive()).map((r) => r.id)).toEqual(['early', 'late']);
		await store.close();
	});

	it('GIVEN a song saved through its whole life, each save naming the one before THEN every list sees it as with full saves', async () => {
		const store = await fresh().open();
		const started = newRecord({ id: 'life', createdAt: 1_000 });
		const guildId = started.place.guildId;
		const userId = started.requester.userId;
		const lists = async () => ({
			active: (await store.listActive()).map((r) => r.id),
			running: (await store.listRunning(guildId)).map((r) => r.id),
			mine: (await store.listRunning(guildId, userId)).map((r) => r.id),
			library: (await store.listLibrary(guildId, { limit: 10 })).map((r) => r.id),
		});
		const steps: TaskRecord[] = [
			started,
			{ ...started, state: { status: 'running' }, updatedAt: 2_000 },
			{ ...started, state: { status: 'finished', outcome: 'complete' }, finishedAt: 3_000, updatedAt: 3_000 },
			(({ settledAt: _unsettled, ...rest }) => rest)(finished('life', 1_000, { finishedAt: 3_000 })),
			finished('life', 1_000, { finishedAt: 3_000, settledAt: 5_000 }),
		];
		const seen: Awaited<ReturnType<typeof lists>>[] = [];
		let previous: TaskRecord | undefined;
		for (const record of steps) {
			await store.saveTask(record, previous);
			previous = record;
			seen.push(await lists());
		}
		const during = { active: ['life'], running: ['life'], mine: ['life'], library: [] };
		const delivered = { ...during, library: ['life'] };
		const settled = { active: [], running: [], mine: [], library: ['life'] };
		expect(seen).toEqual([during, during, during, delivered, settled]);
		expect(await store.getTask('life')).toEqual(steps.at(-1));
		// Retention finds it by when it finished, as with full saves.
		expect((await store.prune(4_000)).map((r) => r.id)).toEqual(['life']);
		await store.close();
	});

	it('GIVEN finished songs in two guilds THEN each library lists its own, newest first, with paging and search', async () => {
		const store = await fresh().open();
		for (let i = 1; i <= 5; i++) await store.saveTask(finished(`s${i}`, i * 1_000));
		await store.saveTask(finished('other', 9_000, { place: { guildId: 'g2', channelId: 'c' } }));
		await store.saveTask(newRecord({ id: 'running', createdAt: 10_000 }));
		const failed = newRecord({
			id: 'failed',
			createdAt: 11_000,
			state: { status: 'failed', failure: { kind: 'generation', message: 'x', source: 'provider' }, at: 11_100 },
			settledAt: 11_200,
		});
		await store.saveTask(failed);
		const guild = newRecord().place.guildId;
		const page1 = await store.listLibrary(guild, { limit: 3 });
		expect(page1.map((r) => r.id)).toEqual(['s5', 's4', 's3']);
		const page2 = await store.listLibrary(guild, { limit: 3, before: page1.at(-1)!.createdAt });
		expect(page2.map((r) => r.id)).toEqual(['s2', 's1']);
		expect((await store.listLibrary(guild, { limit: 10, search: 'SONG S2' })).map((r) => r.id)).toEqual(['s2']);
		expect((await store.listLibrary('g2', { limit: 10 })).map((r) => r.id)).toEqual(['other']);
		await store.close();
	});

	it('GIVEN songs with styles, people and votes THEN search by word prefixes, style words, person and votes reads every song, pages, and forgets pruned ones', async () => {
		const store = await fresh().open();
		const guild = newRecord().place.guildId;
		const song = (id: string, at: number, title: string, style: string, extra: Partial<TaskRecord> = {}) =>
			finished(id, at, {
				request: { action: 'generate', request: { mode: 'custom', model: 'v5', lyrics: 'la', title, style } },
				clips: [{ id: `${id}-a`, take: 1, state: 'complete', title }],
				...extra,
			});
		await store.saveTask(song('a', 1_000, 'Blue Walrus', 'Sea Shanty, Accordion'));
		await store.saveTask(
			song('b', 2_000, 'Café Nights', 'jazz ballad', { credits: [{ role: 'lyrics', userId: 'u9' }] }),
		);
		await store.saveTask(
			song('c', 3_000, 'Walrus Dance', 'disco', { votes: { counts: [3, 1], winner: 1, endedAt: 3_500 } }),
		);
		await store.saveTask(
			song('d', 4_000, 'Night Drive', 'synthwave', { votes: { counts: [0, 5], winner: 2, endedAt: 1 } }),
		);
		const ids = async (query: Parameters<Store['listLibrary']>[1]) =>
			(await store.listLibrary(guild, query)).map((r) => r.id);

		expect(await ids({ limit: 10, search: 'walr' })).toEqual(['c', 'a']);
		expect(await ids({ limit: 10, search: 'CAFE' })).toEqual(['b']);
		expect(await ids({ limit: 10, search: 'walrus shanty' })).toEqual(['a']);
		expect(await ids({ limit: 10, style: 'accordion' })).toEqual(['a']);
		expect(await ids({ limit: 10, style: 'walrus' })).toEqual([]);
		expect(await ids({ limit: 10, by: 'u9' })).toEqual(['b']);
		expect(await ids({ limit: 10, by: newRecord().requester.userId })).toEqual(['d', 'c', 'b', 'a']);
		expect(await ids({ limit: 10, order: 'top' })).toEqual(['d', 'c']);
		expect(await ids({ limit: 10, order: 'top', search: 'walrus' })).toEqual(['c']);
		const [first] = await store.listLibrary(guild, { limit: 1, search: 'walrus' });
		expect(await ids({ limit: 10, search: 'walrus', before: first!.createdAt })).toEqual(['a']);
		// A re-save with a new title replaces the indexed words.
		await store.saveTask(song('a', 1_000, 'Green Otter', 'Sea Shanty'));
		expect(await ids({ limit: 10, search: 'walrus' })).toEqual(['c']);
		await store.prune(Number.MAX_SAFE_INTEGER);
		expect(await ids({ limit: 10, search: 'otter' })).toEqual([]);
		expect(await ids({ limit: 10, order: 'top' })).toEqual([]);
		await store.close();
	});

	it('GIVEN many concurrent increments from two connections THEN every value is handed out once', async () => {
		const target = fresh();
		const [a, b] = await Promise.all([target.open(), target.open()]);
		const results = await Promise.all(
			Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).increment('quota:u1', { ttlMs: 60_000 })),
		);
		expect(results.map((r) => r.value).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
		expect((await a.readCounter('quota:u1'))?.value).toBe(40);
		expect(await a.readCounter('quota:other')).toBeUndefined();
		await Promise.all([a.close(), b.close()]);
	});

	it('GIVEN a counter window WHEN it expires THEN the counter starts again from zero', async () => {
		const store = await fresh().open();
		const first = await store.increment('cooldown:u1', { ttlMs: 300 });
		const second = await store.increment('cooldown:u1', { ttlMs: 300 });
		expect([first.value, second.value]).toEqual([1, 2]);
		expect(second.expiresAt).toBeLessThanOrEqual(first.expiresAt + 5);
		await sleep(450);
		expect(await store.readCounter('cooldown:u1')).toBeUndefined();
		expect((await store.increment('cooldown:u1', { ttlMs: 300 })).value).toBe(1);
		expect((await store.increment('cooldown:u1', { ttlMs: 300, by: -1 })).value).toBe(0);
		await store.close();
	});

	it('GIVEN the daily quota of 2 WHEN a user asks three times THEN the third is refused', async () => {
		const store = await fresh().open();
		const quotas = new Quotas(store);
		const limits = { cooldownSec: 0, userDaily: 2, guildDaily: 0 };
		await quotas.take('g1', 'u1', limits);
		await quotas.take('g1', 'u1', limits);
		await expect(quotas.take('g1', 'u1', limits)).rejects.toMatchObject({ id: 'quota.user' });
		await store.close();
	});

	it('GIVEN settings THEN they read back after a reopen', async () => {
		const target = fresh();
		const store = await target.open();
		expect(await store.getValue('callback-secret')).toBeUndefined();
		await store.setValue('callback-secret', 'x'.repeat(32));
		await store.close();
		const reopened = await target.open();
		expect(await reopened.getValue('callback-secret')).toBe('x'.repeat(32));
		await reopened.close();
	});

	it('GIVEN saved state with a time to live THEN it reads back until it expires and is gone after; state without one stays', async () => {
		const store = await fresh().open();
		await store.setValue('extend:upload:a', { taskId: 't' }, { ttlMs: 300 });
		await store.setValue('guild-settings:g', { cooldownSec: 5 });
		expect(await store.getValue('extend:upload:a')).toEqual({ taskId: 't' });
		await sleep(500);
		await store.prune(0);
		expect(await store.getValue('extend:upload:a')).toBeUndefined();
		expect(await store.getValue('guild-settings:g')).toEqual({ cooldownSec: 5 });
		await store.close();
	});

	it('GIVEN old and recent finished songs THEN pruning removes only old settled ones and returns them', async () => {
		const store = await fresh().open();
		await store.saveTask(finished('old', 1_000));
		await store.saveTask(finished('new', 50_000));
		const revived = finished('revived', 2_000);
		delete revived.settledAt;
		await store.saveTask(revived);
		const pruned = await store.prune(10_000);
		expect(pruned.map((r) => r.id)).toEqual(['old']);
		expect(await store.getTask('old')).toBeUndefined();
		expect(await store.getTask('revived')).toBeDefined();
		const guild = newRecord().place.guildId;
		expect((await store.listLibrary(guild, { limit: 10 })).map((r) => r.id)).toEqual(['new', 'revived']);
		await store.close();
	});

	it('GIVEN an open store THEN ping answers, and after closing it does not', async () => {
		const store = await fresh().open();
		await expect(store.ping()).resolves.toBeUndefined();
		await store.close();
		await expect(store.ping()).rejects.toThrow();
	});
});

describe('store on sqlite: a library from before the search index', () => {
	it('GIVEN songs saved without the search index THEN reopening indexes them once, and search finds them', async () => {
		const path = join(dir, 'older', 'songbot.sqlite');
		const store = await openStore(`sqlite://${path}`, { log });
		await store.saveTask(
			finished('old', 5_000, { clips: [{ id: 'old-a', take: 1, state: 'complete', title: 'Old Tune' }] }),
		);
		await store.close();
		// What an earlier version left: the records and the newest-first index, no text rows, no marker.
		const raw = new KeyvSqlite({ uri: `sqlite://${path}`, table: 'songbot_kv' });
		await raw.query('DELETE FROM songbot_text');
		await raw.query("DELETE FROM songbot_index WHERE name LIKE 'library:%:by:%'");
		await raw.query("DELETE FROM songbot_once WHERE key = 'library:indexed:v1'");
		await raw.disconnect();
		const again = await openStore(`sqlite://${path}`, { log });
		const guild = newRecord().place.guildId;
		expect((await again.listLibrary(guild, { limit: 5, search: 'tune' })).map((r) => r.id)).toEqual(['old']);
		expect((await again.listLibrary(guild, { limit: 5, by: newRecord().requester.userId })).map((r) => r.id)).toEqual([
			'old',
		]);
		await again.close();
	});
});

describe('store on sqlite: expired state leaves the file', () => {
	it('GIVEN expired values nobody reads again THEN pruning deletes their rows', async () => {
		const path = join(dir, 'expiry', 'songbot.sqlite');
		const store = await openStore(`sqlite://${path}`, { log });
		for (let i = 0; i < 20; i++) await store.setValue(`songs:search:${i}`, `search ${i}`, { ttlMs: 200 });
		await store.setValue('callback-secret', 'y'.repeat(32));
		const raw = new KeyvSqlite({ uri: `sqlite://${path}`, table: 'songbot_kv' });
		const rows = async () => ((await raw.query('SELECT count(*) AS n FROM songbot_kv')) as { n: number }[])[0]?.n ?? -1;
		expect(await rows()).toBe(21);
		await sleep(400);
		await store.prune(0);
		expect(await rows()).toBe(1);
		expect(await store.getValue('callback-secret')).toBe('y'.repeat(32));
		await raw.disconnect();
		await store.close();
	});
});
