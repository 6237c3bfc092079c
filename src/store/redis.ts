import { randomUUID } from 'node:crypto';
import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import type { Logger } from '../log.ts';
import type { Backend } from './backend.ts';
import { deserialize, serialize } from './serialize.ts';
import { type TextDoc, type TextIndex, words } from './text.ts';

/** INCRBY and the window's expiry in one step, so two shards never both start a window or lose an expiry. */
const INCREMENT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
	ttl = tonumber(ARGV[2])
end
return { value, ttl }`;

/** Compare-and-set that keeps the key's expiry. */
const UPDATE_CLAIM = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
	redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
	return 1
end
return 0`;

/** Compare-and-delete: a claim taken by someone else after this one expired stays. */
const DROP_CLAIM = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Redis through @keyv/redis; indexes are sorted sets and counters are INCRBY + PEXPIRE run as one Lua script
 * on the same client, so several bot processes can share one Redis.
 */
export async function openRedisBackend(url: string, options: { log: Logger; prefix?: string }): Promise<Backend> {
	const prefix = options.prefix ?? 'songbot';
	const client = connectTo(url);
	client.on('error', (error: unknown) => options.log.warn({ err: error }, 'redis connection problem'));
	await client.connect();
	const adapter = new KeyvRedis(client, { throwOnConnectError: true, throwOnErrors: true });
	const keyv = new Keyv({ store: adapter, namespace: prefix, throwOnErrors: true, serialize, deserialize });
	const index = (set: string) => `${prefix}:index:${set}`;
	const counter = (key: string) => `${prefix}:counter:${key}`;
	const once = (key: string) => `${prefix}:once:${key}`;
	const claimKey = (key: string) => `${prefix}:claim:${key}`;

	return {
		keyv,
		text: redisText(client, prefix),
		async zAdd(set, member, score) {
			await client.zAdd(index(set), { score, value: member });
		},
		async zRem(set, member) {
			await client.zRem(index(set), member);
		},
		async zDescending(set, limit, below) {
			const max = below === undefined ? '+inf' : `(${below}`;
			return client.zRange(index(set), max, '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: limit } });
		},
		async zUpTo(set, max, limit) {
			const top = Number.isFinite(max) ? String(max) : '+inf';
			return client.zRange(index(set), '-inf', top, { BY: 'SCORE', LIMIT: { offset: 0, count: limit } });
		},
		async increment(key, by, ttlMs, now) {
			const reply = await client.eval(INCREMENT, { keys: [counter(key)], arguments: [String(by), String(ttlMs)] });
			const [value, ttl] = reply as [number, number];
			return { value: Number(value), expiresAt: now + Number(ttl) };
		},
		async readCounter(key, now) {
			const [value, ttl] = await Promise.all([client.get(counter(key)), client.pTTL(counter(key))]);
			if (value === null || ttl < 0) return undefined;
			return { value: Number(value), expiresAt: now + ttl };
		},
		async setIfAbsent(key, value) {
			await client.set(once(key), value, { condition: 'NX' });
			return (await client.get(once(key))) ?? value;
		},
		async claim(key, value, ttlMs) {
			const taken = await client.set(claimKey(key), value, {
				condition: 'NX',
				expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
			});
			if (taken === 'OK') return { held: true, value };
			return { held: false, value: (await client.get(claimKey(key))) ?? value };
		},
		async peekClaim(key) {
			return (await client.get(claimKey(key))) ?? undefined;
		},
		async updateClaim(key, from, to) {
			const reply = await client.eval(UPDATE_CLAIM, { keys: [claimKey(key)], arguments: [from, to] });
			return Number(reply) === 1;
		},
		async dropClaim(key, value) {
			await client.eval(DROP_CLAIM, { keys: [claimKey(key)], arguments: [value] });
		},
		async sweep() {
			// Redis expires counters itself.
		},
		async ping() {
			await client.ping();
		},
		async close() {
			await keyv.disconnect();
		},
	};
}

/** The client as the backend creates it (its type parameters are inferred from the call). */
function connectTo(url: string) {
	return createClient({ url });
}
type Client = ReturnType<typeof connectTo>;

/** Longest word prefix indexed; longer query words are cut to it (and still match the same words). */
const MAX_PREFIX = 16;

/**
 * Search on Redis: one sorted set per (guild, field, word prefix) holding the songs whose words start so, scored
 * like the library; a query intersects the sets of its words. Each song remembers its sets so a re-save or a
 * removal cleans up after itself.
 */
function redisText(client: Client, prefix: string): TextIndex {
	const setOf = (scope: string, field: string, word: string) =>
		`${prefix}:text:${scope}:${field}:${word.slice(0, MAX_PREFIX)}`;
	const docKey = (scope: string, member: string) => `${prefix}:textdoc:${scope}:${member}`;
	const setsFor = (scope: string, doc: TextDoc) => {
		const sets = new Set<string>();
		for (const [field, text] of [
			['b', doc.body],
			['s', doc.style],
		] as const)
			for (const word of words(text))
				for (let n = 1; n <= Math.min(word.length, MAX_PREFIX); n++) sets.add(setOf(scope, field, word.slice(0, n)));
		return [...sets];
	};
	const remove = async (scope: string, member: string) => {
		const old = await client.sMembers(docKey(scope, member));
		for (const set of old) await client.zRem(set, member);
		await client.del(docKey(scope, member));
	};
	return {
		async put(scope, member, score, doc) {
			await remove(scope, member);
			const sets = setsFor(scope, doc);
			if (sets.length === 0) return;
			await client.sAdd(docKey(scope, member), sets);
			for (const set of sets) await client.zAdd(set, { score, value: member });
		},
		remove,
		async search(scope, query, limit, below) {
			const keys = [...query.body.map((w) => setOf(scope, 'b', w)), ...query.style.map((w) => setOf(scope, 's', w))];
			const max = below === undefined ? '+inf' : `(${below}`;
			const range = (key: string) =>
				client.zRange(key, max, '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: limit } });
			const [only] = keys;
			if (only === undefined) return [];
			if (keys.length === 1) return range(only);
			// The intersection is a short-lived key of this query only; it expires even if this process dies.
			const temp = `${prefix}:textq:${randomUUID()}`;
			try {
				await client.zInterStore(temp, keys as [string, ...string[]], { AGGREGATE: 'MAX' });
				await client.pExpire(temp, 10_000);
				return await range(temp);
			} finally {
				await client.del(temp);
			}
		},
	};
}
