import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGS } from '../../src/i18n/index.ts';
import { type Rig, startRig } from './rig.ts';

/** The studio tools in the member's language (issue 15, phase 2 of the catalog), on a family-B provider. */
describe('the studio tools in the member’s language (family B)', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a zh-CN member WHEN they boost a style THEN the offer and its buttons are in Chinese', async () => {
		const zh = CATALOGS['zh-CN'];
		const bob = rig.double.user('bob').setLocale('zh-CN');
		try {
			const slash = await bob.runSlash('song', { mode: 'custom', boost_style: true });
			const form = await slash.modal();
			const offer = await (await form.submit({ lyrics: '[Verse]\n雨夜', style: 'sad synthwave', title: '雨' })).reply();
			expect(offer.ephemeral).toBe(true);
			expect(offer.text).toMatch(/^✨ \*\*扩写后的风格\*\*\n> sad synthwave, /);
			expect(offer.text).toContain('你原来写的是：*sad synthwave*');
			expect(offer.text).not.toContain('Boosted style');
			expect(offer.buttons).toEqual([zh['studio.boost_use'], zh['studio.boost_edit'], zh['studio.boost_keep']]);
			// Nothing is made before the member chooses, whatever the language.
			expect(rig.fake.requestsOf('generate')).toHaveLength(0);
			// Edit reopens the form in the member's language too, with the boosted style in it.
			const edit = await (await bob.click(offer, zh['studio.boost_edit'])).modal();
			expect(edit.title).toBe(zh['form.song_title']);
			expect(edit.field('style').value).toMatch(/^sad synthwave, /);
		} finally {
			bob.setLocale('en-US');
		}
	});
});
