import { describe, expect, it } from 'vitest';
import { firstLine } from '../../src/discord/song-form.ts';

describe('the title of a song made from the whole /song form', () => {
	it('GIVEN lyrics with section tags THEN the first sung line is the title', () => {
		expect(firstLine('[Verse]\n  Neon on the rain  \n[Chorus]\nDrive')).toBe('Neon on the rain');
	});

	it('GIVEN only tags or blank lines THEN there is no title to take', () => {
		expect(firstLine('[Intro]\n\n[Outro]')).toBeUndefined();
	});
});
