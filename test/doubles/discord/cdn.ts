import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DiscordState } from './state.ts';

/**
 * Attachment links as Discord's CDN hands them out: signed and expiring. Every link carries `ex` (expiry, unix
 * seconds in hex), `is` (issued) and `hm` (a signature over the path and both times); Discord's links last about 24
 * hours and a message fetched again gets fresh ones. An expired, unsigned or tampered link is answered 404 "This
 * content is no longer available.", as the CDN does. Tests age the links with `double.ageAttachmentLinks(ms)`.
 */

export const ATTACHMENT_LINK_LIFETIME_MS = 24 * 3_600_000;

function signature(state: DiscordState, path: string, ex: string, is: string): string {
	return createHmac('sha256', state.cdnSecret).update(`${path}\n${ex}\n${is}`).digest('hex');
}

/** `path` (e.g. `/attachments/…/name.mp3`) as a link issued now. */
export function signedLink(state: DiscordState, path: string): string {
	const now = Math.floor(state.cdnNow() / 1000);
	const is = now.toString(16);
	const ex = (now + ATTACHMENT_LINK_LIFETIME_MS / 1000).toString(16);
	return `${state.baseUrl}${path}?ex=${ex}&is=${is}&hm=${signature(state, path, ex, is)}&`;
}

/** Whether the CDN serves this link now. */
export function linkValid(state: DiscordState, url: URL): boolean {
	const ex = url.searchParams.get('ex') ?? '';
	const is = url.searchParams.get('is') ?? '';
	const hm = Buffer.from(url.searchParams.get('hm') ?? '', 'hex');
	const expected = Buffer.from(signature(state, url.pathname, ex, is), 'hex');
	if (hm.length !== expected.length || !timingSafeEqual(hm, expected)) return false;
	return Number.parseInt(ex, 16) * 1000 > state.cdnNow();
}
