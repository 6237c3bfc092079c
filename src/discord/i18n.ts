import type { LocalizationMap } from 'discord.js';
import {
	CATALOGS,
	DISCORD_LOCALES,
	type Formats,
	type Locale,
	type Message,
	type MessageKey,
	type ParamArgs,
	pickLocale,
	translate,
} from '../i18n/index.ts';
import { PROVIDER_ERROR_TEXT, type ProviderErrorKind, type UserError } from '../core/errors.ts';

/**
 * The catalog as Discord shows it: the reader's language, and times, channels, roles and people as Discord markup
 * (`<t:…:R>` shows in each reader's own time zone and language).
 */

export type { Locale, MessageKey } from '../i18n/index.ts';

export const DISCORD_FORMATS: Formats = {
	time: (v) => `<t:${Math.floor(Number(v) / 1000)}:t>`,
	longtime: (v) => `<t:${Math.ceil(Number(v) / 1000)}:T>`,
	datetime: (v) => `<t:${Math.floor(Number(v) / 1000)}:f>`,
	// Rounded up, so "in 0 seconds" never shows while a wait is still running.
	relative: (v) => `<t:${Math.ceil(Number(v) / 1000)}:R>`,
	channel: (v) => `<#${v}>`,
	role: (v) => `<@&${v}>`,
	user: (v) => `<@${v}>`,
	// Cost keys are named by the catalog itself (translate), whatever the front end.
	costs: (v) => String(v),
};

/** What an interaction tells about languages: the member's client and the server's community setting. */
export interface Localized {
	locale?: string | null;
	guildLocale?: string | null;
}

/** Replies, forms and ephemeral answers: the member's language, else the server's, else English. */
export function localeOf(interaction: Localized): Locale {
	return pickLocale(interaction.locale, interaction.guildLocale);
}

/** Messages everyone in a channel reads (trackers, cards, polls): the server's language. */
export function serverLocale(guild: { preferredLocale?: string | null } | null | undefined): Locale {
	return pickLocale(guild?.preferredLocale);
}

/** The text of `key` for Discord. */
export function t<K extends MessageKey>(locale: Locale, key: K, ...params: ParamArgs<K>): string {
	return translate(locale, key, params[0] ?? {}, DISCORD_FORMATS);
}

export function messageText(locale: Locale, message: Message): string {
	return translate(locale, message.key, message.params, DISCORD_FORMATS);
}

/**
 * A provider failure in the reader's language when it is the kind's own text; an adapter's more specific words
 * (often the provider's own, in whatever language it wrote them) are shown as they are. Also for a stored
 * `Failure` ({ kind, message }) of a task record.
 */
export function providerErrorText(error: { kind: string; userMessage?: string; message?: string }, locale: Locale) {
	const text = error.userMessage ?? error.message ?? '';
	const kind = error.kind as ProviderErrorKind;
	return PROVIDER_ERROR_TEXT[kind] !== undefined && text === PROVIDER_ERROR_TEXT[kind]
		? t(locale, `provider.${kind}`)
		: text;
}

/** A UserError in the reader's language; one made before the catalog (a plain message) as it is. */
export function userErrorText(error: UserError, locale: Locale): string {
	return error.text ? messageText(locale, error.text) : error.message;
}

/** `key` in every locale but English, under each Discord locale code it answers to. */
export function localizations(key: MessageKey): LocalizationMap {
	const map: LocalizationMap = {};
	for (const [locale, codes] of Object.entries(DISCORD_LOCALES))
		for (const code of codes) map[code as keyof LocalizationMap] = CATALOGS[locale as Locale][key];
	return map;
}

type Described<K> = K extends `${infer P}.desc` ? (`${P}.name` extends MessageKey ? P : never) : never;
/** A command or option whose name and description are in the catalog (`cmd.song.mode.name` / `.desc`). */
export type SlashKey = Described<MessageKey>;

/**
 * A command's or option's name and description with their localizations. The English name is the one the code
 * reads (`getString('mode')`); Discord shows members the name in their language and sends the English one back.
 */
export function slash(key: SlashKey) {
	const name = `${key}.name` as MessageKey;
	const desc = `${key}.desc` as MessageKey;
	return {
		name: CATALOGS.en[name],
		name_localizations: localizations(name),
		description: CATALOGS.en[desc],
		description_localizations: localizations(desc),
	};
}

/** A choice shown in the member's language; `value` is what the code receives. */
export function choice<V extends string | number>(key: MessageKey, value: V) {
	return { name: CATALOGS.en[key], name_localizations: localizations(key), value };
}

/** "a, b and c" in the reader's language. */
export function listText(locale: Locale, items: readonly string[]): string {
	// British English lists without the serial comma ("a, b and c"), as the bot always wrote them.
	return new Intl.ListFormat(locale === 'en' ? 'en-GB' : locale, { type: 'conjunction' }).format(items);
}
