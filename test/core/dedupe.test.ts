import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type RequestIdentity, RequestDedupe, requestKey } from '../../src/core/dedupe.ts';
import { moneyEngines } from './money-engines.ts';

const engines = moneyEngines();

const song = (description: string, userId = 'u1'): RequestIdentity => ({
	guildId: 'g1',
	userId,
	request: { action: 'generate', request: { mode: 'describe', description, model: 'v5' } },
});
const extendOf = (clipId: string, userId: string): RequestIdentity => ({
	guildId: 'g1',
	userId,
	request: {
		action: 'extend',
		request: { source: { taskId: 't1', clipId }, model: 'v5', continueAtSec: 30, lyrics: 'more words' },
	},
});

describe('requestKey', () => {
	it('GIVEN the same inputs typed with other case and spacing THEN it is the same request', () => {
		expect(requestKey(song('A  waltz for\nRainy Mondays '))).toBe(requestKey(song('a waltz for rainy mondays')));
	});

	it('GIVEN another person, another take or another origin THEN it is another request', () => {
		expect(requestKey(song('a waltz', 'u2'))).not.toBe(requestKey(song('a waltz')));
		expect(requestKey(extendOf('c1', 'u1'))).not.toBe(requestKey(extendOf('c2', 'u1')));
		expect(requestKey({ ...song('a waltz'), origin: 'regen:t1:0' })).not.toBe(requestKey(song('a waltz')));
	});
});

describe.each(engines.names)('RequestDedupe on %s', (engine) => {
	it('GIVEN the same request twice THEN the first is admitted and the second is pointed at its message', async () => {
		const dedupe = new RequestDedupe(await engines.open(engine));
		const first = await dedupe.begin(song('a polka'), 'i1');
		expect(first.kind).toBe('first');
		if (first.kind !== 'first') return;
		await first.claim.posted({ channelId: 'c1', messageId: 'm1' });
		expect(await dedupe.begin(song('A polka '), 'i2')).toEqual({
			kind: 'duplicate',
			original: { channelId: 'c1', messageId: 'm1' },
		});
	});

	it('GIVEN a duplicate arrives while the first is still posting its message THEN it waits for the link', async () => {
		const dedupe = new RequestDedupe(await engines.open(engine), { waitMs: 2_000 });
		const first = await dedupe.begin(song('a reel'), 'i1');
		if (first.kind !== 'first') throw new Error('expected the first request to be admitted');
		const second = dedupe.begin(song('a reel'), 'i2');
		await sleep(150);
		await first.claim.posted({ channelId: 'c1', messageId: 'm9' });
		expect(await second).toEqual({ kind: 'duplicate', original: { channelId: 'c1', messageId: 'm9' } });
	});

	it('GIVEN two people extending the same take alike THEN both are admitted', async () => {
		const dedupe = new RequestDedupe(await engines.open(engine));
		expect((await dedupe.begin(extendOf('c1', 'alice'), 'i1')).kind).toBe('first');
		expect((await dedupe.begin(extendOf('c1', 'bob'), 'i2')).kind).toBe('first');
		expect((await dedupe.begin(extendOf('c1', 'alice'), 'i3')).kind).toBe('duplicate');
	});

	it('GIVEN ten identical requests at once THEN exactly one is admitted', async () => {
		const store = await engines.open(engine);
		const dedupes = [new RequestDedupe(store, { waitMs: 0 }), new RequestDedupe(store, { waitMs: 0 })];
		const answers = await Promise.all(
			Array.from({ length: 10 }, (_, i) => dedupes[i % 2]!.begin(song('a march'), `i${i}`)),
		);
		expect(answers.filter((a) => a.kind === 'first')).toHaveLength(1);
	});

	it('GIVEN the first request gave up having spent nothing THEN the same request is admitted again', async () => {
		const dedupe = new RequestDedupe(await engines.open(engine), { waitMs: 0 });
		const first = await dedupe.begin(song('a hymn'), 'i1');
		if (first.kind !== 'first') throw new Error('expected the first request to be admitted');
		await first.claim.release();
		expect((await dedupe.begin(song('a hymn'), 'i2')).kind).toBe('first');
	});

	it('GIVEN the window has passed THEN the same request starts a new song', async () => {
		const dedupe = new RequestDedupe(await engines.open(engine), { windowMs: 300, waitMs: 0 });
		expect((await dedupe.begin(song('a jig'), 'i1')).kind).toBe('first');
		expect((await dedupe.begin(song('a jig'), 'i2')).kind).toBe('duplicate');
		await sleep(400);
		expect((await dedupe.begin(song('a jig'), 'i3')).kind).toBe('first');
	});
});
