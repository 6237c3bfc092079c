import { describe, expect, it } from 'vitest';
import { retryRow } from '../../../src/discord/views/retry.ts';

const labels = (row: ReturnType<typeof retryRow>) => row?.components.map((b) => ('label' in b ? b.label : ''));
const ids = (row: ReturnType<typeof retryRow>) => row?.components.map((b) => ('custom_id' in b ? b.custom_id : ''));

describe('the tracker row that asks for a song again', () => {
	it('GIVEN a finished song that can be asked again THEN one 🔄 Reroll button names its task', () => {
		const row = retryRow({ stage: 'done', taskId: 't1', again: true }, 'en');
		expect(labels(row)).toEqual(['Reroll']);
		expect(ids(row)).toEqual(['song:reroll:t1']);
		expect(labels(retryRow({ stage: 'partial', taskId: 't1', again: true }, 'en'))).toEqual(['Reroll']);
	});

	it('GIVEN a song still running, or one that cannot be asked again (lyrics, a join) THEN no row', () => {
		expect(retryRow({ stage: 'streaming', taskId: 't1', again: true, retry: true }, 'en')).toBeUndefined();
		expect(retryRow({ stage: 'done', taskId: 't1' }, 'en')).toBeUndefined();
	});

	it('GIVEN a failed song THEN Try again and Change and try again; refused words get only the change', () => {
		const row = retryRow({ stage: 'failed', taskId: 't1', again: true, retry: true }, 'en');
		expect(labels(row)).toEqual(['Try again', 'Change and try again']);
		expect(ids(row)).toEqual(['song:rerun:t1', 'song:retry:t1']);
		expect(labels(retryRow({ stage: 'failed', taskId: 't1', retry: true }, 'en'))).toEqual(['Change and try again']);
	});

	it('GIVEN a submit refused before any task existed THEN Change and try again names the kept request', () => {
		const row = retryRow({ stage: 'failed', retryKey: 'k9' }, 'en');
		expect(ids(row)).toEqual(['song:again:k9']);
	});
});
