import { describe, expect, it } from 'vitest';
import { lineageText } from '../../src/discord/request-facts.ts';
import { newRecord } from '../core/records.fixtures.ts';

/** The lineage line of /songs ("extends *X* at 1:20") in the reader's language. */
describe('lineageText', () => {
	const extension = newRecord({ lineage: { type: 'extend', taskId: 'p', clipId: 'c', atSec: 80 } });
	const remix = newRecord({ lineage: { type: 'remix', taskId: 'p', clipId: 'c' } });

	it('GIVEN no language THEN it reads as before, in English', () => {
		expect(lineageText(extension, 'Neon')).toMatch(/^extends \*\u2068?Neon\u2069?\* at 1:20$/);
		expect(lineageText(remix, undefined)).toBe('remix of *an earlier take*');
	});

	it('GIVEN a zh-CN reader THEN the line is in Chinese, the title as it is', () => {
		expect(lineageText(extension, 'Neon', 'zh-CN')).toMatch(/^续写自 \*\u2068?Neon\u2069?\*（从 1:20 起）$/);
		expect(lineageText(remix, undefined, 'zh-CN')).toBe('改编自 *之前的一个版本*');
	});
});
