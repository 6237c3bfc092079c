import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_MAPS, isModelId, limitsFor, wireModel } from '../../src/providers/models.ts';
import {
	clipStateFromUrls,
	clipStateFromWords,
	deriveTaskStatus,
	failureKindFromText,
	parseProgress,
	toMs,
	toNumber,
	usableUrl,
} from '../../src/providers/normalise.ts';

describe('timestamps', () => {
	it('GIVEN unix seconds, epoch ms, ISO and "YYYY-MM-DD HH:mm:ss" THEN all become the same epoch ms', () => {
		const ms = Date.UTC(2025, 0, 1, 12, 0, 0);
		expect(toMs(ms / 1000)).toBe(ms);
		expect(toMs(ms)).toBe(ms);
		expect(toMs(String(ms))).toBe(ms);
		expect(toMs('2025-01-01T12:00:00Z')).toBe(ms);
		expect(toMs('2025-01-01 12:00:00')).toBe(ms);
	});

	it('GIVEN 0, empty or garbage THEN no timestamp rather than 1970', () => {
		expect(toMs(0)).toBeUndefined();
		expect(toMs('')).toBeUndefined();
		expect(toMs(null)).toBeUndefined();
		expect(toMs('not a date')).toBeUndefined();
	});
});

describe('numbers and progress', () => {
	it('GIVEN durations as number, numeric string or null THEN a number or nothing', () => {
		expect(toNumber(104.88)).toBe(104.88);
		expect(toNumber('104.88')).toBe(104.88);
		expect(toNumber(219)).toBe(219);
		expect(toNumber(null)).toBeUndefined();
		expect(toNumber('abc')).toBeUndefined();
	});

	it('GIVEN "72%", "100%" and 250 THEN percentages clamped to 0–100', () => {
		expect(parseProgress('72%')).toBe(72);
		expect(parseProgress('100%')).toBe(100);
		expect(parseProgress(250)).toBe(100);
		expect(parseProgress(undefined)).toBeUndefined();
	});
});

describe('task status (defensive matcher)', () => {
	const cases: [string, string, ('pending' | 'streaming' | 'complete' | 'error')[], string][] = [
		['A', 'NOT_START', [], 'queued'],
		['A', 'SUBMITTED', ['pending', 'pending'], 'queued'],
		['A', 'QUEUED', [], 'queued'],
		['A', 'IN_PROGRESS', ['streaming', 'streaming'], 'running'],
		['A', 'IN_PROGRESS', ['complete', 'streaming'], 'partial'],
		['A', 'SUCCESS', ['complete', 'complete'], 'succeeded'],
		['A', 'FAILURE', ['complete', 'error'], 'failed'],
		['A', 'UNKNOWN', [], 'running'],
		['B', 'PENDING', [], 'queued'],
		['B', 'TEXT_SUCCESS', ['pending', 'pending'], 'running'],
		['B', 'FIRST_SUCCESS', ['complete', 'streaming'], 'partial'],
		['B', 'SENSITIVE_WORD_ERROR', [], 'failed'],
		['B', 'CREATE_TASK_FAILED', [], 'failed'],
		['B', 'GENERATE_LYRICS_FAILED', [], 'failed'],
		['B', 'CALLBACK_EXCEPTION', ['complete', 'complete'], 'succeeded'],
		['B', 'CALLBACK_EXCEPTION', [], 'failed'],
		['C', 'PROCESSING', ['streaming'], 'running'],
		['C', 'FAILED', [], 'failed'],
		['gptproto', 'completed', ['complete'], 'succeeded'],
		['crazyrouter', 'error', [], 'failed'],
		['new-api dto', 'queueing', [], 'queued'],
		['nobody', 'WARMING_UP', ['streaming'], 'running'],
	];
	for (const [family, raw, clips, expected] of cases) {
		it(`GIVEN ${family} status ${raw} with clips [${clips.join(', ')}] THEN ${expected}`, () => {
			expect(deriveTaskStatus(raw, clips)).toBe(expected);
		});
	}
});

describe('clip state', () => {
	it('GIVEN raw Suno clip statuses and reseller states THEN the normalised clip state', () => {
		expect(clipStateFromWords('submitted')).toBe('pending');
		expect(clipStateFromWords('queued')).toBe('pending');
		expect(clipStateFromWords('streaming')).toBe('streaming');
		expect(clipStateFromWords('complete')).toBe('complete');
		expect(clipStateFromWords('error')).toBe('error');
		expect(clipStateFromWords(undefined, 'succeeded')).toBe('complete');
		expect(clipStateFromWords(undefined, 'failed')).toBe('error');
		expect(clipStateFromWords('')).toBeUndefined();
	});

	it('GIVEN family B/C items without a status THEN the URLs decide', () => {
		expect(clipStateFromUrls('https://x/a.mp3', 'https://x/s')).toBe('complete');
		expect(clipStateFromUrls(undefined, 'https://x/s')).toBe('streaming');
		expect(clipStateFromUrls(undefined, undefined)).toBe('pending');
	});

	it('GIVEN an errored clip whose audio_url ends in None.mp3 THEN it is not a usable URL', () => {
		expect(usableUrl('https://cdn1.suno.ai/None.mp3')).toBeUndefined();
		expect(usableUrl('https://cdn1.suno.ai/abc.mp3')).toBe('https://cdn1.suno.ai/abc.mp3');
	});
});

describe('failure kinds', () => {
	it('GIVEN moderation, sensitive words or copyright text THEN content_policy; a time-out THEN timeout', () => {
		expect(failureKindFromText('SENSITIVE_WORD_ERROR')).toBe('content_policy');
		expect(failureKindFromText(null, 'moderation')).toBe('content_policy');
		expect(failureKindFromText('Lyrics contain copyrighted content')).toBe('content_policy');
		expect(failureKindFromText('time out')).toBe('timeout');
		expect(failureKindFromText('Internal Error, Please try again later.')).toBeUndefined();
	});
});

describe('models and limits', () => {
	it('GIVEN friendly names THEN each family spells them its own way', () => {
		expect(wireModel('newapi', DEFAULT_MODEL_MAPS.newapi, 'v4.5+')).toBe('chirp-bluejay');
		expect(wireModel('newapi', DEFAULT_MODEL_MAPS.newapi, 'v5')).toBe('chirp-crow');
		expect(wireModel('sunoapi', DEFAULT_MODEL_MAPS.sunoapi, 'v4.5+')).toBe('V4_5PLUS');
		expect(wireModel('v1music', DEFAULT_MODEL_MAPS.v1music, 'v5')).toBe('suno-v5');
	});

	it('GIVEN a model a family does not offer THEN invalid_input naming what it offers', () => {
		let error: unknown;
		try {
			wireModel('v1music', DEFAULT_MODEL_MAPS.v1music, 'v4');
		} catch (e) {
			error = e;
		}
		expect(error).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringMatching(/offers: v4.5\+, v5/) });
		expect(isModelId('v9')).toBe(false);
	});

	it('GIVEN V4 and V4_5ALL THEN their smaller documented limits', () => {
		expect(limitsFor('v4')).toMatchObject({ lyrics: 3000, style: 200, title: 80, description: 500 });
		expect(limitsFor('v4.5-all').title).toBe(80);
		expect(limitsFor('v5')).toMatchObject({ lyrics: 5000, style: 1000, title: 100 });
	});
});
