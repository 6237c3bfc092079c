import { describe, expect, it } from 'vitest';
import { parseFeatures } from '../../src/providers/index.ts';

describe('SUNO_FEATURES', () => {
	it('GIVEN names with or without a - / no- prefix THEN each is declared on or off', () => {
		expect(parseFeatures(' concat , -upload, no-cover,CALLBACKS ')).toEqual({
			concat: true,
			upload: false,
			cover: false,
			callbacks: true,
		});
		expect(parseFeatures(undefined)).toEqual({});
		expect(() => parseFeatures('join')).toThrow(/"join" is not one of upload, concat, cover, callbacks/);
	});
});
