import { describe, expect, it } from 'vitest';
import {
	extendModal,
	fieldText,
	latestContinueAt,
	parseTime,
	remixModal,
	songModal,
} from '../../src/discord/modals.ts';

const limits = { description: 500, lyrics: 5000, style: 1000, title: 80, negativeStyle: 200, lyricsPrompt: 200 };

function inputs(m: { components: unknown[] }) {
	return m.components.map((row) => (row as { components: Record<string, unknown>[] }).components[0]!);
}

describe('modals', () => {
	it('GIVEN describe mode THEN asks for a description within the provider limit, style and title optional', () => {
		const fields = inputs(songModal('song:submit', 'describe', limits, { instrumental: false, negativeStyle: true }));
		expect(fields.map((f) => [f.custom_id, f.required, f.max_length])).toEqual([
			['description', true, 500],
			['style', false, 1000],
			['title', false, 80],
		]);
	});

	it('GIVEN lyrics mode THEN asks for lyrics (capped at Discord’s 4000), style, title and styles to avoid', () => {
		const fields = inputs(songModal('song:submit', 'custom', limits, { instrumental: false, negativeStyle: true }));
		expect(fields.map((f) => [f.custom_id, f.max_length])).toEqual([
			['lyrics', 4000],
			['style', 1000],
			['title', 80],
			['avoid', 200],
		]);
	});

	it('GIVEN an instrumental on a provider without negative styles THEN has no lyrics and no avoid field', () => {
		const fields = inputs(songModal('song:submit', 'custom', limits, { instrumental: true, negativeStyle: false }));
		expect(fields.map((f) => f.custom_id)).toEqual(['style', 'title']);
	});

	it('GIVEN a prefill THEN fields carry the values', () => {
		const fields = inputs(
			songModal('song:submit', 'custom', limits, {
				instrumental: false,
				negativeStyle: false,
				prefill: { lyrics: 'la la', title: 'T' },
			}),
		);
		expect(fields[0]!.value).toBe('la la');
		expect(fields[2]!.value).toBe('T');
	});

	it('GIVEN a take THEN the extend form defaults to its end and pre-fills its style', () => {
		const fields = inputs(extendModal('extend:submit:c', limits, { title: 'Dawn', durationSec: 95.4, style: 'folk' }));
		expect(fields[0]!.value).toBe('1:35');
		expect(fields[0]!.label).toContain('1:35');
		expect(fields[2]!.value).toBe('folk');
	});

	it('GIVEN a take of a whole number of seconds THEN the default is its last second, inside the take', () => {
		const fields = inputs(extendModal('extend:submit:c', limits, { title: 'Dawn', durationSec: 95 }));
		expect(fields[0]!.value).toBe('1:34');
		expect(latestContinueAt(95)).toBe(94);
		expect(latestContinueAt(0.6)).toBeUndefined();
	});

	it('GIVEN a take THEN the remix form pre-fills lyrics, style and title', () => {
		const m = remixModal('remix:submit:c', limits, { title: 'Dawn', lyrics: 'words', style: 'folk' });
		expect(inputs(m).map((f) => f.value)).toEqual(['folk', 'words', 'Dawn']);
		expect(m.title).toBe('Remix “Dawn”');
	});

	it('GIVEN time text THEN parses m:ss, h:mm:ss and seconds', () => {
		expect(parseTime('1:20')).toBe(80);
		expect(parseTime('75.5')).toBe(75.5);
		expect(parseTime('1:02:03')).toBe(3723);
		expect(parseTime('abc')).toBeUndefined();
		expect(parseTime('1:2')).toBeUndefined();
	});

	it('GIVEN a submitted form THEN a field reads trimmed, blank and missing fields read as nothing', () => {
		const values: Record<string, string> = { style: '  folk ', lyrics: '   ' };
		const submitted = {
			fields: {
				getTextInputValue(id: string) {
					const value = values[id];
					if (value === undefined) throw new Error(`no field ${id}`);
					return value;
				},
			},
		};
		expect(fieldText(submitted, 'style')).toBe('folk');
		expect(fieldText(submitted, 'lyrics')).toBeUndefined();
		expect(fieldText(submitted, 'title')).toBeUndefined();
	});
});
