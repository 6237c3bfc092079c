import { UserError } from '../core/errors.ts';
import { msg } from '../i18n/index.ts';

/**
 * A file someone uploaded for a song (a cover of their own audio) is known to the bot only by Discord's link to
 * it, and Discord's attachment links expire: about 24 hours, the time being in the link (`ex`, unix seconds in
 * hex). Making that song again later would send the provider a dead link, and a failed song, so it is refused
 * before anything is sent or counted.
 */

/** When the link stops working (epoch ms); undefined for a link that is not a signed Discord one. */
export function linkExpiresAt(url: string): number | undefined {
	let ex: string | null;
	try {
		const params = new URL(url).searchParams;
		ex = params.has('hm') ? params.get('ex') : null;
	} catch {
		return undefined;
	}
	const seconds = ex && /^[0-9a-f]{1,12}$/i.test(ex) ? Number.parseInt(ex, 16) : undefined;
	return seconds === undefined ? undefined : seconds * 1000;
}

/** Time the provider needs to fetch a file once the song is sent (submission, its queue). */
const FETCH_MARGIN_MS = 10 * 60_000;

/** @throws UserError `upload.expired` when the uploaded file's link is dead, or will be before the provider fetches it. */
export function requireLiveUpload(url: string, now: number): void {
	const expires = linkExpiresAt(url);
	if (expires !== undefined && expires - FETCH_MARGIN_MS <= now)
		throw new UserError('upload.expired', msg('form.again_upload_expired'));
}
