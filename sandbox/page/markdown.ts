/**
 * The part of Discord's markdown the bot uses, turned into DOM nodes (never HTML strings, so text from users cannot
 * inject markup): bold, italics, underline, strike-through, spoilers, inline and block code, links, headings,
 * `-#` subtext, quotes, escapes, user and channel mentions, and `<t:…>` timestamps.
 */
import { h } from './api.ts';

/** Names for mentions: user ids to names, channel ids to names (voice channels flagged). */
export interface Names {
	users: Map<string, string>;
	channels: Map<string, { name: string; voice: boolean }>;
}

const INLINE =
	/\\([\\*_~`|<>#[\]()-])|\*\*([\s\S]+?)\*\*|__([\s\S]+?)__|\*([^*\s][\s\S]*?)\*|_([^_\s][\s\S]*?)_|~~([\s\S]+?)~~|\|\|([\s\S]+?)\|\||`([^`]+)`|\[([^\]]+)\]\(<?(https?:\/\/[^\s)>]+)>?\)|<@!?(\d+)>|<#(\d+)>|<t:(-?\d+)(?::([tTdDfFR]))?>|(https?:\/\/[^\s<]+)/g;

function inline(text: string, names: Names): Node[] {
	const nodes: Node[] = [];
	let last = 0;
	for (const m of text.matchAll(INLINE)) {
		if (m.index > last) nodes.push(document.createTextNode(text.slice(last, m.index)));
		last = m.index + m[0].length;
		const [
			,
			escaped,
			bold,
			under,
			star,
			underscore,
			strike,
			spoiler,
			code,
			linkText,
			linkUrl,
			user,
			channel,
			time,
			style,
			url,
		] = m;
		if (escaped !== undefined) nodes.push(document.createTextNode(escaped));
		else if (bold !== undefined) nodes.push(h('strong', {}, inline(bold, names)));
		else if (under !== undefined) nodes.push(h('u', {}, inline(under, names)));
		else if (star !== undefined || underscore !== undefined)
			nodes.push(h('em', {}, inline(star ?? underscore ?? '', names)));
		else if (strike !== undefined) nodes.push(h('s', {}, inline(strike, names)));
		else if (spoiler !== undefined) nodes.push(h('span', { class: 'sb-spoiler' }, inline(spoiler, names)));
		else if (code !== undefined) nodes.push(h('code', {}, [code]));
		else if (linkText !== undefined)
			nodes.push(h('a', { href: linkUrl, target: '_blank', rel: 'noopener' }, inline(linkText, names)));
		else if (user !== undefined) nodes.push(h('discord-mention', {}, [names.users.get(user) ?? 'unknown-user']));
		else if (channel !== undefined) {
			const found = names.channels.get(channel);
			nodes.push(h('discord-mention', { type: found?.voice ? 'voice' : 'channel' }, [found?.name ?? 'unknown']));
		} else if (time !== undefined) nodes.push(timestamp(Number(time) * 1000, style ?? 'f'));
		else if (url !== undefined) nodes.push(h('a', { href: url, target: '_blank', rel: 'noopener' }, [url]));
	}
	if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
	return nodes;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 365 * 24 * 3600],
	['month', 30 * 24 * 3600],
	['day', 24 * 3600],
	['hour', 3600],
	['minute', 60],
	['second', 1],
];

/** "in 5 minutes", "2 hours ago": what Discord shows for `<t:…:R>`. */
export function relativeTime(ms: number, now = Date.now()): string {
	const seconds = Math.round((ms - now) / 1000);
	const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
	return new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(Math.round(seconds / size), unit);
}

const STYLES: Record<string, Intl.DateTimeFormatOptions> = {
	t: { timeStyle: 'short' },
	T: { timeStyle: 'medium' },
	d: { dateStyle: 'short' },
	D: { dateStyle: 'long' },
	f: { dateStyle: 'long', timeStyle: 'short' },
	F: { dateStyle: 'full', timeStyle: 'short' },
};

/** A `<t:…:style>` timestamp in the reader's time zone, with the full date on hover, as Discord renders it. */
function timestamp(ms: number, style: string): HTMLElement {
	const date = new Date(ms);
	const text = style === 'R' ? relativeTime(ms) : date.toLocaleString(undefined, STYLES[style] ?? STYLES.f);
	return h(
		'time',
		{ datetime: date.toISOString(), title: date.toLocaleString(), 'data-style': style, class: 'sb-time' },
		[text],
	);
}

/** Renders a whole message text: block structure line by line, inline markup within each line. */
export function markdown(text: string, names: Names): Node[] {
	const out: Node[] = [];
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i] ?? '';
		if (line.startsWith('```')) {
			const body: string[] = [];
			while (++i < lines.length && !(lines[i] ?? '').startsWith('```')) body.push(lines[i] ?? '');
			out.push(h('pre', {}, [h('code', {}, [body.join('\n')])]));
			continue;
		}
		const heading = /^(#{1,3}) (.*)$/.exec(line);
		const subtext = /^-# (.*)$/.exec(line);
		const quote = /^> ?(.*)$/.exec(line);
		if (heading) out.push(h(`h${heading[1]?.length ?? 1}`, {}, inline(heading[2] ?? '', names)));
		else if (subtext) out.push(h('div', { class: 'sb-subtext' }, inline(subtext[1] ?? '', names)));
		else if (quote) out.push(h('discord-quote', {}, inline(quote[1] ?? '', names)));
		else {
			out.push(...inline(line, names));
			if (i < lines.length - 1) out.push(h('br'));
		}
	}
	return out;
}
