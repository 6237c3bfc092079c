import { cardLines, creditLine, whereText } from './card.ts';
import { type Locale, type MessageKey, t } from '../i18n.ts';
import { clock, escapeMarkdown, progressBar, truncate } from './format.ts';
import type { TrackerStage, TrackerView } from './tracker.ts';

/**
 * The song card's words (src/discord/views/tracker.ts draws the message around them): the stage checklist, the
 * final sentence, the time, who asked and how, the style and lyrics previews, and the quota footer. Kept apart
 * from the embed and its buttons because the words change with the language and the stage, the layout does not.
 */

const STAGE_KEY: Record<TrackerStage, MessageKey & `card.stage_${string}`> = {
	submitting: 'card.stage_submitting',
	unconfirmed: 'card.stage_unconfirmed',
	queued: 'card.stage_queued',
	lyrics: 'card.stage_lyrics',
	streaming: 'card.stage_streaming',
	'first-done': 'card.stage_first_done',
	finishing: 'card.stage_finishing',
	done: 'card.stage_done',
	partial: 'card.stage_partial',
	stalled: 'card.stage_stalled',
	failed: 'card.stage_failed',
};

/** How the request was made ("from a description"), shared with the Details reply. */
export const MODE_KEY: Record<TrackerView['mode'], MessageKey & `card.mode_${string}`> = {
	describe: 'card.mode_describe',
	custom: 'card.mode_custom',
	extend: 'card.mode_extend',
	remix: 'card.mode_remix',
	lyrics: 'card.mode_lyrics',
	full: 'card.mode_full',
};

/** Characters of the style the message shows; the rest is behind the Details button. */
export const STYLE_PREVIEW = 150;
/** Characters of lyrics the message shows: a glimpse. The Lyrics button and /songs have them in full. */
export const LYRICS_PREVIEW = 160;

/** The card's description, line by line. */
export function describeTracker(view: TrackerView): string[] {
	const locale = view.locale ?? 'en';
	const unposted = view.stage === 'done' || view.stage === 'partial' ? (view.unposted ?? []) : [];
	const lines: string[] = [];
	const steps = checklist(view);
	// The checklist stays on top while the song is made, so a glance tells how far it got.
	if (steps) lines.push(steps);
	lines.push(finalText(view, unposted.length) ?? t(locale, STAGE_KEY[view.stage]));
	if (view.problem) lines.push(view.problem);
	if (view.givenBack && view.stage === 'failed') lines.push(t(locale, 'card.given_back'));
	const card = view.card ?? [];
	lines.push(...cardLines(card));
	for (const take of unposted) lines.push(take.reason.endsWith('.') ? take.reason : `${take.reason}.`);
	if (unposted.length > 0) lines.push(t(locale, unposted.length > 1 ? 'card.download_many' : 'card.download_one'));
	if (view.progressPct !== undefined && !isFinal(view.stage)) lines.push(progressBar(view.progressPct));
	lines.push(timeLine(view));
	lines.push(metaLine(view));
	// Once the takes are posted the lyrics are behind the Lyrics button and the style is cut short (in full behind
	// Details): the final card stays short. A failed song keeps them, so the person sees what was asked.
	const settled = view.stage === 'done' || view.stage === 'partial';
	if (view.style && (!settled || card.length > 0))
		lines.push(`**${t(locale, 'card.style')}:** ${escapeMarkdown(truncate(oneLine(view.style), STYLE_PREVIEW))}`);
	if (view.lyrics && !settled && card.length === 0)
		lines.push(`**${t(locale, 'card.lyrics')}:** ${escapeMarkdown(truncate(oneLine(view.lyrics), LYRICS_PREVIEW))}`);
	return lines;
}

/** "✅ Queued → ✅ Lyrics → ⏳ Take 1 → ▫️ Take 2" while the song is made; undefined once it is settled. */
export function checklist(view: TrackerView): string | undefined {
	const live: TrackerStage[] = ['submitting', 'queued', 'lyrics', 'streaming', 'first-done', 'finishing', 'stalled'];
	if (!live.includes(view.stage) || view.mode === 'lyrics') return undefined;
	const order: TrackerStage[] = ['submitting', 'queued', 'lyrics', 'streaming'];
	// A stalled song says no stage of its own: it got as far as what it already shows (lyrics, a finished take).
	const stalledAt = view.lyrics !== undefined || view.takes?.some((t) => t.state === 'done') ? 3 : 1;
	const reached =
		view.stage === 'stalled'
			? stalledAt
			: Math.min(order.indexOf(view.stage) === -1 ? 3 : order.indexOf(view.stage), 3);
	const mark = (done: boolean, current: boolean) => (done ? '✅' : current ? '⏳' : '▫️');
	const locale = view.locale ?? 'en';
	const steps = [`${mark(reached > 0, reached === 0)} ${t(locale, 'card.step_sending')}`];
	steps.push(`${mark(reached > 1, reached === 1)} ${t(locale, 'card.step_queued')}`);
	// Instrumentals, extensions of an instrumental and full-song joins have no lyrics to write.
	if (!view.instrumental && view.mode !== 'full')
		steps.push(`${mark(reached > 2, reached === 2)} ${t(locale, 'card.step_lyrics')}`);
	const takes = view.takes ?? [
		{ take: 1, state: 'pending' as const },
		{ take: 2, state: 'pending' as const },
	];
	for (const step of takes)
		steps.push(
			`${step.state === 'done' ? '✅' : step.state === 'failed' ? '❌' : mark(false, reached === 3)} ${t(locale, 'card.step_take', { take: step.take })}`,
		);
	// The first step only matters while it is the current one.
	return (reached > 0 ? steps.slice(1) : steps).join(' → ');
}

/** "⏱️ 0:23 so far · usually about 40 s", or "⏱️ Took 0:42" once settled. */
function timeLine(view: TrackerView): string {
	const locale = view.locale ?? 'en';
	const elapsed = clock((view.now - view.startedAt) / 1000);
	if (isFinal(view.stage)) return t(locale, 'card.took', { elapsed });
	const usual =
		view.usualMs !== undefined ? ` · ${t(locale, 'card.usually', { about: aboutText(view.usualMs, locale) })}` : '';
	return t(locale, 'card.so_far', { elapsed }) + usual;
}

/** "about 40 s", "about 3 min": a person's sense of the time, not a stopwatch. */
export function aboutText(ms: number, locale: Locale = 'en'): string {
	const sec = ms / 1000;
	if (sec < 90) return t(locale, 'card.about_sec', { sec: Math.max(5, Math.round(sec / 5) * 5) });
	return t(locale, 'card.about_min', { min: Math.round(sec / 60) });
}

/** Who asked, what it builds on, the model and the kind: one line. */
function metaLine(view: TrackerView): string {
	const locale = view.locale ?? 'en';
	const mode = t(locale, MODE_KEY[view.mode]);
	const kind = view.instrumental ? t(locale, 'card.with_instrumental', { kind: mode }) : mode;
	const who =
		(view.credits && creditLine(view.credits, locale)) ?? t(locale, 'card.asked_by', { user: view.requesterId });
	const singer = view.houseSinger ? t(locale, 'card.house_singer') : undefined;
	return [who, view.lineage, view.model || undefined, kind, singer].filter(Boolean).join(' · ');
}

function oneLine(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

/** "Done: takes 1 and 2 are below", or what was and was not posted; undefined before the song is done. */
function finalText(view: TrackerView, unposted: number): string | undefined {
	if ((view.stage !== 'done' && view.stage !== 'partial') || view.posted === undefined) return undefined;
	const locale = view.locale ?? 'en';
	const posted = view.posted;
	const here = (view.card ?? []).map((take) => take.take);
	const where = whereText(
		here,
		posted.filter((n) => !here.includes(n)),
		locale,
	);
	if (unposted === 0 && view.stage === 'done') return t(locale, 'card.final_done', { where });
	if (unposted === 0) return t(locale, 'card.final_other_failed', { where });
	if (posted.length === 0) return t(locale, 'card.final_none_posted');
	return t(locale, 'card.final_some_posted', { where });
}

export function isFinal(stage: TrackerStage): boolean {
	return stage === 'done' || stage === 'partial' || stage === 'failed';
}

export function quotaText(quota: TrackerView['quota'], locale: Locale): string | undefined {
	if (!quota) return undefined;
	const you = quota.userLeft !== undefined ? t(locale, 'card.left_for_you', { count: quota.userLeft }) : undefined;
	const server =
		quota.guildLeft !== undefined ? t(locale, 'card.left_for_server', { count: quota.guildLeft }) : undefined;
	return you && server ? t(locale, 'card.left_both', { you, server }) : (you ?? server);
}
