import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import {
	checkAudioAttachment,
	extendFields,
	resolveContinueAt,
	UPLOAD_MAX_BYTES,
} from '../../src/discord/extend-input.ts';

function refusal(run: () => unknown): UserError {
	try {
		run();
	} catch (error) {
		if (error instanceof UserError) return error;
		throw error;
	}
	throw new Error('expected a UserError');
}

describe('where an extension continues from', () => {
	it('GIVEN nothing typed THEN it is the last whole second inside the take', () => {
		expect(resolveContinueAt('', 12)).toBe(11);
		expect(resolveContinueAt(undefined, 104.88)).toBe(104);
	});

	it('GIVEN nothing typed for a file of unknown length THEN the provider decides', () => {
		expect(resolveContinueAt('  ', undefined)).toBeUndefined();
	});

	it('GIVEN m:ss or seconds inside the take THEN those seconds', () => {
		expect(resolveContinueAt('1:20', 125)).toBe(80);
		expect(resolveContinueAt('7.5', 12)).toBe(7.5);
	});

	it('GIVEN a time at or past the end, or at the start THEN a clear refusal naming the end', () => {
		for (const typed of ['0:12', '13', '0', '0:00']) {
			const error = refusal(() => resolveContinueAt(typed, 12));
			expect(error.id).toBe('input.time-range');
			expect(error.message).toContain('before the end of the take (0:12)');
		}
		expect(resolveContinueAt('500', undefined)).toBe(500);
	});

	it('GIVEN text that is no time THEN says how to write one', () => {
		const error = refusal(() => resolveContinueAt('soon', 12));
		expect(error.id).toBe('input.time');
		expect(error.message).toContain('m:ss (1:20)');
	});
});

describe('the fields of an extension', () => {
	const source = { title: 'Tide', style: 'folk', instrumental: false };

	it('GIVEN no lyrics and the style left as it was THEN nothing is sent and the take carries on as it is', () => {
		expect(extendFields({ style: 'folk' }, source)).toEqual({});
		expect(extendFields({}, source)).toEqual({});
	});

	it('GIVEN new lyrics THEN they go with the title and style of the take', () => {
		expect(extendFields({ lyrics: ' [Bridge] ', style: 'folk' }, source)).toEqual({
			lyrics: '[Bridge]',
			style: 'folk',
			title: 'Tide',
		});
	});

	it('GIVEN a new style on an instrumental take THEN the extension stays instrumental', () => {
		expect(extendFields({ style: 'jazz' }, { ...source, instrumental: true })).toEqual({
			style: 'jazz',
			title: 'Tide',
			instrumental: true,
		});
	});
});

describe('attached audio files', () => {
	it('GIVEN an mp3 THEN it is accepted and named after the file', () => {
		expect(checkAudioAttachment({ name: 'porch demo.mp3', contentType: 'audio/mpeg', size: 1000 })).toBe('porch demo');
		expect(checkAudioAttachment({ name: 'x.flac', contentType: null, size: 1000 })).toBe('x');
	});

	it('GIVEN a file that is not audio THEN refused by name', () => {
		const error = refusal(() => checkAudioAttachment({ name: 'notes.txt', contentType: 'text/plain', size: 5 }));
		expect(error.id).toBe('upload.not-audio');
		expect(error.message).toContain('“notes.txt” is not an audio file');
	});

	it('GIVEN a file over the limit or empty THEN refused with the sizes', () => {
		const big = refusal(() =>
			checkAudioAttachment({ name: 'a.mp3', contentType: 'audio/mpeg', size: UPLOAD_MAX_BYTES + 1 }),
		);
		expect(big.message).toContain('up to 25 MB');
		expect(refusal(() => checkAudioAttachment({ name: 'a.mp3', contentType: 'audio/mpeg', size: 0 })).id).toBe(
			'upload.empty',
		);
	});
});
