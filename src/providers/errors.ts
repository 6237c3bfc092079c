import { PROVIDER_ERROR_TEXT, ProviderError, type ProviderErrorKind } from '../core/errors.ts';
import type { HttpResponse } from './http.ts';
import { failureKindFromText, toNumber } from './normalise.ts';
import { CODE_TABLES, type Variant } from './variants.ts';

/**
 * Turns a provider's error answer into a ProviderError with a kind the UI can act on
 * (suno-wire-formats.md §7.2). Relay families (A, C) speak with real HTTP statuses; family B speaks
 * through the body `code` over HTTP 200, where 429 means "no credits" unless the text says otherwise.
 */

export interface ErrorContext {
	family: string;
	op: string;
	submit: boolean;
	/** The endpoint is a reseller extra: a 404 means the gateway does not offer it. */
	optional?: boolean;
	scrub: (text: string) => string;
	/** Family B: whose code table applies. */
	variant?: Variant | undefined;
}

const QUOTA = /quota|credit|balance|insufficient|余额|额度|充值/i;
const FREQUENCY = /frequency|too many|rate|饱和|频繁/i;
const NOT_FOUND = /task_not_exist|task not exist|not[ _]?found|not exist|origin_not_exist/i;
const AUTH =
	/unauthori[sz]ed|access permission|invalid (api[ _-]?)?key|api[ _-]?key (is )?(invalid|wrong)|forbidden|无效的令牌|令牌/i;
/** new-api's "no channel serves model X in this group": for the concat or upload model, the gateway lacks it. */
const NO_CHANNEL = /无可用渠道|no available channel|no channel/i;
const OPTIONAL_MODEL = /suno_(concat|upload)/i;

/** A refusal of a whole feature, explained in words once (the feature is then hidden). */
export const UNSUPPORTED_TEXT: Record<string, string> = {
	concat: 'This music provider cannot join songs, so Full song is no longer offered.',
	upload: 'This music provider cannot take uploaded audio, so uploads are no longer offered.',
	cover: 'This music provider cannot remix a take as a cover, so remixes make a new song instead.',
};

interface Classified {
	kind: ProviderErrorKind;
	/** The provider provably did not take the request (safe to re-send a submit). */
	notAccepted: boolean;
	userMessage?: string;
	retryable?: boolean;
}

function build(response: HttpResponse, ctx: ErrorContext, code: string | number | undefined, c: Classified) {
	const excerpt = ctx.scrub(response.text.slice(0, 300).replace(/\s+/g, ' '));
	return new ProviderError({
		kind: c.kind,
		userMessage: c.userMessage ?? PROVIDER_ERROR_TEXT[c.kind],
		detail: `${ctx.family} ${ctx.op}: HTTP ${response.status}${code === undefined ? '' : ` code=${code}`} ${excerpt}`,
		status: response.status,
		...(code === undefined ? {} : { code }),
		method: response.method,
		url: response.url,
		...(c.retryable === undefined ? {} : { retryable: c.retryable }),
		maybeAccepted: ctx.submit && !c.notAccepted,
	});
}

/** The provider's own short message, safe for a person: one line, at most 200 characters. */
export function shortMessage(text: string): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function withReason(kind: ProviderErrorKind, message: string): string {
	const reason = shortMessage(message);
	return reason === '' ? PROVIDER_ERROR_TEXT[kind] : `${PROVIDER_ERROR_TEXT[kind].replace(/\.$/, '')}: ${reason}`;
}

function missingEndpoint(ctx: ErrorContext): Classified {
	if (ctx.optional) return { kind: 'unsupported', notAccepted: true };
	if (ctx.op === 'fetch') return { kind: 'not_found', notAccepted: true };
	return {
		kind: 'unavailable',
		notAccepted: true,
		retryable: false,
		userMessage: 'The music provider has no such API at this address. The bot operator needs to check SUNO_BASE_URL.',
	};
}

/** Family A and C errors: `{code,message,data}` (relay) or `{error:{message,type}}` (middleware). */
export function relayError(response: HttpResponse, ctx: ErrorContext): ProviderError {
	const body = (response.isJson && typeof response.json === 'object' ? response.json : {}) as {
		code?: unknown;
		message?: unknown;
		msg?: unknown;
		error?: { message?: unknown; type?: unknown; code?: unknown } | string;
	};
	const nested = typeof body.error === 'object' && body.error !== null ? body.error : undefined;
	const rawCode = body.code ?? nested?.code ?? nested?.type;
	const code = typeof rawCode === 'string' || typeof rawCode === 'number' ? rawCode : undefined;
	const rawMessage = body.message ?? body.msg ?? nested?.message ?? (typeof body.error === 'string' ? body.error : '');
	// The provider's own words may reach users (invalid_input): never with the key in them.
	const message = typeof rawMessage === 'string' ? ctx.scrub(rawMessage) : '';
	const text = `${code ?? ''} ${message}`;
	const status = response.status;
	const unsupported = (): Classified => ({
		kind: 'unsupported',
		notAccepted: true,
		...(UNSUPPORTED_TEXT[ctx.op] ? { userMessage: UNSUPPORTED_TEXT[ctx.op] } : {}),
	});
	const classify = (): Classified => {
		if (/invalid_action/i.test(text)) return unsupported();
		if (status === 503 && NO_CHANNEL.test(text) && OPTIONAL_MODEL.test(text)) return unsupported();
		if (NOT_FOUND.test(text) && (status < 300 || status === 400 || status === 404)) {
			return { kind: 'not_found', notAccepted: true };
		}
		if (status === 401) return { kind: QUOTA.test(text) ? 'credits' : 'auth', notAccepted: true };
		if (status === 402) return { kind: 'credits', notAccepted: true };
		if (status === 403) return { kind: QUOTA.test(text) ? 'credits' : 'auth', notAccepted: true };
		if (status === 404) return missingEndpoint(ctx);
		if (status === 429) return { kind: 'rate_limited', notAccepted: true };
		const policy = failureKindFromText(message) === 'content_policy';
		if (status >= 400 && status < 500) {
			return policy
				? { kind: 'content_policy', notAccepted: true }
				: { kind: 'invalid_input', notAccepted: true, userMessage: withReason('invalid_input', message) };
		}
		if (status >= 500) {
			// An upstream refusal relayed as HTTP 500 with the upstream's code and words (§3.9): the body decides.
			// None of these is re-sent, even when it reads "try again": the relay may have billed it.
			const upstream = toNumber(code);
			const final = { notAccepted: true, retryable: false };
			if (policy) return { kind: 'content_policy', ...final };
			if (QUOTA.test(text) || upstream === 402) return { kind: 'credits', ...final };
			if (FREQUENCY.test(message) || upstream === 430 || upstream === 405) return { kind: 'rate_limited', ...final };
			if (AUTH.test(message) || upstream === 401 || upstream === 403) return { kind: 'auth', ...final };
			if (upstream === 455)
				return {
					kind: 'unavailable',
					...final,
					userMessage: PROVIDER_ERROR_TEXT.unavailable.replace('unavailable', 'under maintenance'),
				};
			if (upstream !== undefined && upstream >= 400 && upstream < 500)
				return { kind: 'invalid_input', ...final, userMessage: withReason('invalid_input', message) };
			return { kind: 'unavailable', notAccepted: status === 502 || status === 503 || status === 504 };
		}
		return { kind: 'protocol', notAccepted: false };
	};
	return build(response, ctx, code, classify());
}

/** Family B errors: the body `code` decides (HTTP is usually 200); a real HTTP status is the fallback. */
export function sunoError(response: HttpResponse, ctx: ErrorContext): ProviderError {
	const body = (response.isJson && typeof response.json === 'object' ? response.json : {}) as {
		code?: unknown;
		msg?: unknown;
		message?: unknown;
	};
	const bodyCode = toNumber(body.code);
	const code = bodyCode ?? response.status;
	const rawMessage = body.msg ?? body.message ?? '';
	// The provider's own words may reach users (invalid_input): never with the key in them.
	const message = typeof rawMessage === 'string' ? ctx.scrub(rawMessage) : '';
	const table = CODE_TABLES[ctx.variant ?? 'sunoapi'];
	const classify = (): Classified => {
		// The words win over the code where they are clear: 429 means both things across the variants.
		const listed = table.credits.includes(code) || table.rateLimited.includes(code);
		if (listed && FREQUENCY.test(message)) return { kind: 'rate_limited', notAccepted: true };
		if (listed && QUOTA.test(message)) return { kind: 'credits', notAccepted: true };
		if (table.credits.includes(code)) return { kind: 'credits', notAccepted: true };
		if (table.rateLimited.includes(code)) return { kind: 'rate_limited', notAccepted: true };
		if (code === 401 || code === 403) return { kind: 'auth', notAccepted: true };
		if (code === 404) return missingEndpoint(ctx);
		if (ctx.op === 'fetch' && NOT_FOUND.test(message) && code < 500) return { kind: 'not_found', notAccepted: true };
		if (code === 451) {
			return {
				kind: 'invalid_input',
				notAccepted: true,
				userMessage: withReason('invalid_input', message || 'the source audio could not be downloaded'),
			};
		}
		if (table.maintenance.includes(code))
			return {
				kind: 'unavailable',
				notAccepted: true,
				userMessage: 'The music provider is under maintenance. Please try again later.',
			};
		if (code >= 400 && code < 500) {
			if (failureKindFromText(message) === 'content_policy') return { kind: 'content_policy', notAccepted: true };
			return { kind: 'invalid_input', notAccepted: true, userMessage: withReason('invalid_input', message) };
		}
		if (code >= 500) return { kind: 'unavailable', notAccepted: code === 502 || code === 503 || code === 504 };
		return { kind: 'protocol', notAccepted: false };
	};
	return build(response, ctx, code, classify());
}

/** A 2xx answer whose body is not what the family promises. */
export function protocolError(response: HttpResponse, ctx: ErrorContext, why: string): ProviderError {
	return new ProviderError({
		kind: 'protocol',
		detail: `${ctx.family} ${ctx.op}: ${why}; HTTP ${response.status} ${ctx.scrub(response.text.slice(0, 300))}`,
		status: response.status,
		method: response.method,
		url: response.url,
		maybeAccepted: ctx.submit,
	});
}
