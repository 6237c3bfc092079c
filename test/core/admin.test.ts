import { describe, expect, it } from 'vitest';
import { filterHit, matchWord, parseWordList, placeRefusal, requestTexts } from '../../src/core/admin.ts';

describe('word filter matching', () => {
	const filter = parseWordList('bad word, damn*, ass, 馬鹿');

	it('GIVEN an admin types a list THEN it is split on commas, trimmed, and duplicates kept once', () => {
		expect(parseWordList(' bad  word ,damn*,\nbad word, , ass')).toEqual(['bad word', 'damn*', 'ass']);
	});

	it('GIVEN case, accents, fullwidth letters or a zero-width space THEN the word is still caught', () => {
		expect(matchWord(filter, 'What a BAD WORD')).toBe('bad word');
		expect(matchWord(filter, 'bád  wörd indeed')).toBe('bad word');
		expect(matchWord(filter, 'ＡＳＳ')).toBe('ass');
		expect(matchWord(filter, 'a\u200Bss')).toBe('ass');
	});

	it('GIVEN a word inside another word THEN it is not caught, unless the entry ends with *', () => {
		expect(matchWord(filter, 'a classic song about grass')).toBeUndefined();
		expect(matchWord(filter, 'a bad wordsmith')).toBeUndefined();
		expect(matchWord(filter, 'badword')).toBeUndefined();
		expect(matchWord(filter, 'the damned river')).toBe('damn*');
		expect(matchWord(filter, 'Damnation!')).toBe('damn*');
		expect(matchWord(filter, 'condamned')).toBeUndefined();
	});

	it('GIVEN a phrase split by punctuation or new lines THEN the words in a row still match', () => {
		expect(matchWord(filter, 'so bad,\nword')).toBe('bad word');
		expect(matchWord(filter, 'bad news, word up')).toBeUndefined();
	});

	it('GIVEN a script written without spaces THEN its entries match anywhere', () => {
		expect(matchWord(filter, 'お前は馬鹿だ')).toBe('馬鹿');
	});

	it('GIVEN a request THEN every text people wrote is checked, and the refusal names the field', () => {
		const texts = requestTexts({
			action: 'generate',
			request: { mode: 'custom', model: 'v4', title: 'Fine', style: 'rock', lyrics: 'la la\nBAD word' },
		});
		expect(texts.map((t) => t.field)).toEqual(['title', 'style', 'lyrics']);
		expect(filterHit({ words: filter }, texts)).toEqual({ entry: 'bad word', field: 'lyrics' });
		expect(filterHit({ words: filter }, requestTexts({ action: 'lyrics', prompt: 'damnit' }))).toEqual({
			entry: 'damn*',
			field: 'theme',
		});
		expect(filterHit({ words: [] }, texts)).toBeUndefined();
		expect(filterHit(undefined, texts)).toBeUndefined();
	});
});

describe('where songs are made, and by whom', () => {
	const place = { channelId: 'general', roleIds: ['fans'], manager: false };

	it('GIVEN no rules THEN anyone makes songs anywhere', () => {
		expect(placeRefusal({}, place)).toBeUndefined();
		expect(placeRefusal({ channelIds: [], roleIds: [] }, place)).toBeUndefined();
	});

	it('GIVEN song channels THEN other channels are refused with the list, and a thread counts as its parent', () => {
		expect(placeRefusal({ channelIds: ['songs', 'jams'] }, place)).toEqual({
			kind: 'channel',
			allowed: ['songs', 'jams'],
		});
		expect(placeRefusal({ channelIds: ['songs'] }, { ...place, channelId: 'songs' })).toBeUndefined();
		expect(
			placeRefusal({ channelIds: ['songs'] }, { ...place, channelId: 'thread', parentId: 'songs' }),
		).toBeUndefined();
	});

	it('GIVEN song roles THEN members without one are refused, members with one or Manage Server are not', () => {
		expect(placeRefusal({ roleIds: ['composers'] }, place)).toEqual({ kind: 'role', allowed: ['composers'] });
		expect(placeRefusal({ roleIds: ['composers', 'fans'] }, place)).toBeUndefined();
		expect(placeRefusal({ roleIds: ['composers'] }, { ...place, manager: true })).toBeUndefined();
		// Managers are not exempt from the channel rule: songs stay in the channels the server chose.
		expect(placeRefusal({ channelIds: ['songs'] }, { ...place, manager: true })?.kind).toBe('channel');
	});
});
