import { describe, expect, it } from 'vitest';
import { renderDetails } from '../../src/discord/song-details.ts';
import { clip, newRecord } from '../core/records.fixtures.ts';

describe('the Details button', () => {
	const style = 'warm analog synths, slow drums, '.repeat(30).trim();
	const record = newRecord({
		id: 'task_abc123',
		request: {
			action: 'generate',
			request: { mode: 'describe', description: 'a song about *rain*', model: 'v5', style },
		},
		clips: [{ ...clip('c1', 'complete', { title: 'Rain' }), take: 1 }],
	});

	it('GIVEN a take THEN its name, the full style, the request and the reference for the operator', () => {
		const [embed] = renderDetails(record, 'c1').embeds;
		expect(embed?.title).toBe('ℹ️ \u2068Rain\u2069');
		expect(embed?.description).toContain(style.slice(-40));
		expect(embed?.description?.length).toBeGreaterThan(900);
		const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
		expect(fields).toMatchObject({
			Model: 'v5',
			Kind: 'from a description',
			Description: 'a song about \\*rain\\*',
			'Reference for the bot operator': '`task_abc123`',
		});
	});

	it('GIVEN the tracker (no take) THEN the song’s title', () => {
		expect(renderDetails(record).embeds[0]?.title).toBe('ℹ️ \u2068Rain\u2069');
	});
});
