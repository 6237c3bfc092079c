import { ProviderError } from '../core/errors.ts';
import type { TaskSnapshot } from '../core/provider.ts';
import type { Secrets } from '../log.ts';

/**
 * A provider's own words reach members: refusals (`ProviderError.userMessage`) and failure reasons of tasks
 * (`failureReason`, a take's `errorMessage`) are shown in Discord. Some providers echo the request in them,
 * and the request carries the callback URL with its secret (a kie.ai-style "callBackUrl … is not reachable"):
 * this wraps a provider so that every such text, from submits, polls and callbacks alike, goes through
 * `secrets.scrub` first. The adapters already keep the API key out; the wrapper also covers secrets learnt
 * after the provider was built (the generated callback secret is added to `secrets` at start-up).
 */
export function withoutSecrets<P extends object>(provider: P, secrets: Secrets): P {
	const scrubText = (text: string | undefined) => (text === undefined ? undefined : secrets.scrub(text));
	const clean = (value: unknown): unknown => {
		if (value instanceof Map) return new Map([...value].map(([key, v]) => [key, clean(v)]));
		if (Array.isArray(value)) return value.map(clean);
		if (isSnapshot(value)) return cleanSnapshot(value);
		if (typeof value === 'object' && value !== null && 'snapshot' in value && isSnapshot(value.snapshot)) {
			return { ...value, snapshot: cleanSnapshot(value.snapshot) };
		}
		return value;
	};
	const cleanSnapshot = (snapshot: TaskSnapshot): TaskSnapshot => {
		const out: TaskSnapshot = { ...snapshot, clips: snapshot.clips.map((clip) => ({ ...clip })) };
		if (out.failureReason !== undefined) out.failureReason = secrets.scrub(out.failureReason);
		for (const clip of out.clips)
			if (clip.errorMessage !== undefined) clip.errorMessage = secrets.scrub(clip.errorMessage);
		return out;
	};
	const cleanError = (error: unknown): unknown => {
		if (!(error instanceof ProviderError)) return error;
		const userMessage = secrets.scrub(error.userMessage);
		const detail = scrubText(error.detail);
		if (userMessage === error.userMessage && detail === error.detail) return error;
		return new ProviderError({
			kind: error.kind,
			userMessage,
			...(detail === undefined ? {} : { detail }),
			...(error.status === undefined ? {} : { status: error.status }),
			...(error.code === undefined ? {} : { code: error.code }),
			...(error.method === undefined ? {} : { method: error.method }),
			...(error.url === undefined ? {} : { url: error.url }),
			retryable: error.retryable,
			maybeAccepted: error.maybeAccepted,
			cause: error.cause,
		});
	};
	return new Proxy(provider, {
		get(target, property) {
			const value: unknown = Reflect.get(target, property, target);
			if (typeof value !== 'function') return value;
			// Called on the target itself: adapters keep their state in #private fields a proxy cannot reach.
			return (...args: unknown[]) => {
				let result: unknown;
				try {
					result = value.apply(target, args);
				} catch (error) {
					throw cleanError(error);
				}
				if (result instanceof Promise) {
					return result.then(clean, (error: unknown) => Promise.reject(cleanError(error)));
				}
				return clean(result);
			};
		},
	});
}

function isSnapshot(value: unknown): value is TaskSnapshot {
	return (
		typeof value === 'object' &&
		value !== null &&
		'taskId' in value &&
		'status' in value &&
		'clips' in value &&
		Array.isArray(value.clips)
	);
}
