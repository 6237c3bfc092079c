import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import type { TaskRecord } from '../../core/records.ts';
import { encodeCustomId } from '../custom-id.ts';
import { lostAnswerText } from '../present.ts';
import { clock, escapeMarkdown, truncate } from './format.ts';
import { type Locale, providerErrorText, t } from '../i18n.ts';

/** One version of a lyrics sheet as shown in the channel. */
export interface LyricsSheetView {
	title: string;
	text: string;
	/** e.g. "written by @a · revised by @b" */
	credit: string;
	/** Custom-id arguments that identify the sheet for the buttons (task id + version, or a stored sheet id). */
	ref: string[];
	footer?: string;
	/** The server's language: a sheet is posted for everyone (English when unset). */
	locale?: Locale;
}

/** Discord allows 6,000 characters over all the embeds of a message: versions shown together share them. */
const SHARED_DESCRIPTION = 2300;

/**
 * Title, lyrics and the Make a song / Edit / Regenerate buttons. Several versions (providers write one or two)
 * get an embed each and their own Make a song / Edit buttons; Regenerate is offered once, as they share a theme.
 */
export function renderSheet(
	view: LyricsSheetView,
	...others: LyricsSheetView[]
): {
	content: string;
	embeds: APIEmbed[];
	components: APIActionRowComponent<APIButtonComponent>[];
} {
	const views = [view, ...others].slice(0, 2);
	const locale = view.locale ?? 'en';
	const many = views.length > 1;
	const embed = (v: LyricsSheetView): APIEmbed => ({
		title: truncate(`📝 ${v.title}`, many ? 100 : 256),
		description: truncate(escapeMarkdown(v.text), many ? SHARED_DESCRIPTION : 4000),
		color: 0x5865f2,
		fields: [{ name: t(locale, 'lyrics.credits'), value: truncate(v.credit, many ? 300 : 1024), inline: false }],
		...(v.footer ? { footer: { text: v.footer } } : {}),
	});
	const button = (v: LyricsSheetView, action: string, label: string, emoji: string, style = 2): APIButtonComponent => ({
		type: 2,
		style,
		label,
		emoji: { name: emoji },
		custom_id: encodeCustomId('lyrics', action, ...v.ref),
	});
	const rows = views.map((v, i) => {
		const suffix = many ? ` (v${i + 1})` : '';
		const buttons = [
			button(v, 'make', `${t(locale, 'lyrics.make')}${suffix}`, '🎵', 1),
			button(v, 'edit', `${t(locale, 'lyrics.edit')}${suffix}`, '✏️'),
		];
		if (i === 0) buttons.push(button(v, 'regen', t(locale, 'lyrics.regenerate'), '🔁'));
		return { type: 1 as const, components: buttons };
	});
	return { content: '', embeds: views.map(embed), components: rows };
}

/**
 * The tracker message of a /lyrics task: progress while writing, then every version the provider wrote as a
 * sheet (a failure the person can retry gets a Try again button, which regenerates).
 */
export function renderLyricsSheet(task: TaskRecord, now: number, locale: Locale = 'en') {
	const prompt = task.request.action === 'lyrics' ? task.request.prompt : '';
	const versions = (task.lyrics ?? []).flatMap((l, i) => (l.text ? [{ ...l, version: i }] : []));
	const [first, ...others] = versions;
	if (task.state.status === 'failed' || !first) {
		const failure = task.state.status === 'failed' ? task.state.failure : undefined;
		const failed = failure?.message;
		const lost = lostAnswerText(task, locale);
		const embed: APIEmbed = {
			title: t(locale, failed ? 'lyrics.failed' : 'lyrics.writing'),
			description: truncate(
				`${t(locale, 'lyrics.about', { prompt: escapeMarkdown(prompt) })}${failed ? `\n\n${t(locale, 'lyrics.failed_line', { failure: failure ? providerErrorText(failure, locale) : failed, task: task.id })}` : ''}${lost ? `\n\n${lost}` : ''}`,
				4000,
			),
			color: failed ? 0xed4245 : 0x99aab5,
			fields: [
				{ name: t(locale, 'lyrics.asked_by'), value: `<@${task.requester.userId}>`, inline: true },
				{ name: t(locale, 'lyrics.elapsed'), value: clock((now - task.createdAt) / 1000), inline: true },
			],
			footer: { text: t(locale, 'lyrics.task', { task: task.id }) },
		};
		// The same theme fails the same way after a refusal or invalid input; anything else may work next time.
		const retry = failure && failure.kind !== 'content_policy' && failure.kind !== 'invalid_input';
		const components: APIActionRowComponent<APIButtonComponent>[] = retry
			? [
					{
						type: 1,
						components: [
							{
								type: 2,
								style: 2,
								label: t(locale, 'lyrics.try_again'),
								emoji: { name: '🔁' },
								custom_id: encodeCustomId('lyrics', 'regen', task.id, '0'),
							},
						],
					},
				]
			: [];
		return { content: '', embeds: [embed], components };
	}
	const view = (v: typeof first): LyricsSheetView => ({
		title: v.title || t(locale, 'lyrics.untitled'),
		text: v.text,
		credit: t(locale, 'lyrics.written_with', {
			user: task.requester.userId,
			about: truncate(escapeMarkdown(prompt), 200),
		}),
		ref: [task.id, String(v.version)],
		footer: t(locale, 'lyrics.version', { version: v.version + 1, task: task.id }),
		locale,
	});
	return renderSheet(view(first), ...others.map(view));
}
