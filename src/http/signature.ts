import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * kie.ai signs its callbacks: `X-Webhook-Timestamp` (seconds) and `X-Webhook-Signature`, the base64
 * HMAC-SHA256 of `<taskId>.<timestamp>` with the account's webhook key. With a key configured, an unsigned,
 * wrongly signed or stale callback is refused, on top of the secret in the callback path.
 */

/** How far a timestamp may be from this machine's clock: kie retries a failed callback after minutes, anew each time. */
export const SIGNATURE_MAX_AGE_SEC = 300;

export type SignatureCheck = 'ok' | 'unsigned' | 'stale' | 'bad_signature';

export function checkSignature(
	key: string,
	taskId: string,
	headers: { timestamp?: string | undefined; signature?: string | undefined },
	nowMs: number,
): SignatureCheck {
	const { timestamp, signature } = headers;
	if (!timestamp || !signature) return 'unsigned';
	const seconds = Number(timestamp);
	if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - seconds) > SIGNATURE_MAX_AGE_SEC) return 'stale';
	const expected = createHmac('sha256', key).update(`${taskId}.${timestamp}`).digest();
	const given = Buffer.from(signature, 'base64');
	return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'bad_signature';
}
