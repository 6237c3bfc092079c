import { describe, expect, it } from 'vitest';
import { chargeFor, costKeyOf, DEFAULT_COSTS } from '../../src/core/costs.ts';

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
});
