import { describe, expect, it } from 'vitest';
import {
	addSection,
	editSection,
	isIdle,
	jamCredits,
	lyricsOf,
	pollStyles,
	SECTIONS_MAX,
	suggestStyle,
	undoable,
	undoLast,
	unsungSections,
	withPart,
	writersBySection,
} from '../../src/core/jam.ts';
import { aJam, ok } from './jam-steps.ts';

describe('jam sheet', () => {
	it('GIVEN sections by three writers THEN the lyrics carry section tags in order and each writer is credited', () => {
		let jam = ok(addSection(aJam(), { userId: 'alice', type: 'verse', text: ' Lanterns swing ', now: 1 }));
		jam = ok(addSection(jam, { userId: 'bob', type: 'pre-chorus', text: 'Rising tide', now: 2 }));
		jam = ok(addSection(jam, { userId: 'carol', type: 'chorus', text: 'Bring us home', now: 3 }));
		jam = ok(editSection(jam, 3, { userId: 'alice', type: 'chorus', text: 'Lead us home', now: 4 }));
		expect(lyricsOf(jam.sections)).toBe(
			'[Verse]\nLanterns swing\n\n[Pre-Chorus]\nRising tide\n\n[Chorus]\nLead us home',
		);
		expect(writersBySection(jam).map((w) => w.writers)).toEqual([['alice'], ['bob'], ['carol', 'alice']]);
		expect(jamCredits(jam, 'bob')).toEqual([
			{ role: 'asked', userId: 'bob' },
			{ role: 'lyrics', userId: 'alice' },
			{ role: 'lyrics', userId: 'bob' },
			{ role: 'lyrics', userId: 'carol' },
		]);
		expect(jam.lastActivityAt).toBe(4);
	});

	it('GIVEN an edit and an add WHEN undone twice THEN the sheet is as before both, each change undone once, the history kept', () => {
		let jam = ok(addSection(aJam(), { userId: 'alice', type: 'verse', text: 'one', now: 1 }));
		jam = ok(editSection(jam, 1, { userId: 'bob', type: 'bridge', text: 'two', now: 2 }));
		jam = ok(addSection(jam, { userId: 'carol', type: 'outro', text: 'three', now: 3 }));
		jam = ok(undoLast(jam, 'bob', 4));
		expect(jam.sections.map((s) => s.text)).toEqual(['two']);
		jam = ok(undoLast(jam, 'bob', 5));
		expect(jam.sections).toEqual([{ id: 1, type: 'verse', text: 'one', authorId: 'alice', editorIds: [] }]);
		expect(jam.history.map((c) => [c.action, c.undone ?? false])).toEqual([
			['add', false],
			['edit', true],
			['add', true],
			['undo', false],
			['undo', false],
		]);
		expect(undoable(jam)?.action).toBe('add');
		jam = ok(undoLast(jam, 'bob', 6));
		expect(undoLast(jam, 'bob', 7)).toEqual({ ok: false, reason: 'nothing-to-undo' });
	});

	it('refuses empty words, unchanged edits, unknown sections, a full sheet and changes to a closed jam', () => {
		const jam = ok(addSection(aJam(), { userId: 'a', type: 'verse', text: 'x', now: 1 }));
		const edit = { userId: 'a', type: 'verse' as const, text: 'x', now: 2 };
		expect(addSection(jam, { ...edit, text: '  ' })).toEqual({ ok: false, reason: 'empty' });
		expect(editSection(jam, 1, edit)).toEqual({ ok: false, reason: 'unchanged' });
		expect(editSection(jam, 9, { ...edit, text: 'y' })).toEqual({ ok: false, reason: 'no-section' });
		let full = jam;
		for (let i = 1; i < SECTIONS_MAX; i++) full = ok(addSection(full, { ...edit, text: `${i}` }));
		expect(addSection(full, edit)).toEqual({ ok: false, reason: 'full' });
		expect(addSection({ ...jam, closedAt: 5 }, edit)).toEqual({ ok: false, reason: 'closed' });
	});

	it('GIVEN a first part WHEN sections are added THEN only those are left for the next part', () => {
		let jam = ok(addSection(aJam(), { userId: 'a', type: 'verse', text: 'one', now: 1 }));
		jam = withPart(jam, { taskId: 'task1', sectionIds: [1], askedBy: 'b' }, 2);
		jam = ok(addSection(jam, { userId: 'c', type: 'chorus', text: 'two', now: 3 }));
		expect(unsungSections(jam).map((s) => s.text)).toEqual(['two']);
	});

	it('GIVEN style suggestions THEN the poll offers the jam’s style first and no repeats', () => {
		let jam = ok(suggestStyle(aJam(), 'b', 'synthwave', 1));
		expect(suggestStyle(jam, 'c', 'SYNTHWAVE', 2)).toEqual({ ok: false, reason: 'unchanged' });
		jam = ok(suggestStyle(jam, 'c', 'Sea Shanty ', 3));
		expect(pollStyles(jam)).toEqual(['sea shanty', 'synthwave']);
	});

	it('is idle once the configured time passed since the last change, and never once closed', () => {
		const jam = ok(addSection(aJam(), { userId: 'a', type: 'verse', text: 'x', now: 1_000 }));
		expect(isIdle(jam, 60_999, 60_000)).toBe(false);
		expect(isIdle(jam, 61_000, 60_000)).toBe(true);
		expect(isIdle({ ...jam, closedAt: 2_000 }, 99_000, 60_000)).toBe(false);
	});
});
