import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import { describe, expect, it } from 'vitest';
import { deserialize, serialize } from '../../src/store/serialize.ts';
import { clip } from '../core/records.fixtures.ts';
import { newRecord } from '../core/records.fixtures.ts';

describe('the store’s serializer', () => {
	const record = newRecord({
		clips: [
			{ ...clip('a', 'complete', { title: ':) a song', lyrics: '::double\n[Chorus] :base64:not-a-buffer' }), take: 1 },
		],
		lyrics: [{ title: ':colon', text: 'x' }],
		progressPct: 40,
		place: { guildId: '1', channelId: '2' },
	});
	const stored = { value: record, expires: undefined };

	it('GIVEN records with strings that start with a colon THEN it writes what Keyv’s default writes, and they read back intact', () => {
		expect(serialize(stored)).toBe(defaultSerialize(stored));
		expect(defaultDeserialize(serialize(stored))).toEqual({ value: record });
		const withExpiry = { value: { n: 1, s: ':x', list: [':y', null] }, expires: 123 };
		expect(serialize(withExpiry)).toBe(defaultSerialize(withExpiry));
	});

	it('GIVEN what either serializer wrote, with and without colon strings THEN it reads back what Keyv’s default reads', () => {
		const plain = { value: newRecord({ progressPct: 40 }), expires: undefined };
		const buffer = defaultSerialize({ value: { audio: Buffer.from('abc') } });
		for (const text of [serialize(stored), defaultSerialize(stored), serialize(plain), buffer, 'null']) {
			expect(deserialize(text)).toEqual(defaultDeserialize(text));
		}
		expect(deserialize<{ value: unknown }>(serialize(stored)).value).toEqual(record);
	});
});
