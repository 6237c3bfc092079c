import { describe, expect, it } from 'vitest';
import { CUSTOM_ID_MAX, decodeCustomId, encodeCustomId } from '../../src/discord/custom-id.ts';

describe('custom ids', () => {
	it('GIVEN arguments with separators THEN they round-trip', () => {
		const id = encodeCustomId('song', 'extend', 'task_abc:1', 2);
		expect(decodeCustomId(id)).toEqual({ command: 'song', action: 'extend', args: ['task_abc:1', '2'] });
	});

	it('GIVEN a UUID clip id THEN the custom id stays within Discord’s limit', () => {
		const id = encodeCustomId(
			'take',
			'remix',
			'f1e2d3c4-b5a6-4789-8abc-0123456789ab',
			'task_0123456789abcdef0123456789abcdef',
		);
		expect(id.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
	});

	it('GIVEN arguments that would exceed 100 characters THEN encoding refuses', () => {
		expect(() => encodeCustomId('song', 'x', 'a'.repeat(100))).toThrow(/100/);
	});

	it('GIVEN ids the bot did not make THEN decoding returns undefined', () => {
		expect(decodeCustomId('random')).toBeUndefined();
		expect(decodeCustomId('Song:Play')).toBeUndefined();
		expect(decodeCustomId('song:play:%E0%A4%A')).toBeUndefined();
	});
});
