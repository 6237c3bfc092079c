import { describe, expect, it } from 'vitest';
import { relayError, sunoError } from '../../src/providers/errors.ts';
import type { HttpResponse } from '../../src/providers/http.ts';

/** The error classes of suno-wire-formats.md §7.2, one real-world body per row. */

function response(status: number, body: unknown): HttpResponse {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const isJson = typeof body !== 'string';
	return { status, headers: {}, text, json: isJson ? body : undefined, isJson, method: 'POST', url: 'http://x/y' };
}
const ctx = (op: string, submit: boolean, optional = false) => ({
	family: 'f',
	op,
	submit,
	optional,
	scrub: (t: string) => t,
});

describe('relay errors (families A and C)', () => {
	const rows: [string, number, unknown, string, boolean][] = [
		['invalid token', 401, { error: { message: '无效的令牌', type: 'new_api_error' } }, 'auth', false],
		[
			'token quota used up',
			401,
			{ error: { message: '该令牌额度已用尽 TokenStatusExhausted', type: 'new_api_error' } },
			'credits',
			false,
		],
		['user banned', 403, { error: { message: '用户已被封禁', type: 'new_api_error' } }, 'auth', false],
		[
			'quota_not_enough',
			403,
			{ code: 'quota_not_enough', message: 'user quota is not enough', data: null },
			'credits',
			false,
		],
		['bare 429', 429, '', 'rate_limited', false],
		[
			'saturated 429',
			429,
			{ code: 'x', message: '当前分组上游负载已饱和，请稍后再试', data: null },
			'rate_limited',
			false,
		],
		['invalid_request', 400, { code: 'invalid_request', message: 'prompt_empty', data: null }, 'invalid_input', false],
		['invalid_action', 400, { code: 'invalid_request', message: 'invalid_action', data: null }, 'unsupported', false],
		[
			'task_origin_not_exist',
			400,
			{ code: 'task_not_exist', message: 'task_origin_not_exist', data: null },
			'not_found',
			false,
		],
		[
			'upstream moderation',
			500,
			{ code: '400', message: 'Song description contains artist name', data: null },
			'content_policy',
			false,
		],
		[
			'upstream failure',
			500,
			{ code: 'do_request_failed', message: '请求上游地址失败', data: null },
			'unavailable',
			true,
		],
		['no channel', 503, { error: { message: '无可用渠道', type: 'new_api_error' } }, 'unavailable', false],
		['bad gateway', 502, '<html>502</html>', 'unavailable', false],
		['gptproto not found', 200, { code: 'error', data: null, message: 'Task not found' }, 'not_found', false],
	];
	for (const [name, status, body, kind, maybeAccepted] of rows) {
		it(`GIVEN ${name} (HTTP ${status}) on a submit THEN ${kind}${maybeAccepted ? ', maybe accepted' : ''}`, () => {
			expect(relayError(response(status, body), ctx('generate', true))).toMatchObject({ kind, maybeAccepted });
		});
	}

	it('GIVEN a 404 page THEN a missing optional endpoint is unsupported, a missing task not_found, else a base-URL problem', () => {
		const page = response(404, '404 page not found');
		expect(relayError(page, ctx('upload', true, true)).kind).toBe('unsupported');
		expect(relayError(page, ctx('fetch', false)).kind).toBe('not_found');
		expect(relayError(page, ctx('generate', true))).toMatchObject({
			kind: 'unavailable',
			retryable: false,
			userMessage: expect.stringContaining('SUNO_BASE_URL'),
		});
	});
});

describe('sunoapi errors (family B: the body code decides)', () => {
	const rows: [string, unknown, string][] = [
		['401', { code: 401, msg: 'Unauthorized' }, 'auth'],
		['402 (secondary table)', { code: 402, msg: 'Insufficient credits' }, 'credits'],
		['429 credits', { code: 429, msg: 'The current credits are insufficient' }, 'credits'],
		['429 without a hint', { code: 429, msg: '' }, 'credits'],
		[
			'429 frequency (kie)',
			{ code: 429, msg: 'Your call frequency is too high. Please try again later.' },
			'rate_limited',
		],
		['405 rate limit', { code: 405, msg: 'rate limit exceeded' }, 'rate_limited'],
		['430 frequency', { code: 430, msg: 'call frequency too high' }, 'rate_limited'],
		['413 too long', { code: 413, msg: 'prompt too long' }, 'invalid_input'],
		['400 missing callBackUrl', { code: 400, msg: 'Please enter callBackUrl.' }, 'invalid_input'],
		['422 (kie)', { code: 422, msg: 'Please enter callBackUrl' }, 'invalid_input'],
		['400 sensitive words', { code: 400, msg: 'contains sensitive words' }, 'content_policy'],
		['455 maintenance', { code: 455, msg: 'maintenance' }, 'unavailable'],
		['500 server error', { code: 500, msg: 'Server error' }, 'unavailable'],
	];
	for (const [name, body, kind] of rows) {
		it(`GIVEN body code ${name} over HTTP 200 THEN ${kind}`, () => {
			expect(sunoError(response(200, body), ctx('generate', true))).toMatchObject({ kind, status: 200 });
		});
	}

	it('GIVEN a body 500 on a submit THEN it may have been accepted; maintenance (455) and throttling were not', () => {
		expect(sunoError(response(200, { code: 500, msg: 'x' }), ctx('generate', true)).maybeAccepted).toBe(true);
		expect(sunoError(response(200, { code: 455, msg: 'x' }), ctx('generate', true)).maybeAccepted).toBe(false);
		expect(sunoError(response(200, { code: 430, msg: 'x' }), ctx('generate', true)).maybeAccepted).toBe(false);
	});

	it('GIVEN an invalid-input answer THEN the user message carries the provider’s short reason', () => {
		expect(
			sunoError(response(200, { code: 400, msg: 'Please enter callBackUrl.' }), ctx('generate', true)).userMessage,
		).toBe('The music provider did not accept this request: Please enter callBackUrl.');
	});
});
