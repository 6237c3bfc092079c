import { ProviderError } from '../core/errors.ts';

/** Exit codes of every `songbot` subcommand, and how an error maps to one line a person understands. */
export const EXIT = {
	ok: 0,
	/** Anything else: network trouble, a provider outage, a bug. */
	other: 1,
	/** Invalid input: nothing was sent. */
	invalid: 2,
	/** Rejected by the provider: auth, credits, content policy, a request it refused. */
	rejected: 3,
	/** The generation failed or did not finish in time. */
	failed: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake on the command line; nothing was sent. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

export interface Outcome {
	code: ExitCode;
	/** JSON `status`: invalid, rejected, error (before a task exists). */
	status: 'invalid' | 'rejected' | 'error';
	kind: string;
	message: string;
}

/** A ProviderError raised before any request (validation, unsupported operation) carries no HTTP status or URL. */
function isLocal(error: ProviderError): boolean {
	return error.status === undefined && error.url === undefined;
}

const REJECTIONS = new Set(['auth', 'credits', 'content_policy', 'invalid_input', 'not_found', 'unsupported']);

export function outcomeOf(error: unknown): Outcome {
	if (error instanceof UsageError) {
		return { code: EXIT.invalid, status: 'invalid', kind: 'invalid_input', message: error.message };
	}
	if (error instanceof ProviderError) {
		if ((error.kind === 'invalid_input' || error.kind === 'unsupported') && isLocal(error)) {
			return { code: EXIT.invalid, status: 'invalid', kind: error.kind, message: error.userMessage };
		}
		if (REJECTIONS.has(error.kind)) {
			return { code: EXIT.rejected, status: 'rejected', kind: error.kind, message: error.userMessage };
		}
		return { code: EXIT.other, status: 'error', kind: error.kind, message: error.userMessage };
	}
	const message = error instanceof Error ? error.message : String(error);
	return { code: EXIT.other, status: 'error', kind: 'internal', message };
}
