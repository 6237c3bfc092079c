import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../../src/core/records.ts';
import { standingPing } from '../../../src/discord/pings.ts';
import { takeName, takeFileName } from '../../../src/core/take-name.ts';
import { type CardTake, takeWords } from '../../../src/discord/views/card.ts';
import { renderTracker, type TrackerView } from '../../../src/discord/views/tracker.ts';
import { clip, newRecord } from '../../core/records.fixtures.ts';

const take = (n: number, extra: Partial<CardTake> = {}): CardTake => ({
	take: n,
	clipId: `clip-${n}`,
	name: `Night Drive · take ${n}`,
	durationSec: 83,
	actions: { extend: true, remix: true, fullSong: false },
	...extra,
});

const done: TrackerView = {
	taskId: 'task_123',
	detailsId: 'task_123',
	stage: 'done',
	requesterId: '111111111111111111',
	title: 'Night Drive',
	style: 'synthwave, '.repeat(40),
	lyrics: '[Verse]\nHeadlights on the highway',
	model: 'v4.5+',
	mode: 'custom',
	startedAt: 0,
	now: 42_000,
	posted: [1, 2],
	again: true,
	card: [take(1), take(2)],
	imageUrl: 'https://cdn.example/cover.png',
	credits: [
		{ role: 'asked', userId: '111111111111111111' },
		{ role: 'extended', userId: '222222222222222222' },
	],
};

const labels = (payload: ReturnType<typeof renderTracker>) =>
	payload.components.map((row) => row.components.map((b) => ('label' in b ? b.label : '')));

describe('the song card (renderTracker with takes on it)', () => {
	it('GIVEN both takes on the card THEN one row per take, numbered, then the song row with Details last', () => {
		const payload = renderTracker(done);
		expect(labels(payload)).toEqual([
			['Play', 'Extend', 'Remix'],
			['Play', 'Extend', 'Remix'],
			['Lyrics', 'Play all', 'Reroll', 'Details'],
		]);
		const plays = payload.components.slice(0, 2).map((row) => row.components[0]!);
		expect(plays.map((b) => ('emoji' in b ? b.emoji?.name : undefined))).toEqual(['1\uFE0F\u20E3', '2\uFE0F\u20E3']);
		expect(plays.map((b) => ('custom_id' in b ? b.custom_id : ''))).toEqual([
			'play:clip:task_123:clip-1',
			'play:clip:task_123:clip-2',
		]);
	});

	it('GIVEN the card THEN it names each take with its length, credits everyone once, cuts the style, shows no lyrics, and has the cover', () => {
		const embed = renderTracker(done).embeds[0]!;
		const text = embed.description ?? '';
		expect(text).toContain('✅ Done: takes 1 and 2 are here');
		expect(text).toContain('1\uFE0F\u20E3 **\u2068Night Drive · take 1\u2069** · 1:23');
		expect(text).toContain('2\uFE0F\u20E3 **\u2068Night Drive · take 2\u2069** · 1:23');
		expect(text).toContain('asked by <@111111111111111111> · extended by <@222222222222222222>');
		expect(text).not.toContain('Headlights');
		expect(text.length).toBeLessThan(600);
		expect(embed.thumbnail?.url).toBe('https://cdn.example/cover.png');
		expect(text).not.toContain('task_123');
	});

	it('GIVEN one take on the card and one in a message of its own THEN the card says where each is', () => {
		const text = renderTracker({ ...done, card: [take(1, { note: 'Re-encoded at 48 kb/s.' })] }).embeds[0]!.description;
		expect(text).toContain('✅ Done: take 1 is here; take 2 is below');
		expect(text).toContain('Re-encoded at 48 kb/s.');
	});

	it('GIVEN a music video made of take 1 THEN its link is on the card under take 1, once', () => {
		const line = '🎬 [Watch the music video](https://cdn.example/v.mp4)';
		const text = renderTracker({ ...done, card: [take(1, { video: line }), take(2)] }).embeds[0]!.description ?? '';
		expect(text).toContain(`**\u2068Night Drive · take 1\u2069** · 1:23\n${line}\n2\uFE0F\u20E3`);
		expect(text.split('Watch the music video')).toHaveLength(2);
	});

	it('GIVEN two takes that could not be posted beside two on the card THEN at most five rows, the song row kept', () => {
		const unposted = [1, 2].map((n) => ({
			take: n + 2,
			clipId: `c${n}`,
			reason: 'Refused',
			url: 'https://x.example/a.mp3',
		}));
		const payload = renderTracker({ ...done, stage: 'partial', unposted });
		expect(payload.components.length).toBeLessThanOrEqual(5);
		expect(labels(payload).at(-1)?.at(-1)).toBe('Details');
	});
});

describe('the song card in the server’s language', () => {
	it('GIVEN a ja server THEN the card’s stage, where the takes are, the credits and every button are in Japanese', () => {
		const payload = renderTracker({ ...done, locale: 'ja', card: [take(1)] });
		const text = payload.embeds[0]!.description ?? '';
		expect(text).toContain('✅ 完成：テイク 1はここにあります');
		expect(text).toContain('テイク 2は下にあります');
		expect(text).toContain('リクエスト：<@111111111111111111> · 延長：<@222222222222222222>');
		expect(text).toContain('**スタイル:**');
		expect(labels(payload)).toEqual([
			['再生', '延長', 'リミックス'],
			['歌詞', '作り直す', '詳細'],
		]);
		expect(text).not.toMatch(/Done|asked by|take 2/);
	});

	it('GIVEN zh-CN words THEN an extension’s take name is in Chinese while its file name stays English', () => {
		const record = newRecord({
			clips: [
				{ ...clip('a', 'complete', { title: 'Night Drive' }), take: 1 },
				{ ...clip('b', 'complete', { title: 'Night Drive' }), take: 2 },
			],
			request: { action: 'extend', request: { clipId: 'x', continueAt: 80, model: 'v5' } } as never,
			lineage: { type: 'extend', taskId: 'parent', clipId: 'x', atSec: 80 },
		});
		const second = record.clips[1]!;
		expect(takeName(record, second, undefined, takeWords('zh-CN'))).toBe('Night Drive (从 1:20 续写) · 第 2 版');
		expect(takeName(record, second)).toBe('Night Drive (extended at 1:20) · take 2');
		expect(takeFileName(record, second)).toBe('Night Drive (extended at 1.20) - take 2');
	});
});

describe('the ready ping a crash may have cut off', () => {
	it('GIVEN a take on the card and no failure THEN the saved state still owes the "ready" ping; without a card it does not', () => {
		const onCard: TaskRecord = newRecord({
			place: { guildId: 'g', channelId: 'c', messageId: 'card' },
			clips: [{ ...clip('a', 'complete'), take: 1, delivery: { status: 'delivered', messageId: 'card', at: 1 } }],
		});
		expect(standingPing(onCard)?.kind).toBe('ready');
		expect(standingPing(onCard)?.text).toMatch(/^your song is ready: /);
		const elsewhere = {
			...onCard,
			clips: onCard.clips.map((c) => ({ ...c, delivery: { ...c.delivery!, messageId: 'other' } })),
		};
		expect(standingPing(elsewhere as TaskRecord)).toBeUndefined();
	});
});
