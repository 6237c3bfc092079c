/**
 * The message catalog: every string the bot shows people, keyed by id, English the source (en.ts) and the other
 * locales translated key by key. A key's parameters come from its English template (`{until:relative}`), so a
 * call with a missing or misspelt parameter does not compile; test/i18n/catalog.test.ts checks that every
 * locale has every key with the same placeholders.
 */
import { en } from './en.ts';
import { es } from './es.ts';
import { fill, type Formats, type ParamValue, type Params, PLAIN_FORMATS, type PlaceholderNames } from './format.ts';
import { ja } from './ja.ts';
import { ptBR } from './pt-BR.ts';
import { zhCN } from './zh-CN.ts';

export type { Formats, Params } from './format.ts';
export { PLAIN_FORMATS } from './format.ts';

export type MessageKey = keyof typeof en;
/** A translation: every key of the English catalog, nothing else (a missing key does not compile). */
export type Translation = { readonly [K in MessageKey]: string };

export const CATALOGS = { en, 'zh-CN': zhCN, ja, es, 'pt-BR': ptBR } as const satisfies Record<string, Translation>;
export type Locale = keyof typeof CATALOGS;
export const LOCALES = Object.keys(CATALOGS) as Locale[];

/** The Discord locale codes each catalog locale answers to (en-US and en-GB both read English). */
export const DISCORD_LOCALES: Readonly<Record<Exclude<Locale, 'en'>, readonly string[]>> = {
	'zh-CN': ['zh-CN'],
	ja: ['ja'],
	es: ['es-ES', 'es-419'],
	'pt-BR': ['pt-BR'],
};

/** The catalog locale for a Discord locale code, or undefined when the bot does not speak it. */
export function catalogLocale(discordLocale: string | null | undefined): Locale | undefined {
	if (!discordLocale) return undefined;
	if (discordLocale.startsWith('en')) return 'en';
	for (const [locale, codes] of Object.entries(DISCORD_LOCALES))
		if (codes.includes(discordLocale)) return locale as Locale;
	return undefined;
}

/** The member's language, else the server's, else English. */
export function pickLocale(memberLocale: string | null | undefined, serverLocale?: string | null): Locale {
	return catalogLocale(memberLocale) ?? catalogLocale(serverLocale) ?? 'en';
}

export type ParamsOf<K extends MessageKey> = PlaceholderNames<(typeof en)[K]>;
/** No argument for a key without placeholders, else an object naming each one. */
export type ParamArgs<K extends MessageKey> = [ParamsOf<K>] extends [never]
	? [params?: Readonly<Record<string, never>>]
	: [params: Readonly<Record<ParamsOf<K>, ParamValue>>];

/** A message as data: what the core and errors carry, rendered by each front end in its reader's language. */
export interface Message {
	readonly key: MessageKey;
	readonly params: Params;
}

export function msg<K extends MessageKey>(key: K, ...params: ParamArgs<K>): Message {
	return { key, params: params[0] ?? {} };
}

/** The text of `key` in `locale`, placeholders shown with `formats` (plain text unless told otherwise). */
export function translate(
	locale: Locale,
	key: MessageKey,
	params: Params = {},
	formats: Formats = PLAIN_FORMATS,
): string {
	return fill(CATALOGS[locale][key] ?? en[key], params, { ...formats, costs: (v) => costNames(locale, String(v)) });
}

/** Paid calls by cost key, `extend+lyrics`, as the reader says them ("extension and lyrics"). */
function costNames(locale: Locale, keys: string): string {
	const catalog: Readonly<Record<string, string>> = CATALOGS[locale];
	const names = keys.split('+').map((key) => catalog[`settings.cost_${key}`] ?? key);
	return new Intl.ListFormat(locale === 'en' ? 'en-GB' : locale, { type: 'conjunction' }).format(names);
}

/** English plain text: `Error.message`, logs and the CLI. */
export function plainText(message: Message): string {
	return translate('en', message.key, message.params);
}
