import type { ProviderErrorKind } from '../core/errors.ts';
import { nonEmpty, toNumber } from './normalise.ts';

/**
 * What family B's failure statuses (record-info) and callback codes mean, in words a person can act on
 * (suno-wire-formats.md §4.4, §4.6). The hybrid new-api channel passes the same statuses through.
 */

export interface FailureMeaning {
	reason: string;
	kind?: ProviderErrorKind;
	/**
	 * The provider gave the credits of this generation back (code 531). The member's quota is given back for it
	 * too (src/core/refund.ts), as for every failure on the provider's side without a content `kind`.
	 */
	refunded?: boolean;
}

const BY_CODE: Record<number, FailureMeaning> = {
	400: { kind: 'content_policy', reason: 'the lyrics look copyrighted: change them and try again' },
	408: { kind: 'timeout', reason: 'the provider took too long and gave up: try again' },
	413: {
		kind: 'content_policy',
		reason: 'the uploaded audio matches an existing work: use your own recording and try again',
	},
	451: { reason: 'the provider could not download the source audio: try again with another file' },
	501: { reason: 'the provider could not generate the audio: try again, perhaps with other words or style' },
	531: {
		reason: 'the provider could not generate the audio and gave its credits back: try again',
		refunded: true,
	},
};

const BY_STATUS: Record<string, FailureMeaning> = {
	CREATE_TASK_FAILED: { reason: 'the provider could not start the song: try again' },
	GENERATE_AUDIO_FAILED: BY_CODE[501] as FailureMeaning,
	GENERATE_LYRICS_FAILED: { reason: 'the provider could not write the lyrics: try again with another theme' },
	CALLBACK_EXCEPTION: { reason: 'the provider lost the finished song on its side: try again' },
	SENSITIVE_WORD_ERROR: {
		kind: 'content_policy',
		reason: 'the provider’s filter refused some words: change them and try again',
	},
};

/**
 * The meaning of a failure from its code (callback `code`, record-info `errorCode`) or else its status;
 * undefined when neither is one of the documented ones (the provider's own text is shown then).
 */
export function failureMeaning(code: unknown, status: string | null | undefined): FailureMeaning | undefined {
	const byStatus = BY_STATUS[nonEmpty(status)?.toUpperCase() ?? ''];
	// The filter's own status is more precise than the generic 400 that record-info pairs with it.
	if (status === 'SENSITIVE_WORD_ERROR') return byStatus;
	const numeric = toNumber(code);
	return (numeric === undefined ? undefined : BY_CODE[numeric]) ?? byStatus;
}
