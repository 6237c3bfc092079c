import { createClient } from '@keyv/redis';
import { z } from 'zod';
import type { InboxItem, TaskInbox } from '../core/inbox.ts';
import type { LeaseStore } from '../core/lease.ts';
import type { Logger } from '../log.ts';

/** Renews each key still held by ARGV[1]; one answer (1 or 0) per key. */
const RENEW = `
local out = {}
for i, key in ipairs(KEYS) do
	if redis.call('GET', key) == ARGV[1] then
		redis.call('PEXPIRE', key, ARGV[2])
		out[i] = 1
	else
		out[i] = 0
	end
end
return out`;

/** Compare-and-delete: a holder whose lease lapsed never frees the lease another holder has taken since. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Drops the applied items; the task leaves the waiting set only if nothing was posted meanwhile. */
const ACK = `
redis.call('LTRIM', KEYS[1], ARGV[1], -1)
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return 0`;

/** Forwarded updates nobody collects (the task was pruned) do not stay forever. */
const INBOX_TTL_MS = 7 * 86_400_000;

const inboxItem = z.object({
	snapshot: z.looseObject({ taskId: z.string(), kind: z.string(), status: z.string(), clips: z.array(z.unknown()) }),
	source: z.enum(['poll', 'callback', 'submit']),
	family: z.enum(['newapi', 'sunoapi', 'v1music']),
	intentId: z.string().optional(),
});

export interface RedisCoordination {
	leases: LeaseStore;
	inbox: TaskInbox;
	close(): Promise<void>;
}

/**
 * Leases and the forwarded-update inbox on Redis, for several bot processes sharing one server: a lease is a
 * key set with SET NX PX and renewed or released by Lua scripts that first check the holder; an inbox is a
 * list per task (plus a set of tasks with items waiting), and a pub/sub message wakes the holder.
 */
export async function openRedisCoordination(
	url: string,
	options: { log: Logger; prefix?: string },
): Promise<RedisCoordination> {
	const prefix = options.prefix ?? 'songbot';
	const lease = (key: string) => `${prefix}:lease:${key}`;
	const list = (taskId: string) => `${prefix}:inbox:${taskId}`;
	const waitingSet = `${prefix}:inbox-waiting`;
	const channel = `${prefix}:inbox-posted`;
	const client = createClient({ url });
	client.on('error', (error: unknown) => options.log.warn({ err: error }, 'redis connection problem (leases)'));
	await client.connect();
	let subscriber: typeof client | undefined;

	const leases: LeaseStore = {
		shared: true,
		async acquire(key, holder, ttlMs) {
			const taken = await client.set(lease(key), holder, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
			if (taken === 'OK') return true;
			const [renewed] = await leases.renew([key], holder, ttlMs);
			return renewed ?? false;
		},
		async renew(keys, holder, ttlMs) {
			if (keys.length === 0) return [];
			const reply = await client.eval(RENEW, { keys: keys.map(lease), arguments: [holder, String(Math.ceil(ttlMs))] });
			return (reply as number[]).map((answer) => Number(answer) === 1);
		},
		async release(key, holder) {
			await client.eval(RELEASE, { keys: [lease(key)], arguments: [holder] });
		},
		async holders(keys) {
			if (keys.length === 0) return [];
			const values = await client.mGet(keys.map(lease));
			return values.map((value) => value ?? undefined);
		},
	};

	const inbox: TaskInbox = {
		async post(taskId, item) {
			await client
				.multi()
				.rPush(list(taskId), JSON.stringify(item))
				.pExpire(list(taskId), INBOX_TTL_MS)
				.sAdd(waitingSet, taskId)
				.publish(channel, taskId)
				.exec();
		},
		async peek(taskId) {
			const raw = await client.lRange(list(taskId), 0, -1);
			const items: InboxItem[] = [];
			for (const entry of raw) {
				const parsed = inboxItem.safeParse(safeJson(entry));
				if (parsed.success) items.push(parsed.data as unknown as InboxItem);
				else {
					// Not something a songbot process wrote: removed, so it cannot block the items behind it.
					options.log.warn({ taskId }, 'unreadable forwarded update dropped');
					await client.lRem(list(taskId), 1, entry);
				}
			}
			return items;
		},
		async ack(taskId, count) {
			await client.eval(ACK, { keys: [list(taskId), waitingSet], arguments: [String(count), taskId] });
		},
		async waiting() {
			return client.sMembers(waitingSet);
		},
		async listen(listener) {
			subscriber ??= client.duplicate();
			subscriber.on('error', (error: unknown) => options.log.warn({ err: error }, 'redis connection problem (inbox)'));
			if (!subscriber.isOpen) await subscriber.connect();
			await subscriber.subscribe(channel, (taskId) => listener(taskId));
		},
		async close() {
			if (subscriber?.isOpen) await subscriber.close();
		},
	};

	return {
		leases,
		inbox,
		async close() {
			await inbox.close();
			if (client.isOpen) await client.close();
		},
	};
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
