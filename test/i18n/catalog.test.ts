import { describe, expect, it } from 'vitest';
import { CATALOGS, catalogLocale, LOCALES, type MessageKey, msg, pickLocale, plainText } from '../../src/i18n/index.ts';
import { en } from '../../src/i18n/en.ts';
import { placeholdersOf } from '../../src/i18n/format.ts';
import { ProviderError } from '../../src/core/errors.ts';
import { DISCORD_FORMATS, localizations, providerErrorText, t } from '../../src/discord/i18n.ts';

const KEYS = Object.keys(en) as MessageKey[];
const sorted = (list: string[]) => [...list].sort();
/** Discord's rule for command and option names (lowercase where a letter has a lowercase form). */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

describe('the message catalog', () => {
	it.each(LOCALES)('GIVEN %s THEN it has every English key, no other, none empty', (locale) => {
		const catalog: Record<string, string> = CATALOGS[locale];
		expect(sorted(Object.keys(catalog))).toEqual(sorted(KEYS));
		expect(KEYS.filter((key) => !catalog[key]?.trim())).toEqual([]);
	});

	it.each(LOCALES)('GIVEN %s THEN each text has the same placeholders as the English one', (locale) => {
		const catalog: Record<string, string> = CATALOGS[locale];
		const differing = KEYS.filter(
			(key) =>
				JSON.stringify(sorted(placeholdersOf(catalog[key] ?? ''))) !== JSON.stringify(sorted(placeholdersOf(en[key]))),
		);
		expect(differing).toEqual([]);
	});

	it('GIVEN a command or option name THEN English is the name the code reads and every locale has one Discord accepts', () => {
		const names = KEYS.filter((key) => key.startsWith('cmd.') && key.endsWith('.name'));
		expect(names.length).toBeGreaterThan(50);
		for (const key of names) {
			expect(en[key], key).toBe(key.split('.').at(-2));
			for (const locale of LOCALES) {
				const name = CATALOGS[locale][key];
				expect(NAME.test(name) && name === name.toLowerCase(), `${locale} ${key}: ${name}`).toBe(true);
			}
		}
	});

	it('GIVEN the options of one command (or the commands themselves) THEN their names differ in every locale', () => {
		const names = KEYS.filter((key) => key.startsWith('cmd.') && key.endsWith('.name'));
		const parentOf = (key: string) => key.split('.').slice(0, -2).join('.');
		for (const locale of LOCALES) {
			const seen = new Map<string, string>();
			for (const key of names) {
				const slot = `${parentOf(key)}/${CATALOGS[locale][key]}`;
				expect(seen.get(slot), `${locale}: ${key} and ${seen.get(slot)} share a name`).toBeUndefined();
				seen.set(slot, key);
			}
		}
	});

	it('GIVEN descriptions and choices THEN each fits Discord’s 100 characters in every locale', () => {
		const shown = KEYS.filter((key) => key.startsWith('cmd.') && !key.endsWith('.name'));
		for (const locale of LOCALES)
			for (const key of shown) expect(CATALOGS[locale][key].length, `${locale} ${key}`).toBeLessThanOrEqual(100);
	});
});

describe('choosing the language', () => {
	it('GIVEN the member’s client language THEN it wins; else the server’s; else English', () => {
		expect(pickLocale('zh-CN', 'en-US')).toBe('zh-CN');
		expect(pickLocale('es-419', null)).toBe('es');
		expect(pickLocale('es-ES', 'ja')).toBe('es');
		expect(pickLocale('fr', 'pt-BR')).toBe('pt-BR');
		expect(pickLocale('fr', 'de')).toBe('en');
		expect(pickLocale('en-GB', 'ja')).toBe('en');
		expect(catalogLocale('zh-TW')).toBeUndefined();
	});

	it('GIVEN a localization map THEN it names each Discord locale code the bot speaks, Spanish under both', () => {
		const map = localizations('cmd.song.desc');
		expect(Object.keys(map).sort()).toEqual(['es-419', 'es-ES', 'ja', 'pt-BR', 'zh-CN']);
		expect(map['zh-CN']).toBe(CATALOGS['zh-CN']['cmd.song.desc']);
	});
});

describe('rendering', () => {
	it('GIVEN a time and a channel THEN Discord gets its markup and plain text none', () => {
		const until = Date.UTC(2026, 10, 22, 12, 0, 30);
		expect(t('zh-CN', 'error.quota.cooldown', { cooldownSec: 30, until })).toBe(
			`慢一点：每人每 30 秒只能做一首歌。<t:${until / 1000}:R>再试吧。`,
		);
		const plain = plainText(msg('error.quota.cooldown', { cooldownSec: 30, until }));
		expect(plain).toBe(
			'Slow down a little: one song every 30 seconds per person. Try again at 2026-11-22 12:00:30 UTC.',
		);
		expect(DISCORD_FORMATS.channel('42')).toBe('<#42>');
		// Paid calls are named by cost key in the reader's language.
		const short = { cost: 2, what: 'extend+lyrics', left: 1, limit: 3, resetAt: until };
		expect(t('zh-CN', 'error.quota.user_short', short)).toContain('（续写和歌词）');
		expect(plainText(msg('error.quota.user_short', short))).toContain('(extension and lyrics)');
	});

	it('GIVEN a provider failure THEN its kind’s text is translated and a provider’s own words are quoted as they are', () => {
		expect(providerErrorText(new ProviderError({ kind: 'credits' }), 'ja')).toBe(CATALOGS.ja['provider.credits']);
		const own = new ProviderError({ kind: 'invalid_input', userMessage: 'The provider says: lyrics too long.' });
		expect(providerErrorText(own, 'zh-CN')).toBe('The provider says: lyrics too long.');
		// A task's stored failure ({ kind, message }) too.
		const stored = { kind: 'rate_limited', message: CATALOGS.en['provider.rate_limited'] };
		expect(providerErrorText(stored, 'es')).toBe(CATALOGS.es['provider.rate_limited']);
	});
});
