import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { hasTool, type ToolFlags } from '../../core/studio.ts';
import { encodeCustomId } from '../custom-id.ts';
import { type Locale, type MessageKey, t } from '../i18n.ts';
import { inlineTitle, truncate } from './format.ts';
import { translate } from '../../i18n/index.ts';
import type { TrackerPayload } from './tracker.ts';

/**
 * The studio on Discord (issue 17), as pure payload builders: the tool buttons under a take (only the tools the
 * provider has), the status message a tool's task keeps up to date, and the small message each result is posted as.
 * Each takes the server's language (`locale`, English when unset): everyone in the channel reads these messages.
 */

export type StudioTool = 'split' | 'stems' | 'wav' | 'video';

const TOOL_NAME = {
	split: 'studio.tool_split',
	stems: 'studio.tool_stems',
	wav: 'studio.tool_wav',
	video: 'studio.tool_video',
} as const satisfies Record<StudioTool, MessageKey>;

const BUTTON = {
	split: 'studio.button_split',
	stems: 'studio.button_stems',
	wav: 'studio.button_wav',
	video: 'studio.button_video',
	fix: 'studio.button_fix',
	singer: 'studio.button_singer',
	karaoke: 'studio.button_karaoke',
} as const satisfies Record<StudioTool | 'fix' | 'singer' | 'karaoke', MessageKey>;

const STAGE = {
	submitting: 'studio.stage_submitting',
	working: 'studio.stage_working',
	unconfirmed: 'studio.stage_unconfirmed',
	stalled: 'studio.stage_stalled',
	failed: 'studio.stage_failed',
} as const satisfies Record<Exclude<ToolStage, 'done'>, MessageKey>;

const DONE = {
	split: 'studio.stage_done_split',
	stems: 'studio.stage_done_split',
	wav: 'studio.stage_done_wav',
	video: 'studio.stage_done_video',
} as const satisfies Record<StudioTool, MessageKey>;

/** The take a status or result is about: "**Title** · take 2". */
function takeOf(locale: Locale, title: string, take: number | undefined): string {
	const shown = inlineTitle(title, 150);
	return take ? t(locale, 'studio.of_take', { title: shown, take }) : `**${shown}**`;
}

const EMOJI: Record<StudioTool | 'fix' | 'singer' | 'karaoke', string> = {
	split: '✂️',
	stems: '🎛️',
	wav: '💾',
	video: '🎬',
	fix: '🩹',
	singer: '🎤',
	karaoke: '🎙️',
};

/** The studio row under a take: Split, WAV and Video where the provider has them; none for families A and C. */
export function studioRows(
	capabilities: ToolFlags,
	taskId: string,
	clipId: string,
	options: { stems?: boolean; locale?: Locale } = {},
): APIActionRowComponent<APIButtonComponent>[] {
	const buttons: APIButtonComponent[] = [];
	const add = (action: StudioTool | 'fix' | 'singer' | 'karaoke') =>
		buttons.push({
			type: 2,
			style: 2,
			label: t(options.locale ?? 'en', BUTTON[action]),
			emoji: { name: EMOJI[action] },
			custom_id: encodeCustomId('studio', action, taskId, clipId),
		});
	if (hasTool(capabilities, 'split')) add('split');
	// Up to 12 stems cost the provider several times a split: only where the server's admin turned them on.
	if (options.stems && hasTool(capabilities, 'stems')) add('stems');
	if (hasTool(capabilities, 'wav')) add('wav');
	if (hasTool(capabilities, 'video')) add('video');
	// Sections are picked from the take's timed lyrics, so fixing one needs both tools.
	if (hasTool(capabilities, 'replace') && hasTool(capabilities, 'timestamps')) add('fix');
	// Shown to everyone (a message cannot hide a button from some), answered for admins only.
	if (hasTool(capabilities, 'persona')) add('singer');
	// Karaoke plays the split's instrumental under the timed lyrics: it needs both tools.
	if (hasTool(capabilities, 'split') && hasTool(capabilities, 'timestamps')) add('karaoke');
	// Discord puts at most five buttons in a row.
	const rows: APIActionRowComponent<APIButtonComponent>[] = [];
	for (let i = 0; i < buttons.length; i += 5) rows.push({ type: 1, components: buttons.slice(i, i + 5) });
	return rows;
}

export type ToolStage = 'submitting' | 'working' | 'unconfirmed' | 'stalled' | 'done' | 'failed';

/** What a tool's status message shows; built from its task record (src/discord/studio-sink.ts). */
export interface ToolStatusView {
	tool: StudioTool;
	stage: ToolStage;
	title: string;
	take?: number;
	requesterId: string;
	problem?: string;
	givenBack?: boolean;
	/** A music video linked on its take's song card (so the status says where, briefly). */
	onCard?: boolean;
	locale?: Locale;
}

export function renderToolStatus(view: ToolStatusView): TrackerPayload {
	const locale = view.locale ?? 'en';
	const done = view.onCard ? 'studio.stage_done_video_card' : DONE[view.tool];
	const lines: string[] = [t(locale, view.stage === 'done' ? done : STAGE[view.stage])];
	if (view.problem) lines.push(truncate(view.problem, 1000));
	if (view.givenBack) lines.push(t(locale, 'studio.given_back'));
	const embed: APIEmbed = {
		title: `${EMOJI[view.tool]} ${t(locale, TOOL_NAME[view.tool])}`,
		description: lines.join('\n'),
		color: view.stage === 'failed' ? 0xed4245 : view.stage === 'done' ? 0x57f287 : 0x5865f2,
	};
	return {
		content: `${takeOf(locale, view.title, view.take)} · <@${view.requesterId}>`,
		embeds: [embed],
		components: [],
	};
}

/** One result of a tool, posted once: a split's part, the WAV, the video. The marker goes in the footer. */
export interface ToolResultView {
	tool: StudioTool;
	title: string;
	take?: number;
	stem?: string;
	/** The Details button's custom id, which also marks the message as this result's (no ids on screen). */
	markerId: string;
	/** attached: the file is on the message; link: only a link (too large, or a video). */
	delivery:
		{ kind: 'attached' } | { kind: 'link'; url: string; tooLarge?: boolean } | { kind: 'refused'; reason: string };
	locale?: Locale;
}

export function renderToolResult(view: ToolResultView): {
	content: string;
	embeds: APIEmbed[];
	components: APIActionRowComponent<APIButtonComponent>[];
} {
	const locale = view.locale ?? 'en';
	const head = view.stem ? `🎚️ ${view.stem}` : `${EMOJI[view.tool]} ${t(locale, TOOL_NAME[view.tool])}`;
	const d = view.delivery;
	let body = '';
	if (d.kind === 'refused') body = d.reason;
	else if (d.kind === 'link' && d.tooLarge) body = t(locale, 'studio.too_large', { url: d.url });
	else if (d.kind === 'link')
		body =
			view.tool === 'video'
				? t(locale, 'studio.video_link', { url: d.url })
				: view.tool === 'wav'
					? t(locale, 'studio.wav_link', { url: d.url })
					: d.url;
	else if (view.tool === 'wav') body = t(locale, 'studio.wav_attached');
	const embed: APIEmbed = {
		description: [head, body].filter(Boolean).join('\n'),
		color: 0x57f287,
		footer: { text: takeOf(locale, view.title, view.take).replaceAll('**', '') },
	};
	const details: APIButtonComponent = {
		type: 2,
		style: 2,
		label: t(locale, 'studio.details'),
		emoji: { name: 'ℹ️' },
		custom_id: view.markerId,
	};
	// A video link outside the embed so Discord shows its player.
	const content = d.kind === 'link' && view.tool === 'video' ? d.url : '';
	return { content, embeds: [embed], components: [{ type: 1, components: [details] }] };
}

/**
 * The one 🎛️ Studio button on a take's row of the song card, where the provider has any tool: the card has room
 * for one row per take, so the tools themselves open on a click, for that person only (`studio:open`).
 */
export function studioButton(capabilities: ToolFlags, taskId: string, clipId: string): APIButtonComponent | undefined {
	if (studioRows(capabilities, taskId, clipId, { stems: true }).length === 0) return undefined;
	const label = translate('en', 'card.studio');
	return {
		type: 2,
		style: 2,
		label,
		emoji: { name: '🎛️' },
		custom_id: encodeCustomId('studio', 'open', taskId, clipId),
	};
}
