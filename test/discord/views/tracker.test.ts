import { describe, expect, it } from 'vitest';
import { answerLost, intentRecord } from '../../../src/core/intent.ts';
import { trackerViewOf } from '../../../src/discord/present.ts';
import { renderTracker, type TrackerView } from '../../../src/discord/views/tracker.ts';
import { newRecord } from '../../core/records.fixtures.ts';

const base: TrackerView = {
	taskId: 'task_123',
	stage: 'queued',
	requesterId: '111111111111111111',
	title: 'Night **Drive**',
	style: 'synthwave',
	model: 'v4.5+',
	mode: 'custom',
	startedAt: 0,
	now: 83_000,
};

describe('renderTracker', () => {
	it('GIVEN an Arabic, a Hebrew or a markdown title THEN the heading isolates and escapes it', () => {
		expect(renderTracker({ ...base, title: 'أغنية الصباح' }).embeds[0]!.title).toBe('🎵 \u2068أغنية الصباح\u2069');
		expect(renderTracker({ ...base, title: 'שיר הבוקר' }).embeds[0]!.title).toBe('🎵 \u2068שיר הבוקר\u2069');
		expect(renderTracker({ ...base, title: '**Loud** _song_' }).embeds[0]!.title).toBe(
			'🎵 \u2068\\*\\*Loud\\*\\* \\_song\\_\u2069',
		);
	});

	it('GIVEN a queued task THEN shows the checklist, the time so far, who asked and the model, and no id', () => {
		const { embeds, components } = renderTracker({ ...base, detailsId: 'task_123' });
		const embed = embeds[0]!;
		expect(embed.title).toBe('🎵 \u2068Night \\*\\*Drive\\*\\*\u2069');
		const lines = embed.description!.split('\n');
		expect(lines[0]).toBe('⏳ Queued → ▫️ Lyrics → ▫️ Take 1 → ▫️ Take 2');
		expect(embed.description).toContain('⏱️ 1:23 so far');
		expect(embed.description).toContain('asked by <@111111111111111111> · v4.5+ · from lyrics');
		expect(JSON.stringify(embeds)).not.toContain('task_123');
		// The id is behind the Details button, where the operator's reference is shown to whoever asks.
		expect(components).toEqual([
			{
				type: 1,
				components: [
					{ type: 2, style: 2, label: 'Details', emoji: { name: 'ℹ️' }, custom_id: 'song:details:task_123' },
				],
			},
		]);
	});

	it('GIVEN takes finishing THEN the checklist ticks them off, and the estimate from recent songs is shown', () => {
		const view: TrackerView = {
			...base,
			stage: 'first-done',
			takes: [
				{ take: 1, state: 'done' },
				{ take: 2, state: 'pending' },
			],
			usualMs: 41_000,
		};
		const lines = renderTracker(view).embeds[0]!.description!.split('\n');
		expect(lines[0]).toBe('✅ Queued → ✅ Lyrics → ✅ Take 1 → ⏳ Take 2');
		expect(lines).toContain('⏱️ 1:23 so far · usually about 40 s');
		const stalled = renderTracker({ ...view, stage: 'stalled' }).embeds[0]!.description!.split('\n');
		expect(stalled[0]).toBe('✅ Queued → ✅ Lyrics → ✅ Take 1 → ⏳ Take 2');
		expect(stalled[1]).toContain('Stalled');
		const instrumental = renderTracker({ ...base, stage: 'queued', instrumental: true });
		expect(instrumental.embeds[0]!.description!.split('\n')[0]).toBe('⏳ Queued → ▫️ Take 1 → ▫️ Take 2');
		const sending = renderTracker({ ...base, stage: 'submitting' });
		expect(sending.embeds[0]!.description!.split('\n')[0]).toBe(
			'⏳ Sending → ▫️ Queued → ▫️ Lyrics → ▫️ Take 1 → ▫️ Take 2',
		);
	});

	it('GIVEN a 1,000-character style and 3,000 characters of lyrics THEN only short previews are shown while it runs, none once done', () => {
		const long = {
			...base,
			stage: 'lyrics' as const,
			style: 'warm analog synths, '.repeat(50),
			lyrics: 'la '.repeat(1000),
		};
		const running = renderTracker(long).embeds[0]!.description!;
		expect(running.length).toBeLessThan(700);
		const done = renderTracker({ ...long, stage: 'done', posted: [1, 2] }).embeds[0]!.description!;
		expect(done).not.toContain('la la');
		expect(done).not.toContain('analog');
		expect(done).toContain('⏱️ Took 1:23');
	});

	it('GIVEN progress and a stream URL THEN shows a bar and a listen-early link button', () => {
		const { embeds, components } = renderTracker({
			...base,
			stage: 'streaming',
			progressPct: 40,
			streams: [{ take: 1, url: 'https://cdn.example/stream/1', clipId: 'clip-1' }],
		});
		expect(embeds[0]!.description).toContain('40%');
		expect(components[0]!.components[0]).toMatchObject({ style: 5, url: 'https://cdn.example/stream/1' });
		expect(components[0]!.components[1]).toMatchObject({ custom_id: 'play:clip:task_123:clip-1' });
	});

	it('GIVEN a finished task THEN drops the listen-early buttons and the bar', () => {
		const { embeds, components } = renderTracker({
			...base,
			stage: 'done',
			progressPct: 100,
			streams: [{ take: 1, url: 'https://x' }],
		});
		expect(embeds[0]!.description).not.toContain('%');
		expect(components).toEqual([]);
		expect(embeds[0]!.description).toContain('⏱️ Took 1:23');
	});

	it('GIVEN a failure and quota THEN explains the problem and shows what is left', () => {
		const { embeds } = renderTracker({
			...base,
			stage: 'failed',
			problem: 'The music provider refused this request under its content policy.',
			quota: { userLeft: 3, guildLeft: 40 },
		});
		expect(embeds[0]!.description).toContain('content policy');
		expect(embeds[0]!.footer?.text).toContain('3 left for you today');
	});
	it('GIVEN a finished song with a take that could not be posted THEN it names what was posted, why the other was not, with a download link and Post again', () => {
		const { embeds, components } = renderTracker({
			...base,
			stage: 'done',
			posted: [1],
			unposted: [
				{
					take: 2,
					clipId: 'clip-2',
					reason: 'Take 2 could not be posted: the bot lacks Attach Files here',
					url: 'https://cdn.example/clip-2.mp3',
				},
			],
		});
		expect(embeds[0]!.description).toContain('Done: take 1 is below; not every take could be posted');
		expect(embeds[0]!.description).toContain('Take 2 could not be posted: the bot lacks Attach Files here.');
		expect(embeds[0]!.description).not.toContain('✅');
		expect(components).toEqual([
			{
				type: 1,
				components: [
					{ type: 2, style: 5, label: 'Download take 2', url: 'https://cdn.example/clip-2.mp3' },
					{
						type: 2,
						style: 1,
						label: 'Post take 2 again',
						emoji: { name: '🔁' },
						custom_id: 'song:repost:task_123:clip-2',
					},
				],
			},
		]);
	});

	it('GIVEN every take posted THEN the final state names them', () => {
		const done = renderTracker({ ...base, stage: 'done', posted: [1, 2] });
		expect(done.embeds[0]!.description).toContain('✅ Done: takes 1 and 2 are below');
		expect(done.components).toEqual([]);
		const partial = renderTracker({ ...base, stage: 'partial', posted: [2] });
		expect(partial.embeds[0]!.description).toContain('Done: take 2 is below; the other take failed');
	});
});

describe('the tracker of a request whose answer was lost (trackerViewOf → renderTracker)', () => {
	const { request, requester, place } = newRecord();
	const sent = intentRecord('intent-0123456789abcdef01234567', 'sunoapi', { request, requester, place }, 0);

	it('GIVEN the submit is still on its way THEN it says so, with no task id', () => {
		const embed = renderTracker(trackerViewOf(sent, 5_000)).embeds[0]!;
		expect(embed.description).toContain('Sending to the music provider');
		expect(embed.footer?.text ?? '').not.toContain('task');
	});

	it('GIVEN the answer was lost THEN it says plainly what happened and what happens next, per family', () => {
		for (const [recovery, next] of [
			['callback', 'waiting for the provider to report back'],
			['none', 'cannot be asked about it without that answer'],
		] as const) {
			const lost = answerLost(sent, recovery, 1_000)?.record ?? sent;
			const embed = renderTracker(trackerViewOf(lost, 5_000)).embeds[0]!;
			expect(embed.description).toContain('Answer lost');
			expect(embed.description).toContain('It will not be sent again');
			expect(embed.description).toContain(next);
			// The request's id is for the operator: behind the Details button, not in the channel.
			expect(JSON.stringify(embed)).not.toContain('intent-');
			const rendered = renderTracker(trackerViewOf(lost, 5_000));
			expect(JSON.stringify(rendered.components)).toContain('song:details:intent-0123456789abcdef01234567');
		}
	});
});

describe('a failed song given back', () => {
	it('GIVEN a failed task whose quota was given back THEN the tracker says it did not count; otherwise it says nothing of the kind', () => {
		const failure = { kind: 'generation' as const, message: 'The music provider could not generate this song.' };
		const charge = { guildId: 'g', userId: 'u', cost: 1, counters: [] };
		const record = newRecord({
			state: { status: 'failed', failure: { ...failure, source: 'provider' }, at: 2_000 },
			providerStatus: 'failed',
			charge: { ...charge, refundedAt: 2_000 },
			quota: { userLeft: 2 },
		});
		const given = renderTracker(trackerViewOf(record, 3_000, { quota: { userLeft: 2 } })).embeds[0]!;
		expect(given.description).toContain('This song was not counted against your limit.');
		expect(given.footer?.text).toContain('2 left for you today');
		const kept = renderTracker(trackerViewOf({ ...record, charge }, 3_000)).embeds[0]!;
		expect(kept.description).not.toContain('not counted');
	});
});

describe('asking for a song again from its tracker (trackerViewOf → renderTracker)', () => {
	// What is offered again; Details is on every tracker.
	const buttons = (view: TrackerView) =>
		renderTracker(view)
			.components.flatMap((row) => row.components.map((b) => ('label' in b ? b.label : '')))
			.filter((label) => label !== 'Details');
	const failed = (kind: 'generation' | 'content_policy', source: 'provider' | 'timeout') =>
		newRecord({ state: { status: 'failed', failure: { kind, message: 'It failed.', source }, at: 2_000 } });

	it('GIVEN a delivered song THEN 🔄 Reroll; GIVEN lyrics THEN nothing', () => {
		const done = newRecord({ state: { status: 'delivered', outcome: 'complete', at: 2_000 } });
		expect(buttons(trackerViewOf(done, 3_000))).toContain('Reroll');
		const lyrics = newRecord({ kind: 'lyrics', request: { action: 'lyrics', prompt: 'rain' }, state: done.state });
		expect(buttons(trackerViewOf(lyrics, 3_000))).not.toContain('Reroll');
	});

	it('GIVEN a song the provider failed THEN Try again and Change and try again; refused words THEN only the change', () => {
		expect(buttons(trackerViewOf(failed('generation', 'provider'), 3_000))).toEqual([
			'Try again',
			'Change and try again',
		]);
		expect(buttons(trackerViewOf(failed('content_policy', 'provider'), 3_000))).toEqual(['Change and try again']);
	});

	it('GIVEN a song past our own deadline (it may still arrive) THEN nothing is offered again', () => {
		expect(buttons(trackerViewOf(failed('generation', 'timeout'), 3_000))).toEqual([]);
	});
});
