import { describe, expect, it } from 'vitest';
import { deliveryMarker } from '../../../src/core/records.ts';
import { decodeCustomId } from '../../../src/discord/custom-id.ts';
import { renderTake, type TakeView } from '../../../src/discord/views/take.ts';

const view: TakeView = {
	taskId: 'task_1',
	clipId: '0f6a1b2c-3d4e-4f50-8a9b-0c1d2e3f4a5b',
	take: 1,
	takes: 2,
	title: 'Sunrise',
	style: 'folk, warm',
	durationSec: 125,
	model: 'v5',
	lyrics: '[Verse]\nHello morning',
	requesterId: '222222222222222222',
	mention: true,
	contributors: [
		{ role: 'asked', userId: '222222222222222222' },
		{ role: 'lyrics', userId: '333333333333333333' },
	],
	lineage: 'extends *Dawn* at 1:20',
	audio: { kind: 'original' },
	actions: { extend: true, remix: true, play: true, fullSong: false },
};

describe('renderTake', () => {
	it('GIVEN an Arabic, a Hebrew or a markdown title THEN the title is isolated and escaped, and the take number stays after it', () => {
		expect(renderTake({ ...view, title: 'أغنية الصباح', mention: false }).content).toBe(
			'**\u2068أغنية الصباح\u2069** · take 1 of 2',
		);
		expect(renderTake({ ...view, title: 'שיר הבוקר', mention: false }).content).toBe(
			'**\u2068שיר הבוקר\u2069** · take 1 of 2',
		);
		expect(renderTake({ ...view, title: '**Loud** _song_', mention: false }).content).toBe(
			'**\u2068\\*\\*Loud\\*\\* \\_song\\_\u2069** · take 1 of 2',
		);
	});

	it('GIVEN a take THEN mentions the requester and credits every contributor', () => {
		const { content, embeds } = renderTake(view);
		expect(content).toBe('<@222222222222222222> your song is ready: **\u2068Sunrise\u2069** · take 1 of 2');
		const fields = embeds[0]!.fields!;
		expect(fields.find((f) => f.name === 'Made by')?.value).toBe(
			'asked by <@222222222222222222> · lyrics by <@333333333333333333>',
		);
		expect(fields.find((f) => f.name === 'Length')?.value).toBe('2:05');
		expect(fields.find((f) => f.name === 'Lineage')?.value).toBe('extends *Dawn* at 1:20');
	});

	it('GIVEN the take THEN the footer carries the delivery marker', () => {
		expect(renderTake(view).embeds[0]!.footer?.text).toContain(deliveryMarker('task_1', view.clipId));
	});

	it('GIVEN supported actions THEN shows their buttons with decodable custom ids, hiding the rest', () => {
		const row = renderTake(view).components[0]!;
		const labels = row.components.map((b) => ('label' in b ? b.label : undefined));
		expect(labels).toEqual(['Play', 'Play all', 'Extend', 'Remix', 'Lyrics']);
		for (const b of row.components.filter((c) => 'label' in c && c.label !== 'Play all')) {
			const id = 'custom_id' in b ? decodeCustomId(b.custom_id) : undefined;
			expect(id?.args).toEqual([view.taskId, view.clipId]);
		}
		const noExtras = renderTake({ ...view, actions: { extend: false, remix: false, play: true, fullSong: true } });
		expect(noExtras.components[0]!.components.map((b) => ('label' in b ? b.label : undefined))).toEqual([
			'Play',
			'Play all',
			'Lyrics',
			'Full song',
		]);
		const full = renderTake({ ...view, actions: { extend: true, remix: true, play: true, fullSong: true } });
		// Discord allows five buttons in a row: Play all gives way.
		expect(full.components[0]!.components.map((b) => ('label' in b ? b.label : undefined))).toEqual([
			'Play',
			'Extend',
			'Remix',
			'Lyrics',
			'Full song',
		]);
		const single = renderTake({ ...view, takes: 1 });
		expect(single.components[0]!.components.map((b) => ('label' in b ? b.label : undefined))).not.toContain('Play all');
	});

	it('GIVEN a second take THEN nobody is mentioned again', () => {
		expect(renderTake({ ...view, take: 2, mention: false }).content).toBe('**\u2068Sunrise\u2069** · take 2 of 2');
	});

	it('GIVEN audio that had to be re-encoded or linked THEN says which happened', () => {
		const transcoded = renderTake({ ...view, audio: { kind: 'transcoded', bitrateKbps: 96 } });
		expect(JSON.stringify(transcoded.embeds)).toContain('Re-encoded at 96 kb/s');
		const linked = renderTake({
			...view,
			audio: { kind: 'link', url: 'https://x/y.mp3', reason: 'Too large for this server even re-encoded.' },
		});
		expect(JSON.stringify(linked.embeds)).toContain('[Download the take](https://x/y.mp3)');
	});
});
