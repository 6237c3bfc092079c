import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { CounterValue } from '../core/store.ts';
import type { Backend } from './backend.ts';
import { deserialize, serialize } from './serialize.ts';
import type { TextIndex, TextQuery } from './text.ts';

type Query = <Row>(sql: string, ...params: unknown[]) => Promise<Row[]>;

/**
 * SQLite through @keyv/sqlite. Indexes and counters live in two extra tables of the same file and are changed
 * by single statements, which SQLite runs atomically even when two processes share the file.
 */
export async function openSqliteBackend(path: string): Promise<Backend> {
	if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
	const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: 'songbot_kv', busyTimeout: 5_000 });
	const keyv = new Keyv({ store: adapter, namespace: 'songbot', throwOnErrors: true, serialize, deserialize });
	const query = adapter.query.bind(adapter) as Query;
	// Two processes opening one file at once (a restart overlapping the old process, the tests) can meet SQLite's
	// immediate SQLITE_BUSY on the journal-mode switch and the schema: every statement here is idempotent, so retry.
	await retryWhileBusy(async () => {
		if (path !== ':memory:') {
			await query('PRAGMA journal_mode = WAL');
			// In WAL mode NORMAL still survives a crash or SIGKILL of the bot (what exactly-once delivery relies on);
			// only a power loss can roll back the last commits, and then the marker lookup in the channel still
			// prevents a second post. It roughly halves the tracker's CPU time (bench/RESULTS.md).
			await query('PRAGMA synchronous = NORMAL');
		}
		await query(
			'CREATE TABLE IF NOT EXISTS songbot_index (name TEXT NOT NULL, member TEXT NOT NULL, score REAL NOT NULL, PRIMARY KEY (name, member))',
		);
		await query('CREATE INDEX IF NOT EXISTS songbot_index_score ON songbot_index (name, score)');
		await query('CREATE TABLE IF NOT EXISTS songbot_once (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
		await query(
			'CREATE TABLE IF NOT EXISTS songbot_claim (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL)',
		);
		await query(
			'CREATE TABLE IF NOT EXISTS songbot_counter (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at INTEGER NOT NULL)',
		);

		// FTS5 with its own row per song: `name` (the guild) and `score` (the song's time) ride along unindexed.
		await query(
			"CREATE VIRTUAL TABLE IF NOT EXISTS songbot_text USING fts5(name UNINDEXED, member UNINDEXED, score UNINDEXED, body, style, tokenize = 'unicode61 remove_diacritics 2')",
		);
	});

	return {
		keyv,
		text: sqliteText(query),
		async zAdd(set, member, score) {
			await query(
				'INSERT INTO songbot_index (name, member, score) VALUES (?, ?, ?) ON CONFLICT (name, member) DO UPDATE SET score = excluded.score',
				set,
				member,
				score,
			);
		},
		async zRem(set, member) {
			await query('DELETE FROM songbot_index WHERE name = ? AND member = ?', set, member);
		},
		// One statement (one commit) for the entries a task's save changes together.
		async zAddToSets(sets, member, score) {
			if (sets.length === 0) return;
			await query(
				`INSERT INTO songbot_index (name, member, score) VALUES ${sets.map(() => '(?, ?, ?)').join(', ')} ON CONFLICT (name, member) DO UPDATE SET score = excluded.score`,
				...sets.flatMap((set) => [set, member, score]),
			);
		},
		async zRemFromSets(sets, member) {
			if (sets.length === 0) return;
			await query(
				`DELETE FROM songbot_index WHERE member = ? AND name IN (${sets.map(() => '?').join(', ')})`,
				member,
				...sets,
			);
		},
		async zDescending(set, limit, below) {
			const rows =
				below === undefined
					? await query<{ member: string }>(
							'SELECT member FROM songbot_index WHERE name = ? ORDER BY score DESC, member DESC LIMIT ?',
							set,
							limit,
						)
					: await query<{ member: string }>(
							'SELECT member FROM songbot_index WHERE name = ? AND score < ? ORDER BY score DESC, member DESC LIMIT ?',
							set,
							below,
							limit,
						);
			return rows.map((row) => row.member);
		},
		async zUpTo(set, max, limit) {
			const rows = Number.isFinite(max)
				? await query<{ member: string }>(
						'SELECT member FROM songbot_index WHERE name = ? AND score <= ? ORDER BY score ASC, member ASC LIMIT ?',
						set,
						max,
						limit,
					)
				: await query<{ member: string }>(
						'SELECT member FROM songbot_index WHERE name = ? ORDER BY score ASC, member ASC LIMIT ?',
						set,
						limit,
					);
			return rows.map((row) => row.member);
		},
		async increment(key, by, ttlMs, now) {
			// One statement: reset when expired, else add; RETURNING gives the value this call produced.
			const rows = await query<{ value: number; expires_at: number }>(
				`INSERT INTO songbot_counter (key, value, expires_at) VALUES (?1, ?2, ?3)
				ON CONFLICT (key) DO UPDATE SET
					value = CASE WHEN expires_at <= ?4 THEN excluded.value ELSE value + excluded.value END,
					expires_at = CASE WHEN expires_at <= ?4 THEN excluded.expires_at ELSE expires_at END
				RETURNING value, expires_at`,
				key,
				by,
				now + ttlMs,
				now,
			);
			const row = rows[0];
			if (row === undefined) throw new Error('counter update returned no row');
			return { value: row.value, expiresAt: row.expires_at };
		},
		async readCounter(key, now): Promise<CounterValue | undefined> {
			const rows = await query<{ value: number; expires_at: number }>(
				'SELECT value, expires_at FROM songbot_counter WHERE key = ? AND expires_at > ?',
				key,
				now,
			);
			const row = rows[0];
			return row ? { value: row.value, expiresAt: row.expires_at } : undefined;
		},
		async setIfAbsent(key, value) {
			await query('INSERT INTO songbot_once (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', key, value);
			const rows = await query<{ value: string }>('SELECT value FROM songbot_once WHERE key = ?', key);
			return rows[0]?.value ?? value;
		},
		async claim(key, value, ttlMs, now) {
			// One statement takes an absent or expired key; RETURNING says whether this call took it.
			const taken = await query<{ value: string }>(
				`INSERT INTO songbot_claim (key, value, expires_at) VALUES (?1, ?2, ?3)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
					WHERE songbot_claim.expires_at <= ?4
				RETURNING value`,
				key,
				value,
				now + ttlMs,
				now,
			);
			if (taken.length > 0) return { held: true, value };
			const rows = await query<{ value: string }>(
				'SELECT value FROM songbot_claim WHERE key = ? AND expires_at > ?',
				key,
				now,
			);
			return { held: false, value: rows[0]?.value ?? value };
		},
		async peekClaim(key, now) {
			const rows = await query<{ value: string }>(
				'SELECT value FROM songbot_claim WHERE key = ? AND expires_at > ?',
				key,
				now,
			);
			return rows[0]?.value;
		},
		async updateClaim(key, from, to, now) {
			const rows = await query<{ key: string }>(
				'UPDATE songbot_claim SET value = ? WHERE key = ? AND value = ? AND expires_at > ? RETURNING key',
				to,
				key,
				from,
				now,
			);
			return rows.length > 0;
		},
		async dropClaim(key, value) {
			await query('DELETE FROM songbot_claim WHERE key = ? AND value = ?', key, value);
		},
		async sweep(now) {
			await query('DELETE FROM songbot_counter WHERE expires_at <= ?', now);
			await query('DELETE FROM songbot_claim WHERE expires_at <= ?', now);
			// Keyv keeps a value's expiry inside its JSON and deletes it only when it is read again: expired
			// values nobody reads (old form state, search pages) are deleted here.
			await query(
				"DELETE FROM songbot_kv WHERE key LIKE 'songbot:value:%' AND json_valid(value) AND json_extract(value, '$.expires') <= ?",
				now,
			);
		},
		async ping() {
			await query('SELECT 1');
		},
		async close() {
			await keyv.disconnect();
		},
	};
}

function sqliteText(query: Query): TextIndex {
	return {
		async put(scope, member, score, doc) {
			await query('DELETE FROM songbot_text WHERE name = ? AND member = ?', scope, member);
			await query(
				'INSERT INTO songbot_text (name, member, score, body, style) VALUES (?, ?, ?, ?, ?)',
				scope,
				member,
				score,
				doc.body,
				doc.style,
			);
		},
		async remove(scope, member) {
			await query('DELETE FROM songbot_text WHERE name = ? AND member = ?', scope, member);
		},
		async search(scope, text, limit, below) {
			const match = ftsMatch(text);
			const rows = await query<{ member: string }>(
				`SELECT member FROM songbot_text WHERE songbot_text MATCH ? AND name = ? AND score < ?
				ORDER BY score DESC, member DESC LIMIT ?`,
				match,
				scope,
				below ?? Number.MAX_VALUE,
				limit,
			);
			return rows.map((row) => row.member);
		},
	};
}

/** Every word as a prefix query in its column; words are letters and digits only (src/store/text.ts), so quoting is safe. */
function ftsMatch(text: TextQuery): string {
	const terms = [...text.body.map((word) => `body : "${word}"*`), ...text.style.map((word) => `style : "${word}"*`)];
	return terms.join(' AND ');
}

/** Runs `work` again while SQLite answers SQLITE_BUSY without waiting (schema changes skip the busy timeout). */
async function retryWhileBusy(work: () => Promise<void>): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (error) {
			if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || attempt >= 20) throw error;
			await sleep(20 * attempt);
		}
	}
}
