/**
 * Fills a catalog template's placeholders. A placeholder is `{name}` (the value as it is) or `{name:format}`, where
 * the format says what the value is (a time, a channel, …) and the caller's `Formats` say how to show it: the
 * Discord layer writes `<t:…:R>` and `<#…>`, logs and the CLI write plain text. The catalog itself knows no markup.
 */

export const PLACEHOLDER_FORMATS = [
	'time',
	'longtime',
	'datetime',
	'relative',
	'channel',
	'role',
	'user',
	'costs',
] as const;
export type PlaceholderFormat = (typeof PLACEHOLDER_FORMATS)[number];

/** How each format is shown; times are epoch milliseconds, channels, roles and users are ids. */
export type Formats = Readonly<Record<PlaceholderFormat, (value: number | string) => string>>;

export type ParamValue = number | string;
export type Params = Readonly<Record<string, ParamValue>>;

/** The names of a template's placeholders, as a union type (`'until' | 'channel'`). */
export type PlaceholderNames<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
	? (P extends `${infer Name}:${string}` ? Name : P) | PlaceholderNames<Rest>
	: never;

const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

/** The placeholders of a template at run time, `name` or `name:format`, in order (for the catalog's tests). */
export function placeholdersOf(template: string): string[] {
	return [...template.matchAll(PLACEHOLDER)].map((m) => (m[2] ? `${m[1]}:${m[2]}` : (m[1] as string)));
}

export function fill(template: string, params: Params, formats: Formats): string {
	return template.replace(PLACEHOLDER, (whole, name: string, format: string | undefined) => {
		const value = params[name];
		if (value === undefined) return whole;
		if (format === undefined) return String(value);
		const show = formats[format as PlaceholderFormat];
		return show ? show(value) : String(value);
	});
}

/** Plain text for logs, the CLI and `Error.message`: UTC times, ids as they are. */
export const PLAIN_FORMATS: Formats = {
	time: (v) => new Date(Number(v)).toISOString().slice(11, 16) + ' UTC',
	longtime: (v) => new Date(Number(v)).toISOString().slice(11, 19) + ' UTC',
	datetime: (v) => new Date(Number(v)).toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
	relative: (v) => 'at ' + new Date(Number(v)).toISOString().replace('T', ' ').slice(0, 19) + ' UTC',
	channel: (v) => `#${v}`,
	role: (v) => `@&${v}`,
	user: (v) => `@${v}`,
	costs: (v) => String(v),
};
