import { describe, expect, it } from 'vitest';
import {
	clock,
	escapeMarkdown,
	fileName,
	inlineTitle,
	listOf,
	progressBar,
	truncate,
} from '../../../src/discord/views/format.ts';

describe('format helpers', () => {
	it('GIVEN durations THEN renders m:ss and h:mm:ss', () => {
		expect(clock(0)).toBe('0:00');
		expect(clock(80.4)).toBe('1:20');
		expect(clock(3725)).toBe('1:02:05');
	});

	it('GIVEN a percentage THEN the bar is proportional and clamped', () => {
		expect(progressBar(50, 10)).toBe('▰▰▰▰▰▱▱▱▱▱ 50%');
		expect(progressBar(140, 4)).toBe('▰▰▰▰ 100%');
	});

	it('GIVEN long text THEN truncates on a boundary within the limit', () => {
		const text = 'one two three four five six seven';
		const out = truncate(text, 16);
		expect(out.length).toBeLessThanOrEqual(16);
		expect(out).toBe('one two three…');
		expect(truncate('short', 16)).toBe('short');
	});

	it('GIVEN markdown in user text THEN it is escaped', () => {
		expect(escapeMarkdown('**bold** _x_ `c`')).toBe('\\*\\*bold\\*\\* \\_x\\_ \\`c\\`');
	});

	it('GIVEN an Arabic or a Hebrew title THEN it is isolated, so the words after it keep their order', () => {
		// Without the isolates, a right-to-left title pulls the take number after it into its own run.
		expect(inlineTitle('أغنية الصباح')).toBe('\u2068أغنية الصباح\u2069');
		expect(inlineTitle('שיר הבוקר 2')).toBe('\u2068שיר הבוקר 2\u2069');
	});

	it('GIVEN a title with ** and _ THEN it is escaped inside the isolates and shows as typed', () => {
		expect(inlineTitle('**Loud** _song_')).toBe('\u2068\\*\\*Loud\\*\\* \\_song\\_\u2069');
	});

	it('GIVEN a long title full of markdown THEN the escaped title fits the room and the isolates are kept whole', () => {
		const out = inlineTitle('*'.repeat(300), 80);
		expect(out.length).toBeLessThanOrEqual(82);
		expect(out.startsWith('\u2068')).toBe(true);
		expect(out.endsWith('\u2069')).toBe(true);
		// Never a lone backslash at the cut, which would escape the closing mark's neighbour.
		expect(out.slice(1, -1)).toMatch(/^(\\\*)+…$/);
	});

	it('GIVEN an Arabic or a Hebrew title THEN the file name carries no isolates', () => {
		expect(fileName('أغنية الصباح', '(take 1)', 'mp3')).toBe('أغنية الصباح (take 1).mp3');
		expect(fileName('שיר הבוקר', '', 'mp3')).toBe('שיר הבוקר.mp3');
	});

	it('GIVEN a title with path characters THEN the file name is safe', () => {
		expect(fileName('AC/DC: "Live"?', '(take 1)', 'mp3')).toBe('AC DC Live (take 1).mp3');
		expect(fileName('   ', '', 'mp3')).toBe('song.mp3');
	});

	it('GIVEN names THEN lists them in prose', () => {
		expect(listOf(['a'])).toBe('a');
		expect(listOf(['a', 'b', 'c'])).toBe('a, b and c');
	});
});
