import { describe, expect, it } from 'vitest';
import { chargeFor, costKeyOf, DEFAULT_COSTS, type toolCostKey } from '../../src/core/costs.ts';

describe('costKeyOf', () => {
	const generate = { action: 'generate', request: { mode: 'describe', description: 'x', model: 'v5' } } as const;

	it('GIVEN each kind of paid call THEN it pays its own cost, a remix even when it is sent as a new song', () => {
		expect(costKeyOf(generate)).toBe('song');
		expect(costKeyOf(generate, { type: 'remix', taskId: 't', clipId: 'c' })).toBe('remix');
		expect(costKeyOf(generate, { type: 'lyrics-version', taskId: 't', version: 0 })).toBe('song');
		expect(costKeyOf({ action: 'cover', request: { sourceAudioUrl: 'https://a/b.mp3', model: 'v5' } })).toBe('remix');
		expect(costKeyOf({ action: 'extend', request: { source: { clipId: 'c' }, model: 'v5' } })).toBe('extend');
		expect(costKeyOf({ action: 'concat', source: { clipId: 'c' } })).toBe('full');
		expect(costKeyOf({ action: 'lyrics', prompt: 'x' })).toBe('lyrics');
		expect(costKeyOf({ action: 'upload', audioUrl: 'https://a/b.mp3' })).toBe('upload');
	});

	it('GIVEN lyrics or an upload THEN they count but do not start the song cooldown', () => {
		expect(chargeFor('lyrics', DEFAULT_COSTS)).toEqual({ cost: 1, cooldown: false, label: 'lyrics', keys: ['lyrics'] });
		expect(chargeFor('upload', { ...DEFAULT_COSTS, upload: 0 })).toMatchObject({ cost: 0, cooldown: false });
		expect(chargeFor('full', DEFAULT_COSTS)).toMatchObject({ cost: 1, cooldown: true });
	});

	it('GIVEN a studio tool THEN it pays its own cost; only a fixed section and your own audio count as songs', () => {
		const source = { taskId: 't', clipId: 'c' };
		const tool = (t: Parameters<typeof toolCostKey>[0]) => costKeyOf({ action: 'tool', tool: t });
		expect(tool({ tool: 'split', request: { source } })).toBe('split');
		expect(tool({ tool: 'split', request: { source, stems: true } })).toBe('stems');
		expect(tool({ tool: 'wav', source })).toBe('wav');
		expect(tool({ tool: 'video', source })).toBe('video');
		const section = { source, lyrics: 'la', style: 'pop', title: 'T', fromSec: 0, toSec: 6 };
		expect(tool({ tool: 'replace', request: section })).toBe('fix');
		const own = { sourceAudioUrl: 'https://a/b.mp3', title: 'T', style: 'soul', model: 'v5' };
		expect(tool({ tool: 'addVocals', request: own })).toBe('own_audio');
		expect(chargeFor('stems', { ...DEFAULT_COSTS, stems: 5 })).toEqual({
			cost: 5,
			cooldown: false,
			label: 'split into stems',
			keys: ['stems'],
		});
		expect(chargeFor('wav', DEFAULT_COSTS)).toMatchObject({ cost: 1, cooldown: false });
		expect(chargeFor('fix', DEFAULT_COSTS)).toMatchObject({ cost: 1, cooldown: true });
		expect(chargeFor('own_audio', DEFAULT_COSTS)).toMatchObject({ cooldown: true });
	});
});
