import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../../../src/i18n/index.ts';
import { renderToolResult, renderToolStatus, studioRows } from '../../../src/discord/views/studio.ts';

const ALL_TOOLS = { split: true, stems: true, wav: true, video: true, replace: true, timestamps: true, persona: true };
const labels = (rows: ReturnType<typeof studioRows>) =>
	rows.flatMap((r) => r.components.map((b) => (b as { label?: string }).label));

describe('the studio views in the server’s language', () => {
	it('GIVEN no language THEN the buttons read as before, in English', () => {
		expect(labels(studioRows(ALL_TOOLS, 't', 'c', { stems: true }))).toEqual([
			'Split',
			'Stems',
			'WAV',
			'Video',
			'Fix a section',
			'House singer',
			'Karaoke',
		]);
	});

	it('GIVEN a provider with Split but no timed lyrics THEN there is no Karaoke (it follows the lyrics line by line)', () => {
		expect(labels(studioRows({ split: true, wav: true }, 't', 'c'))).toEqual(['Split', 'WAV']);
		expect(labels(studioRows({ timestamps: true }, 't', 'c'))).toEqual([]);
		expect(labels(studioRows({ split: true, timestamps: true }, 't', 'c'))).toEqual(['Split', 'Karaoke']);
	});

	it('GIVEN a zh-CN server THEN the tool buttons are in Chinese', () => {
		const zh = CATALOGS['zh-CN'];
		expect(labels(studioRows(ALL_TOOLS, 't', 'c', { locale: 'zh-CN' }))).toEqual([
			zh['studio.button_split'],
			zh['studio.button_wav'],
			zh['studio.button_video'],
			zh['studio.button_fix'],
			zh['studio.button_singer'],
			zh['studio.button_karaoke'],
		]);
	});

	it('GIVEN a ja server WHEN a split failed and was given back THEN the status says so in Japanese', () => {
		const view = renderToolStatus({
			tool: 'split',
			stage: 'failed',
			title: 'Neon',
			take: 2,
			requesterId: '7',
			givenBack: true,
			locale: 'ja',
		});
		expect(view.content).toMatch(/^\*\*\u2068?Neon\u2069?\*\* · テイク 2 · <@7>$/);
		expect(view.embeds?.[0]?.title).toBe(`✂️ ${CATALOGS.ja['studio.tool_split']}`);
		expect(view.embeds?.[0]?.description).toBe(`❌ 失敗しました\n${CATALOGS.ja['studio.given_back']}`);
	});

	it('GIVEN an es server WHEN a WAV is too large THEN the link and the Details button are in Spanish', () => {
		const view = renderToolResult({
			tool: 'wav',
			title: 'Neon',
			markerId: 'm',
			delivery: { kind: 'link', url: 'https://cdn.example/a.wav', tooLarge: true },
			locale: 'es',
		});
		expect(view.embeds[0]?.description).toContain('[descárgalo](https://cdn.example/a.wav)');
		expect((view.components[0]?.components[0] as { label?: string }).label).toBe('Detalles');
	});
});
