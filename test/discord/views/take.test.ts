import { describe, expect, it } from 'vitest';
import { decodeCustomId } from '../../../src/discord/custom-id.ts';
import { renderTake, takeMarkerId, type TakeView } from '../../../src/discord/views/take.ts';

const view: TakeView = {
	taskId: 'task_1',
	clipId: '0f6a1b2c-3d4e-4f50-8a9b-0c1d2e3f4a5b',
	take: 1,
	takes: 2,
	title: 'Sunrise',
	name: 'Sunrise (extended at 1:20) · take 1',
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

const labels = (row: { components: unknown[] } | undefined) =>
	(row?.components ?? []).map((b) => (b as { label?: string }).label);

describe('renderTake', () => {
	it('GIVEN an Arabic, a Hebrew or a markdown name THEN the name is isolated and escaped', () => {
		expect(renderTake({ ...view, name: 'أغنية الصباح · take 1', mention: false }).content).toBe(
			'**\u2068أغنية الصباح · take 1\u2069**',
		);
		expect(renderTake({ ...view, name: '**Loud** _song_ · take 1', mention: false }).content).toBe(
			'**\u2068\\*\\*Loud\\*\\* \\_song\\_ · take 1\u2069**',
		);
	});

	it('GIVEN a take THEN mentions the requester once and puts credits, lineage and length in one line', () => {
		const { content, embeds } = renderTake(view);
		expect(content).toBe(
			'<@222222222222222222> your song is ready: **\u2068Sunrise \\(extended at 1:20\\) · take 1\u2069**',
		);
		const [about] = embeds[0]!.description!.split('\n');
		expect(about).toBe(
			'asked by <@222222222222222222> · lyrics by <@333333333333333333> · extends *Dawn* at 1:20 · 2:05 · v5',
		);
		expect(embeds[0]!.title).toBe('Sunrise (extended at 1:20) · take 1');
		expect(embeds[0]!.fields).toBeUndefined();
	});

	it('GIVEN lyrics and a 1,000-character style THEN no lyrics are shown and the style is cut to about 150 characters', () => {
		const { embeds } = renderTake({ ...view, style: 'dreamy synth pop, '.repeat(60), lyrics: 'la la '.repeat(500) });
		const text = JSON.stringify(embeds);
		expect(text).not.toContain('la la');
		const style = embeds[0]!.description!.split('\n').find((l) => l.startsWith('**Style:**'))!;
		expect(style.length).toBeLessThanOrEqual(170);
		expect(style.endsWith('…')).toBe(true);
	});

	it('GIVEN the take THEN no id is on screen: the delivery marker is the Details button’s custom id', () => {
		const rendered = renderTake(view);
		const visible = JSON.stringify({ content: rendered.content, embeds: rendered.embeds });
		expect(visible).not.toContain(view.taskId);
		expect(visible).not.toContain(view.clipId);
		expect(visible).not.toContain('songbot:');
		const ids = rendered.components.flatMap((r) => r.components.map((b) => ('custom_id' in b ? b.custom_id : '')));
		expect(ids).toContain(takeMarkerId(view.taskId, view.clipId));
	});

	it('GIVEN supported actions THEN the take’s row holds Play, Extend, Remix and the song’s row Lyrics, Details, Play all', () => {
		const { components } = renderTake(view);
		expect(labels(components[0])).toEqual(['Play', 'Extend', 'Remix']);
		expect(labels(components[1])).toEqual(['Lyrics', 'Details', 'Play all']);
		for (const b of components[0]!.components) {
			const id = 'custom_id' in b ? decodeCustomId(b.custom_id) : undefined;
			expect(id?.args).toEqual([view.taskId, view.clipId]);
		}
		const noExtras = renderTake({ ...view, actions: { extend: false, remix: false, play: true, fullSong: true } });
		expect(labels(noExtras.components[0])).toEqual(['Play', 'Full song']);
		const { lyrics: _none, ...instrumental } = view;
		const single = renderTake({ ...instrumental, takes: 1 });
		expect(labels(single.components[1])).toEqual(['Details']);
	});

	it('GIVEN buttons other features add THEN they join the take’s or the song’s row, never past five a row', () => {
		const extra = (label: string) => ({ type: 2 as const, style: 2 as const, label, custom_id: `studio:${label}` });
		const { components } = renderTake({
			...view,
			extraActions: { take: [extra('Split'), extra('WAV'), extra('Video')], song: [extra('Reroll')] },
		});
		expect(labels(components[0])).toEqual(['Play', 'Extend', 'Remix', 'Split', 'WAV']);
		expect(labels(components[1])).toEqual(['Lyrics', 'Details', 'Play all', 'Reroll']);
	});

	it('GIVEN a second take THEN nobody is mentioned again', () => {
		expect(renderTake({ ...view, name: 'Sunrise · take 2', take: 2, mention: false }).content).toBe(
			'**\u2068Sunrise · take 2\u2069**',
		);
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
