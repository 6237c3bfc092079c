import { describe, expect, it } from 'vitest';
import { addSection, type Jam, newJam, SECTION_MAX, suggestStyle, withPart } from '../../../src/core/jam.ts';
import { renderJamSheet } from '../../../src/discord/views/jam.ts';

const ID = '123456789012345678';

/** The longest sheet the rules allow, written in Markdown characters (each escaped, so twice as long shown). */
function fullestJam(): Jam {
	let jam = newJam({
		guildId: ID,
		channelId: ID,
		threadId: ID,
		title: '*'.repeat(80),
		theme: '_'.repeat(300),
		style: '~'.repeat(120),
		userId: ID,
		now: 0,
	});
	for (let i = 0; ; i++) {
		const result = addSection(jam, {
			userId: `${ID.slice(0, -2)}${10 + i}`,
			type: 'verse',
			text: '*'.repeat(SECTION_MAX),
			now: i,
		});
		if (!result.ok) break;
		jam = result.jam;
	}
	for (let i = 0; i < 10; i++) {
		const result = suggestStyle(jam, ID, `${i}${'|'.repeat(99)}`, 100);
		if (result.ok) jam = result.jam;
	}
	return withPart(jam, { taskId: 't', sectionIds: jam.sections.map((s) => s.id), askedBy: ID }, 200);
}

const embedSize = (embed: {
	title?: string;
	description?: string;
	fields?: { name: string; value: string }[];
	footer?: { text: string };
}) =>
	(embed.title ?? '').length +
	(embed.description ?? '').length +
	(embed.footer?.text ?? '').length +
	(embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);

describe('jam sheet view', () => {
	it('GIVEN the fullest sheet the rules allow, all in Markdown characters THEN it fits one Discord message', () => {
		const jam = fullestJam();
		expect(jam.sections.length).toBeGreaterThan(5);
		const { embeds, components } = renderJamSheet(jam, { concat: true });
		const [embed] = embeds;
		expect(embedSize(embed ?? {})).toBeLessThanOrEqual(6000);
		for (const field of embed?.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
		expect(components.length).toBeLessThanOrEqual(5);
		// Every section keeps its writer line even when its words are shortened to fit.
		const sections = embed?.fields?.slice(0, jam.sections.length) ?? [];
		for (const [i, field] of sections.entries())
			expect(field.value).toMatch(new RegExp(`^-# by <@${jam.sections[i]?.authorId}>`));
	});

	it('GIVEN a closed jam THEN the sheet has no buttons', () => {
		const jam = { ...fullestJam(), closedAt: 1 };
		expect(renderJamSheet(jam, { concat: true }).components).toEqual([]);
	});
	it('offers Full song once there are two parts, not again for the same parts, and again after a new part', () => {
		const labels = (jam: Jam, concat = true) =>
			renderJamSheet(jam, { concat }).components.flatMap((row) =>
				row.components.flatMap((c) => ('label' in c && c.label ? [c.label] : [])),
			);
		const one = withPart(
			newJam({ guildId: ID, channelId: ID, threadId: ID, title: 't', theme: 't', style: 's', userId: ID, now: 0 }),
			{ taskId: 'a', sectionIds: [], askedBy: ID },
			1,
		);
		expect(labels(one)).not.toContain('Full song');
		const two = withPart(one, { taskId: 'b', sectionIds: [], askedBy: ID }, 2);
		expect(labels(two)).toContain('Full song');
		expect(labels(two, false)).not.toContain('Full song');
		const joined = { ...two, fullSongTaskId: 'c', fullSongParts: 2 };
		expect(labels(joined)).not.toContain('Full song');
		expect(labels(withPart(joined, { taskId: 'd', sectionIds: [], askedBy: ID }, 3))).toContain('Full song');
	});
});
