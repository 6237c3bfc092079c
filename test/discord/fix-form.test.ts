import { describe, expect, it } from 'vitest';
import { ProviderError, UserError } from '../../src/core/errors.ts';
import { fixable } from '../../src/discord/fix-form.ts';

describe('which refusals come with Fix and try again', () => {
	it('GIVEN a refusal a change to the form can fix THEN its words are shown with the button', () => {
		expect(fixable(new UserError('input.style', 'Give the remix a style.'))).toBe('Give the remix a style.');
		expect(fixable(new UserError('admin.words', '🚫 Not here.'))).toBe('🚫 Not here.');
		const input = new ProviderError({ kind: 'invalid_input', userMessage: 'The title is too long.' });
		expect(fixable(input)).toBe('The title is too long.');
	});

	it('GIVEN a refusal no change can fix (gone, unfinished, unsupported, an answer that may have arrived) THEN no button', () => {
		for (const id of ['take.unknown', 'take.unfinished', 'lyrics.gone', 'song.hidden', 'provider.extend', 'guild.only'])
			expect(fixable(new UserError(id, 'no'))).toBeUndefined();
		expect(fixable(new ProviderError({ kind: 'invalid_input', maybeAccepted: true }))).toBeUndefined();
		expect(fixable(new ProviderError({ kind: 'credits' }))).toBeUndefined();
		expect(fixable(new Error('boom'))).toBeUndefined();
	});
});
