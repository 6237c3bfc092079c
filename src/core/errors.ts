import { type Message, msg, plainText } from '../i18n/index.ts';

/**
 * Two kinds of errors: those whose message a user may see (UserError and ProviderError.userMessage),
 * and everything else, which is logged in full and shown to users only as a reference id.
 */

/**
 * A problem the person can fix or should know about. `text` is a catalog message (key + params) each front end
 * shows in its reader's language; `message` is its English plain text (logs, the CLI). A plain string message is
 * shown as it is (files not yet moved to the catalog).
 */
export class UserError extends Error {
	/** Stable identifier for tests and metrics, e.g. `quota.daily`, `input.too_long`. */
	readonly id: string;
	readonly text: Message | undefined;
	/**
	 * What the message is about, as data (e.g. `until`, epoch ms), so each front end can say it its own way (Discord
	 * as a timestamp every reader sees in their own time zone); `message` stays plain text for logs and the CLI.
	 */
	readonly params: Readonly<Record<string, number | string>>;
	constructor(
		id: string,
		message: string | Message,
		options?: { cause?: unknown; params?: Readonly<Record<string, number | string>> },
	) {
		const text = typeof message === 'string' ? undefined : message;
		super(
			text ? plainText(text) : (message as string),
			options?.cause === undefined ? undefined : { cause: options.cause },
		);
		this.name = 'UserError';
		this.id = id;
		this.text = text;
		this.params = { ...text?.params, ...options?.params };
	}
}

/**
 * The request could not be saved before it was to be sent (the store is down), so it never left the bot: nothing
 * can have been charged, and whatever was taken for it (quota, dedupe claim, in-flight slot) is given back.
 */
export class NotSentError extends UserError {
	constructor(cause: unknown) {
		super('submit.not_saved', 'The bot could not save this request, so it was not sent to the music provider.', {
			cause,
		});
		this.name = 'NotSentError';
	}
}

export const PROVIDER_ERROR_KINDS = [
	'auth',
	'credits',
	'rate_limited',
	'invalid_input',
	'content_policy',
	'not_found',
	'unavailable',
	'timeout',
	'protocol',
	'unsupported',
] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

/**
 * Safe, person-facing text per kind, in English (the catalog's `provider.<kind>`, which the Discord layer shows in
 * the reader's language); adapters may give a more specific one.
 */
export const PROVIDER_ERROR_TEXT = Object.fromEntries(
	PROVIDER_ERROR_KINDS.map((kind) => [kind, plainText(msg(`provider.${kind}`))]),
) as Record<ProviderErrorKind, string>;

export interface ProviderErrorInit {
	kind: ProviderErrorKind;
	/** Shown to users; defaults to PROVIDER_ERROR_TEXT[kind]. Never contains secrets or raw bodies. */
	userMessage?: string;
	/** Full detail for logs only (status, provider code, body excerpt). Secrets are scrubbed by the logger. */
	detail?: string;
	status?: number;
	code?: string | number;
	method?: string;
	url?: string;
	retryable?: boolean;
	/** True when the provider may have accepted a submit (so it must not be re-sent). */
	maybeAccepted?: boolean;
	cause?: unknown;
}

export class ProviderError extends Error {
	readonly kind: ProviderErrorKind;
	readonly userMessage: string;
	readonly detail: string | undefined;
	readonly status: number | undefined;
	readonly code: string | number | undefined;
	readonly method: string | undefined;
	readonly url: string | undefined;
	readonly retryable: boolean;
	readonly maybeAccepted: boolean;
	constructor(init: ProviderErrorInit) {
		super(`${init.kind}: ${init.detail ?? init.userMessage ?? PROVIDER_ERROR_TEXT[init.kind]}`, { cause: init.cause });
		this.name = 'ProviderError';
		this.kind = init.kind;
		this.userMessage = init.userMessage ?? PROVIDER_ERROR_TEXT[init.kind];
		this.detail = init.detail;
		this.status = init.status;
		this.code = init.code;
		this.method = init.method;
		this.url = init.url;
		this.retryable = init.retryable ?? (init.kind === 'rate_limited' || init.kind === 'unavailable');
		this.maybeAccepted = init.maybeAccepted ?? false;
	}
}

export function isUserFacing(error: unknown): error is UserError | ProviderError {
	return error instanceof UserError || error instanceof ProviderError;
}
