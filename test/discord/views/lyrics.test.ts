import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../../src/core/records.ts';
import { renderLyricsSheet } from '../../../src/discord/views/lyrics.ts';
import { renderTracker } from '../../../src/discord/views/tracker.ts';

const ALICE = '111111111111111111';

function task(overrides: Partial<TaskRecord>): TaskRecord {
	return {
		v: 1,
		id: 'task-abc',
		family: 'sunoapi',
		kind: 'lyrics',
		request: { action: 'lyrics', prompt: 'a rainy harbour' },
		requester: { userId: ALICE, name: 'alice' },
		place: { guildId: 'g', channelId: 'c', messageId: 'm' },
		state: { status: 'delivered', outcome: 'complete', at: 5 },
		clips: [],
		createdAt: 1,
		updatedAt: 5,
		lastProgressAt: 5,
		...overrides,
	};
}

const labels = (payload: ReturnType<typeof renderLyricsSheet>) =>
	payload.components.map((row) => row.components.map((b) => ('label' in b ? b.label : undefined)));
const ids = (payload: ReturnType<typeof renderLyricsSheet>) =>
	payload.components.flatMap((row) => row.components.map((b) => ('custom_id' in b ? b.custom_id : '')));
const embedChars = (payload: ReturnType<typeof renderLyricsSheet>) =>
	payload.embeds.reduce(
		(n, e) =>
			n +
			(e.title?.length ?? 0) +
			(e.description?.length ?? 0) +
			(e.footer?.text.length ?? 0) +
			(e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
		0,
	);

describe('renderLyricsSheet', () => {
	it('GIVEN one version THEN one sheet with Make a song, Edit and Regenerate', () => {
		const payload = renderLyricsSheet(task({ lyrics: [{ title: 'Harbour', text: 'rain on the docks' }] }), 10);
		expect(payload.embeds).toHaveLength(1);
		expect(payload.embeds[0]?.title).toBe('📝 Harbour');
		expect(labels(payload)).toEqual([['Make a song', 'Edit', 'Regenerate']]);
		expect(ids(payload)).toEqual(['lyrics:make:task-abc:0', 'lyrics:edit:task-abc:0', 'lyrics:regen:task-abc:0']);
	});

	it('GIVEN two versions THEN each gets its sheet and its own Make a song and Edit, Regenerate once', () => {
		const payload = renderLyricsSheet(
			task({
				lyrics: [
					{ title: 'Harbour', text: 'rain on the docks' },
					{ title: 'Pier', text: 'fog on the pier' },
				],
			}),
			10,
		);
		expect(payload.embeds.map((e) => e.title)).toEqual(['📝 Harbour', '📝 Pier']);
		expect(payload.embeds[1]?.footer?.text).toContain('version 2');
		expect(labels(payload)).toEqual([
			['Make a song (v1)', 'Edit (v1)', 'Regenerate'],
			['Make a song (v2)', 'Edit (v2)'],
		]);
		expect(ids(payload)).toContain('lyrics:make:task-abc:1');
	});

	it('GIVEN two very long versions THEN the message stays within Discord’s 6,000 embed characters', () => {
		const long = 'la la la\n'.repeat(600);
		const payload = renderLyricsSheet(
			task({
				request: { action: 'lyrics', prompt: 'x '.repeat(500) },
				lyrics: [
					{ title: 'T'.repeat(200), text: long },
					{ title: 'U'.repeat(200), text: long },
				],
			}),
			10,
		);
		expect(embedChars(payload)).toBeLessThanOrEqual(6000);
	});

	it('GIVEN a provider outage THEN the failure is shown with a Try again button; a refusal gets none', () => {
		const failed = (kind: 'unavailable' | 'content_policy') =>
			renderLyricsSheet(
				task({ state: { status: 'failed', failure: { kind, message: 'Nope.', source: 'provider' }, at: 3 } }),
				10,
			);
		expect(failed('unavailable').embeds[0]?.title).toBe('❌ Lyrics failed');
		expect(failed('unavailable').embeds[0]?.description).toContain('Nope.');
		expect(ids(failed('unavailable'))).toEqual(['lyrics:regen:task-abc:0']);
		expect(failed('content_policy').components).toEqual([]);
	});
});

describe('renderTracker for a lyrics request', () => {
	it('GIVEN no model (lyrics are not songs) THEN no empty Model field and a lyrics title', () => {
		const { embeds } = renderTracker({
			stage: 'submitting',
			requesterId: ALICE,
			model: '',
			mode: 'lyrics',
			startedAt: 0,
			now: 0,
		});
		expect(embeds[0]?.title).toBe('📝 New lyrics');
		expect(JSON.stringify(embeds)).not.toContain('Model');
		expect(embeds[0]?.description).not.toMatch(/ · {2}| · $/);
	});
});
