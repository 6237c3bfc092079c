import { describe, expect, it } from 'vitest';
import {
	CLOSE_RETRY_MAX_MS,
	closeAttempted,
	closeDue,
	closeOver,
	closeProgress,
	expiryOutdated,
	keptUntil,
	nextCloseStep,
	startClose,
} from '../../src/core/jam-close.ts';
import { addSection, parseJam } from '../../src/core/jam.ts';
import { aJam, ok } from './jam-steps.ts';

describe('closing a jam in steps', () => {
	it('GIVEN an open jam WHEN its close starts THEN it takes no more changes and its steps come in order, each once', () => {
		let jam = ok(startClose(aJam(), 100));
		expect(addSection(jam, { userId: 'bob', type: 'verse', text: 'late', now: 101 })).toEqual({
			ok: false,
			reason: 'closed',
		});
		expect(startClose(jam, 200)).toEqual({ ok: false, reason: 'closed' });
		expect(nextCloseStep(jam)).toBe('card');
		jam = closeProgress(jam, { cardSentAt: 150 });
		expect(nextCloseStep(jam)).toBe('card');
		jam = closeProgress(jam, { cardMessageId: 'm1' });
		expect(nextCloseStep(jam)).toBe('sheet');
		jam = closeProgress(jam, { sheetFinal: true });
		expect(nextCloseStep(jam)).toBe('archive');
		expect(closeOver(jam)).toBe(false);
		jam = closeProgress(jam, { archived: true });
		expect(nextCloseStep(jam)).toBeUndefined();
		expect(closeOver(jam)).toBe(true);
		// The steps survive a restart: they are part of the stored record.
		expect(parseJam(JSON.parse(JSON.stringify(jam)))?.closing).toEqual({
			attempts: 0,
			cardSentAt: 150,
			cardMessageId: 'm1',
			sheetFinal: true,
			archived: true,
		});
	});

	it('GIVEN a close given up (thread gone) or one closed before steps were recorded THEN nothing is left to do', () => {
		const givenUp = closeProgress(ok(startClose(aJam(), 1)), { givenUp: 'discord 10003' });
		expect(nextCloseStep(givenUp)).toBeUndefined();
		expect(closeOver(givenUp)).toBe(true);
		expect(closeDue(givenUp, 10_000_000, 1_000)).toBe(false);
		const legacy = { ...aJam(), closedAt: 1 };
		expect(closeOver(legacy)).toBe(true);
		expect(closeOver(aJam())).toBe(false);
	});

	it('GIVEN attempts that did not finish THEN the next waits twice as long each time, at most an hour', () => {
		let jam = ok(startClose(aJam(), 0));
		expect(closeDue(jam, 0, 1_000)).toBe(true);
		jam = closeAttempted(jam, 10_000);
		expect(closeDue(jam, 10_999, 1_000)).toBe(false);
		expect(closeDue(jam, 11_000, 1_000)).toBe(true);
		jam = closeAttempted(jam, 11_000);
		expect(closeDue(jam, 12_999, 1_000)).toBe(false);
		expect(closeDue(jam, 13_000, 1_000)).toBe(true);
		for (let i = 0; i < 30; i++) jam = closeAttempted(jam, 20_000);
		expect(jam.closing?.attempts).toBe(32);
		expect(closeDue(jam, 20_000 + CLOSE_RETRY_MAX_MS - 1, 1_000)).toBe(false);
		expect(closeDue(jam, 20_000 + CLOSE_RETRY_MAX_MS, 1_000)).toBe(true);
	});
});

describe('a closed jam expires with its songs', () => {
	const DAY = 86_400_000;

	it('GIVEN an open jam, one being closed, and one whose close is over THEN only the last expires, the retention after its close', () => {
		const closing = closeProgress(ok(startClose(aJam(), 10)), { cardMessageId: 'm' });
		const over = closeProgress(closing, { sheetFinal: true, archived: true });
		expect(keptUntil(aJam(), 30 * DAY, 50)).toBeUndefined();
		expect(keptUntil(closing, 30 * DAY, 50)).toBeUndefined();
		expect(keptUntil(over, 30 * DAY, 50)).toBe(50 + 30 * DAY);
		// It keeps the date it was given when saved again.
		expect(keptUntil({ ...over, expiresAt: 70 }, 30 * DAY, 5_000)).toBe(70);
		// RETENTION_DAYS=0 keeps songs, and so jams, forever.
		expect(keptUntil(over, 0, 50)).toBeUndefined();
	});

	it('GIVEN a jam an older version closed, or retention turned on or off since THEN its stored expiry is out of step', () => {
		const over = { ...aJam(), closedAt: 1 };
		expect(expiryOutdated(over, DAY)).toBe(true);
		expect(expiryOutdated({ ...over, expiresAt: 5 }, DAY)).toBe(false);
		expect(expiryOutdated({ ...over, expiresAt: 5 }, 0)).toBe(true);
		expect(expiryOutdated(over, 0)).toBe(false);
		expect(expiryOutdated(aJam(), DAY)).toBe(false);
	});
});
