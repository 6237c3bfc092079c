import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/core/records.ts';
import type { Backend } from '../../src/store/backend.ts';
import { KeyvStore } from '../../src/store/index.ts';
import { openSqliteBackend } from '../../src/store/sqlite.ts';
import { newRecord } from '../core/records.fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'songbot-library-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real SQLite backend, with every index write it receives noted (set or search document, and the song). */
async function countingStore(): Promise<{ store: KeyvStore; writes: string[] }> {
	const backend = await openSqliteBackend(join(dir, `${Math.random()}.sqlite`));
	const writes: string[] = [];
	const counted: Backend = {
		...backend,
		keyv: backend.keyv,
		zAdd: (set, member, score) => {
			writes.push(`${set} ${member}`);
			return backend.zAdd(set, member, score);
		},
		text: {
			...backend.text,
			put: (scope, member, score, doc) => {
				writes.push(`text ${member}`);
				return backend.text.put(scope, member, score, doc);
			},
			remove: (scope, member) => backend.text.remove(scope, member),
			search: (scope, query, limit, below) => backend.text.search(scope, query, limit, below),
		},
	};
	return { store: new KeyvStore(counted), writes };
}

const guild = newRecord().place.guildId;
const song = (extra: Partial<TaskRecord> = {}): TaskRecord =>
	newRecord({
		id: 'song',
		createdAt: 1_000,
		finishedAt: 2_000,
		state: { status: 'delivered', outcome: 'complete', at: 2_000 },
		clips: [{ id: 'song-a', take: 1, state: 'complete', title: 'Blue Walrus' }],
		...extra,
	});

describe('library indexes of a finished song', () => {
	it('GIVEN a finished song saved again naming its previous save THEN only the library entries that changed are written, and every listing still finds it', async () => {
		const { store, writes } = await countingStore();
		const delivered = song();
		await store.saveTask(delivered);
		const library = `library:${guild}`;
		const person = `library:${guild}:by:${delivered.requester.userId}`;
		expect(writes).toEqual(expect.arrayContaining([`${library} song`, `${person} song`, 'text song']));

		// Settling it changes no library entry.
		writes.length = 0;
		const settled = { ...delivered, settledAt: 3_000, updatedAt: 3_000 };
		await store.saveTask(settled, delivered);
		expect(writes.filter((w) => w.startsWith('library') || w.startsWith('text'))).toEqual([]);

		// A vote ending writes the vote index only.
		writes.length = 0;
		const voted = { ...settled, votes: { counts: [4], winner: 1, endedAt: 4_000 } };
		await store.saveTask(voted, settled);
		expect(writes).toEqual([`library:${guild}:top song`]);

		// A new person credited: their list only; a new title: the search text only.
		writes.length = 0;
		const credited = { ...voted, credits: [{ role: 'extended' as const, userId: 'u7' }] };
		await store.saveTask(credited, voted);
		expect(writes).toEqual([`library:${guild}:by:u7 song`]);
		writes.length = 0;
		const renamed = { ...credited, clips: [{ ...credited.clips[0]!, title: 'Green Otter' }] };
		await store.saveTask(renamed, credited);
		expect(writes).toEqual(['text song']);

		const ids = async (query: Parameters<KeyvStore['listLibrary']>[1]) =>
			(await store.listLibrary(guild, query)).map((r) => r.id);
		expect(await ids({ limit: 5 })).toEqual(['song']);
		expect(await ids({ limit: 5, by: 'u7' })).toEqual(['song']);
		expect(await ids({ limit: 5, order: 'top' })).toEqual(['song']);
		expect(await ids({ limit: 5, search: 'otter' })).toEqual(['song']);
		expect(await ids({ limit: 5, search: 'walrus' })).toEqual([]);

		// Without the previous save (an old caller), every index is brought in step as before.
		writes.length = 0;
		await store.saveTask(renamed);
		expect(writes).toEqual(expect.arrayContaining([`${library} song`, 'text song', `library:${guild}:top song`]));
		await store.close();
	});
});
