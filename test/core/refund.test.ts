import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quotas } from '../../src/core/quota.ts';
import type { Failure, QuotaCharge, TaskRecord } from '../../src/core/records.ts';
import { markRefunded, refundDue } from '../../src/core/refund.ts';
import { createTracker } from '../../src/core/tracker.ts';
import { openStore } from '../../src/store/index.ts';
import { type RedisServer, startRedis } from '../store/redis-server.ts';
import { clip, newRecord, snapshot } from './records.fixtures.ts';
import { MemoryAudio, MemorySink, ScriptedProvider } from './scripted.ts';
import { log, options, song, who } from './tracker-setup.ts';

const charge: QuotaCharge = {
	guildId: 'g1',
	userId: '1',
	cost: 2,
	counters: [{ key: 'quota:user:g1:1:2026-12-03', by: 2, ttlMs: 90_000_000 }],
};

type Extra = { [K in keyof TaskRecord]?: TaskRecord[K] | undefined };

function failed(kind: Failure['kind'], source: Failure['source'], extra: Extra = {}): TaskRecord {
	const record = newRecord({
		state: { status: 'failed', failure: { kind, message: 'no', source }, at: 2_000 },
		providerStatus: 'failed',
		charge,
		quota: { userLeft: 3, guildLeft: 10 },
	});
	// Absent keys are what "undefined" means here: the record never had them.
	for (const [key, value] of Object.entries(extra)) {
		if (value === undefined) delete (record as unknown as Record<string, unknown>)[key];
		else (record as unknown as Record<string, unknown>)[key] = value;
	}
	return record;
}

describe('the refund rule', () => {
	it.each([
		['531: the provider gave its credits back', failed('generation', 'provider', { providerRefunded: true }), true],
		['501 / GENERATE_AUDIO_FAILED / CREATE_TASK_FAILED / CALLBACK_EXCEPTION', failed('generation', 'provider'), true],
		['a family A or C generation error without a content reason', failed('protocol', 'provider'), true],
		['the provider ran out of credits after taking the song', failed('credits', 'provider'), true],
		['408: the provider gave up on its side', failed('timeout', 'provider'), true],
		['400 copyrighted lyrics / 413 / SENSITIVE_WORD_ERROR', failed('content_policy', 'provider'), false],
		['the provider found the input invalid', failed('invalid_input', 'provider'), false],
		['our own timeout (a late success still counts)', failed('timeout', 'timeout'), false],
		[
			'a lost answer (the provider may have charged)',
			failed('timeout', 'timeout', { providerStatus: undefined }),
			false,
		],
		[
			'an intent refused at submit (given back there)',
			failed('unavailable', 'provider', { providerStatus: undefined }),
			false,
		],
		[
			'a take was delivered',
			failed('generation', 'provider', { clips: [{ ...clip('a', 'complete'), take: 1 }] }),
			false,
		],
		['already given back', failed('generation', 'provider', { charge: { ...charge, refundedAt: 1 } }), false],
		['nothing was charged', failed('generation', 'provider', { charge: undefined }), false],
		['still running', newRecord({ state: { status: 'running' }, charge }), false],
	] as const)('%s', (_name, record, due) => {
		expect(refundDue(record)).toBe(due);
	});

	it('GIVEN a refund is due THEN the record is marked and shows what is left with the song given back', () => {
		const marked = markRefunded(failed('generation', 'provider'), 5_000);
		expect(marked?.charge?.refundedAt).toBe(5_000);
		expect(marked?.quota).toEqual({ userLeft: 5, guildLeft: 12 });
		expect(marked && refundDue(marked)).toBe(false);
		expect(markRefunded(failed('content_policy', 'provider'), 5_000)).toBeUndefined();
	});
});

const dir = mkdtempSync(join(tmpdir(), 'songbot-refund-'));
let redis: RedisServer | undefined;
beforeAll(async () => {
	redis = await startRedis();
});
afterAll(async () => {
	await redis?.stop();
	rmSync(dir, { recursive: true, force: true });
});

describe.each(['sqlite', 'redis'])('refunds through the tracker (%s)', (engine) => {
	it('GIVEN a song fails with 531 THEN its quota is given back once, even after a restart and a repeated failure; a content refusal keeps it', async () => {
		const url = engine === 'sqlite' ? `sqlite://${join(dir, 'refund.sqlite')}` : (redis as RedisServer).url;
		const limits = { cooldownSec: 0, userDaily: 5, guildDaily: 0 };
		const open = async () => {
			const store = await openStore(url, { log, prefix: 'refund' });
			const quotas = new Quotas(store);
			const provider = new ScriptedProvider('sunoapi', 100);
			const tracker = createTracker({
				provider,
				store,
				sink: new MemorySink(),
				audio: new MemoryAudio(),
				log,
				options,
				refund: (c) => quotas.giveBack(c),
			});
			await tracker.start();
			return { store, quotas, tracker };
		};
		const first = await open();
		const refunded = await first.quotas.take('g1', '1', limits);
		const refused = await first.quotas.take('g1', '1', limits);
		const a = await first.tracker.submit({
			request: song,
			...who,
			...(refunded.charge ? { charge: refunded.charge } : {}),
		});
		const b = await first.tracker.submit({
			request: song,
			...who,
			...(refused.charge ? { charge: refused.charge } : {}),
		});
		expect(await first.quotas.used('g1', '1')).toEqual({ user: 2, guild: 0 });

		const failed531 = {
			...snapshot('failed', []),
			taskId: a.id,
			failureReason: 'gave credits back',
			providerRefunded: true,
		};
		const failed400 = { ...snapshot('failed', []), taskId: b.id, failureKind: 'content_policy' as const };
		await first.tracker.report(failed531, 'callback', 'sunoapi');
		await first.tracker.report(failed400, 'callback', 'sunoapi');
		await first.tracker.idle();
		expect(await first.quotas.used('g1', '1')).toEqual({ user: 1, guild: 0 });
		expect((await first.tracker.get(a.id))?.charge?.refundedAt).toBeDefined();
		expect((await first.tracker.get(b.id))?.charge?.refundedAt).toBeUndefined();
		await first.tracker.stop();
		await first.store.close();

		const second = await open();
		// The same failure again (a repeated callback) after the restart gives nothing back a second time.
		await second.tracker.report(failed531, 'callback', 'sunoapi');
		await second.tracker.report({ ...failed531, failureKind: 'unavailable' }, 'poll', 'sunoapi');
		await second.tracker.idle();
		expect(await second.quotas.used('g1', '1')).toEqual({ user: 1, guild: 0 });
		await second.tracker.stop();
		await second.store.close();
	});
});
