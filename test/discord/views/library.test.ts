import { describe, expect, it } from 'vitest';
import {
	jumpUrl,
	LIBRARY_PAGE_SIZE,
	type LibraryEntry,
	renderEmptyLibrary,
	renderLibraryPage,
} from '../../../src/discord/views/library.ts';

const entry = (n: number, extra: Partial<LibraryEntry> = {}): LibraryEntry => ({
	taskId: `task_${n}`,
	title: `Song ${n}`,
	authorIds: ['111111111111111111'],
	createdAt: Date.UTC(2026, 0, 1) + n * 1000,
	takes: [
		{ clipId: `c${n}a`, take: 1, durationSec: 125, jumpUrl: jumpUrl('1', '2', `${n}01`) },
		{ clipId: `c${n}b`, take: 2 },
	],
	...extra,
});

describe('renderLibraryPage', () => {
	it('GIVEN Arabic, Hebrew and markdown titles THEN each entry isolates and escapes its title, before its date', () => {
		const titles = ['أغنية الصباح', 'שיר הבוקר', '**Loud** _song_'];
		const page = renderLibraryPage({ entries: titles.map((title, i) => entry(i + 1, { title })), page: 0, filter: {} });
		const text = page.embeds[0]?.description ?? '';
		expect(text).toContain('**1. \u2068أغنية الصباح\u2069** · <t:');
		expect(text).toContain('**2. \u2068שיר הבוקר\u2069** · <t:');
		expect(text).toContain('**3. \u2068\\*\\*Loud\\*\\* \\_song\\_\u2069** · <t:');
	});

	it('GIVEN a take with a WAV made in the studio THEN its download link follows that take, and only that take', () => {
		const wavUrl = 'https://cdn.example/song.wav';
		const base = entry(3);
		const takes = [{ ...base.takes[0]!, wavUrl }, base.takes[1]!];
		const text = renderLibraryPage({ entries: [{ ...base, takes }], page: 0, filter: {} }).embeds[0]?.description;
		expect(text).toContain(`[take 1 (2:05)](https://discord.com/channels/1/2/301) ([💾 WAV](${wavUrl})) · take 2`);
		expect(text?.split('💾 WAV')).toHaveLength(2);
	});

	it('GIVEN the second page THEN entries are numbered on from the first page and each take can be opened and played', () => {
		const page = renderLibraryPage({ entries: [entry(7)], page: 1, filter: {}, newerId: 'songs:newer:0::' });
		const text = page.embeds[0]?.description ?? '';
		expect(text).toContain(`**${LIBRARY_PAGE_SIZE + 1}. \u2068Song 7\u2069**`);
		expect(text).toContain('[take 1 (2:05)](https://discord.com/channels/1/2/701) · take 2');
		expect(page.components[0]?.components.map((b) => ('custom_id' in b ? b.custom_id : undefined))).toEqual([
			'play:clip:task_7:c7a',
			'play:clip:task_7:c7b',
			'songs:share:task_7',
		]);
		const paging = page.components[1]?.components ?? [];
		expect(paging.map((b) => ['label' in b ? b.label : undefined, b.disabled])).toEqual([
			['Previous', false],
			['Next', true],
		]);
	});

	it('GIVEN several authors and a lineage THEN both are on the entry; markdown in titles is shown as typed', () => {
		const page = renderLibraryPage({
			entries: [entry(1, { title: 'Night *Drive*', authorIds: ['1', '2'], lineage: 'remix of *Dawn*' })],
			page: 0,
			filter: {},
		});
		const text = page.embeds[0]?.description ?? '';
		expect(text).toContain('**1. \u2068Night \\*Drive\\*\u2069**');
		expect(text).toContain('by <@1> and <@2> · remix of *Dawn*');
	});

	it('GIVEN a single page THEN there is no paging row', () => {
		const page = renderLibraryPage({ entries: [entry(1), entry(2)], page: 0, filter: {} });
		expect(page.components).toHaveLength(2);
	});

	it('GIVEN a vote winner with lyrics, a person filter and Play all THEN the entry has its star, a Lyrics button, and the list a Play all button', () => {
		const page = renderLibraryPage({
			entries: [entry(1, { winner: { take: 2, votes: 3 }, lyricsClipId: 'c1b' })],
			page: 0,
			filter: { by: '42', order: 'top' },
			playAllId: 'songs:playall:0::fabc',
		});
		const text = page.embeds[0]?.description ?? '';
		expect(page.embeds[0]?.title).toBe('⭐ Top songs of this server');
		expect(text).toContain('by <@42>');
		expect(text).toContain('⭐ take 2 won with 3 votes');
		const ids = page.components.flatMap((row) => row.components.map((b) => ('custom_id' in b ? b.custom_id : '')));
		expect(ids).toContain('song:lyrics:task_1:c1b');
		expect(ids.at(-1)).toBe('songs:playall:0::fabc');
	});
});

describe('renderEmptyLibrary', () => {
	it('GIVEN a search without match THEN names the search; without one, invites the first song', () => {
		expect(renderEmptyLibrary({ search: 'zebra' }).content).toContain('No song in this server matches “zebra”');
		expect(renderEmptyLibrary({}).content).toContain('No songs in this server yet');
		expect(renderEmptyLibrary({ order: 'top' }).content).toContain('No song has won a vote yet');
	});
});
