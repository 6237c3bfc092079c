import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/core/records.ts';
import { encodeCustomId } from '../../src/discord/custom-id.ts';
import {
	type LyricsSheet,
	parseRef,
	parseSheet,
	refArgs,
	revise,
	sheetFromTask,
	sheetView,
	songCredits,
	themeOf,
} from '../../src/discord/lyrics-sheet.ts';

const ALICE = '111111111111111111';
const BOB = '222222222222222222';
const CAROL = '333333333333333333';

function lyricsTask(overrides: Partial<TaskRecord> = {}): TaskRecord {
	return {
		v: 1,
		id: 'task-abc',
		family: 'newapi',
		kind: 'lyrics',
		request: { action: 'lyrics', prompt: 'a rainy harbour' },
		requester: { userId: ALICE, name: 'alice' },
		place: { guildId: 'g', channelId: 'c', messageId: 'm' },
		credits: [{ role: 'asked', userId: ALICE }],
		state: { status: 'delivered', outcome: 'complete', at: 5 },
		clips: [],
		lyrics: [
			{ title: 'Harbour', text: '[Verse]\nrain on the docks' },
			{ title: '', text: '[Verse]\nfog on the pier' },
		],
		createdAt: 1,
		updatedAt: 5,
		lastProgressAt: 5,
		finishedAt: 4,
		...overrides,
	};
}

describe('sheet references in custom ids', () => {
	it('GIVEN a task version or a saved revision THEN the custom-id arguments read back to the same sheet', () => {
		const task = { kind: 'task' as const, taskId: '6f1c2a9e-5b1d-4c8e-9f1a-0b2c3d4e5f60', version: 1 };
		const saved = { kind: 'saved' as const, id: 'a1b2c3d4e5f6' };
		expect(parseRef(refArgs(task))).toEqual(task);
		expect(parseRef(refArgs(saved))).toEqual(saved);
		// A UUID task id plus the longest action still fits Discord's 100 characters.
		expect(() => encodeCustomId('lyrics', 'revise', ...refArgs(task))).not.toThrow();
	});

	it('GIVEN arguments the bot never made THEN they are not taken for a sheet', () => {
		expect(parseRef([])).toBeUndefined();
		expect(parseRef(['task-abc'])).toBeUndefined();
		expect(parseRef(['task-abc', 'x'])).toBeUndefined();
		expect(parseRef(['s', '../../etc'])).toBeUndefined();
	});
});

describe('sheetFromTask', () => {
	it('GIVEN a finished lyrics task THEN each version is a sheet credited to who asked, untitled ones named', () => {
		const task = lyricsTask();
		expect(sheetFromTask(task, 0)).toMatchObject({
			title: 'Harbour',
			text: '[Verse]\nrain on the docks',
			theme: 'a rainy harbour',
			authors: [ALICE],
			revisers: [],
			source: { taskId: 'task-abc', version: 0 },
		});
		expect(sheetFromTask(task, 1)?.title).toBe('Untitled lyrics');
		expect(sheetFromTask(task, 2)).toBeUndefined();
	});

	it('GIVEN a failed lyrics task THEN there is no sheet but the theme can still be regenerated', () => {
		const task = lyricsTask({
			lyrics: [],
			state: { status: 'failed', failure: { kind: 'unavailable', message: 'down', source: 'provider' }, at: 3 },
		});
		expect(sheetFromTask(task, 0)).toBeUndefined();
		expect(themeOf(task)).toBe('a rainy harbour');
	});
});

describe('revise', () => {
	const original = sheetFromTask(lyricsTask(), 0) as LyricsSheet;

	it('GIVEN changed lyrics THEN a new revision credits the reviser once, keeping the authors', () => {
		const once = revise(original, { title: 'Harbour', text: 'new words', userId: BOB, now: 10 });
		const twice = once && revise(once, { title: 'Harbour II', text: 'new words', userId: BOB, now: 11 });
		expect(once).toMatchObject({ text: 'new words', authors: [ALICE], revisers: [BOB], revision: 1 });
		expect(twice).toMatchObject({ title: 'Harbour II', revisers: [BOB], revision: 2 });
	});

	it('GIVEN the number the version counter gave THEN the revision takes it, but never falls below its parent', () => {
		const counted = revise(original, { title: 'Harbour', text: 'other words', userId: BOB, now: 10, number: 3 });
		expect(counted?.revision).toBe(3);
		const second =
			counted && revise(counted, { title: 'Harbour', text: 'more words', userId: BOB, now: 11, number: 1 });
		expect(second?.revision).toBe(4);
	});

	it('GIVEN the same title and lyrics (give or take spaces) THEN there is nothing to post', () => {
		expect(revise(original, { title: ' Harbour ', text: `${original.text}\n`, userId: BOB, now: 10 })).toBeUndefined();
	});

	it('GIVEN a stored revision THEN it reads back, and a malformed one is refused', () => {
		const revised = revise(original, { title: 'Harbour', text: 'x', userId: BOB, now: 10 });
		expect(parseSheet(JSON.parse(JSON.stringify(revised)))).toEqual(revised);
		expect(parseSheet({ title: 'Harbour' })).toBeUndefined();
	});
});

describe('songCredits and sheetView', () => {
	const revised = revise(sheetFromTask(lyricsTask(), 0) as LyricsSheet, {
		title: 'Harbour',
		text: 'new words',
		userId: BOB,
		now: 10,
	}) as LyricsSheet;

	it('GIVEN a song made from a revised sheet THEN the asker, author and reviser are all credited', () => {
		expect(songCredits(revised, CAROL, false)).toEqual([
			{ role: 'asked', userId: CAROL },
			{ role: 'lyrics', userId: ALICE },
			{ role: 'edited', userId: BOB },
		]);
		expect(
			songCredits(revised, CAROL, true)
				.filter((c) => c.role === 'edited')
				.map((c) => c.userId),
		).toEqual([BOB, CAROL]);
	});

	it('GIVEN a revision THEN the sheet says who wrote it, about what, and who revised it', () => {
		const view = sheetView(revised, { kind: 'saved', id: 'abc123' });
		expect(view.credit).toBe(`written with <@${ALICE}> about “a rainy harbour” · revised by <@${BOB}>`);
		expect(view.footer).toBe('version 1, revision 1');
		expect(view.ref).toEqual(['s', 'abc123']);
	});
});
