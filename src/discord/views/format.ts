/** Small pure formatting helpers shared by the message views. */

/** `m:ss` (or `h:mm:ss`) for a duration in seconds. */
export function clock(totalSec: number): string {
	const s = Math.max(0, Math.round(totalSec));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const sec = String(s % 60).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function progressBar(pct: number, width = 12): string {
	const clamped = Math.max(0, Math.min(100, pct));
	const filled = Math.round((clamped / 100) * width);
	return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${Math.round(clamped)}%`;
}

/** Cuts text to `max` characters on a line or word boundary when possible, marking the cut. */
export function truncate(text: string, max: number): string {
	if (text.length <= max) return text;
	const room = max - 1;
	const cut = text.slice(0, room);
	const boundary = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf(' '));
	return `${boundary > room * 0.6 ? cut.slice(0, boundary) : cut}…`;
}

/** Escapes Discord markdown so user text shows as typed (mentions are neutralised by allowedMentions). */
export function escapeMarkdown(text: string): string {
	return text.replace(/([\\*_~`|>#[\]()-])/g, '\\$1');
}

/**
 * A title (or any name a person or the provider chose) as it sits inside a line of Discord text: cut to `max`
 * characters once escaped, markdown shown as typed, and wrapped in Unicode first-strong isolates (U+2068 … U+2069)
 * so a right-to-left title (Arabic, Hebrew) cannot reorder the words and numbers around it. Not for file names,
 * autocomplete choices or other plain-text fields, where the marks would only be invisible clutter.
 */
export function inlineTitle(title: string, max = 100): string {
	let room = max;
	let text = escapeMarkdown(truncate(title, room));
	// Escaping adds a backslash per markdown character: cut the title shorter until the escaped text fits.
	while (text.length > max && room > 1) {
		room = Math.max(1, Math.min(room - 1, Math.floor((room * max) / text.length)));
		text = escapeMarkdown(truncate(title, room));
	}
	return `\u2068${text}\u2069`;
}

/** A file name that is safe on every OS and readable in Discord. */
export function fileName(title: string, suffix: string, ext: string): string {
	const base =
		[...title.normalize('NFKC')]
			// Control characters and the characters Windows forbids in file names.
			.map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? ' ' : ch))
			.join('')
			.replace(/\s+/g, ' ')
			.trim()
			.slice(0, 80) || 'song';
	return `${base}${suffix ? ` ${suffix}` : ''}.${ext}`;
}

/** "a, b and c" */
export function listOf(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
