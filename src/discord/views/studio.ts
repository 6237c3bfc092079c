import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { hasTool, type ToolFlags } from '../../core/studio.ts';
import { encodeCustomId } from '../custom-id.ts';
import { inlineTitle, truncate } from './format.ts';
import { translate } from '../../i18n/index.ts';
import type { TrackerPayload } from './tracker.ts';

/**
 * The studio on Discord (issue 17), as pure payload builders: the tool buttons under a take (only the tools the
 * provider has), the status message a tool's task keeps up to date, and the small message each result is posted as.
 */

/** Every user-visible string of the studio views, in one place for the message catalog. */
export const TEXT = {
	splitButton: 'Split',
	stemsButton: 'Stems',
	stemsOff: 'Stems cost the provider more: an admin turns them on by setting their cost with /songbot costs stems.',
	wavButton: 'WAV',
	videoButton: 'Video',
	fixButton: 'Fix a section',
	singerButton: 'House singer',
	toolName: { split: 'Split', stems: 'Stems', wav: 'WAV', video: 'Music video' },
	stage: {
		submitting: '⏳ Sending to the music provider…',
		working: '⏳ The music provider is working on it…',
		unconfirmed: '❓ Answer lost: the music provider may have this request',
		stalled: '🐢 Taking longer than usual: the bot keeps checking.',
		split: '✅ Done: the parts are below',
		wav: '✅ Done: the WAV is below',
		video: '✅ Done: the video is below',
		failed: '❌ Failed',
	},
	of: (title: string, take: number | undefined) => `**${inlineTitle(title, 150)}**${take ? ` · take ${take}` : ''}`,
	givenBack: 'This was not counted against your limit.',
	part: (stem: string) => `🎚️ ${stem}`,
	wavLink: (url: string) => `💾 [Download the WAV](${url}) (lossless; the provider keeps it about 15 days)`,
	wavAttached: '💾 The WAV is attached (lossless).',
	videoLink: (url: string) => `🎬 [Watch the music video](${url})`,
	tooLarge: (url: string) => `Too large for this server’s upload limit: [download it](${url}).`,
	refusedAudio: (reason: string) => `${reason}`,
	reused: (links: string[]) => `Already done for this take, nothing charged again: ${links.join(' · ')}`,
	unfinishedReuse: 'This take is already being worked on: the result will be posted below it.',
	notOffered: 'This music provider does not offer this tool.',
	details: 'Details',
} as const;

export type StudioTool = 'split' | 'stems' | 'wav' | 'video';

const EMOJI: Record<StudioTool | 'fix' | 'singer', string> = {
	split: '✂️',
	stems: '🎛️',
	wav: '💾',
	video: '🎬',
	fix: '🩹',
	singer: '🎤',
};

/** The studio row under a take: Split, WAV and Video where the provider has them; none for families A and C. */
export function studioRows(
	capabilities: ToolFlags,
	taskId: string,
	clipId: string,
	options: { stems?: boolean } = {},
): APIActionRowComponent<APIButtonComponent>[] {
	const buttons: APIButtonComponent[] = [];
	const add = (action: StudioTool | 'fix' | 'singer', label: string) =>
		buttons.push({
			type: 2,
			style: 2,
			label,
			emoji: { name: EMOJI[action] },
			custom_id: encodeCustomId('studio', action, taskId, clipId),
		});
	if (hasTool(capabilities, 'split')) add('split', TEXT.splitButton);
	// Up to 12 stems cost the provider several times a split: only where the server's admin turned them on.
	if (options.stems && hasTool(capabilities, 'stems')) add('stems', TEXT.stemsButton);
	if (hasTool(capabilities, 'wav')) add('wav', TEXT.wavButton);
	if (hasTool(capabilities, 'video')) add('video', TEXT.videoButton);
	// Sections are picked from the take's timed lyrics, so fixing one needs both tools.
	if (hasTool(capabilities, 'replace') && hasTool(capabilities, 'timestamps')) add('fix', TEXT.fixButton);
	// Shown to everyone (a message cannot hide a button from some), answered for admins only.
	if (hasTool(capabilities, 'persona')) add('singer', TEXT.singerButton);
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
}

export function renderToolStatus(view: ToolStatusView): TrackerPayload {
	const stageText =
		view.stage === 'done' ? TEXT.stage[view.tool === 'stems' ? 'split' : view.tool] : TEXT.stage[view.stage];
	const lines: string[] = [stageText];
	if (view.problem) lines.push(truncate(view.problem, 1000));
	if (view.givenBack) lines.push(TEXT.givenBack);
	const embed: APIEmbed = {
		title: `${EMOJI[view.tool]} ${TEXT.toolName[view.tool]}`,
		description: lines.join('\n'),
		color: view.stage === 'failed' ? 0xed4245 : view.stage === 'done' ? 0x57f287 : 0x5865f2,
	};
	return { content: `${TEXT.of(view.title, view.take)} · <@${view.requesterId}>`, embeds: [embed], components: [] };
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
}

export function renderToolResult(view: ToolResultView): {
	content: string;
	embeds: APIEmbed[];
	components: APIActionRowComponent<APIButtonComponent>[];
} {
	const head = view.stem ? TEXT.part(view.stem) : `${EMOJI[view.tool]} ${TEXT.toolName[view.tool]}`;
	const d = view.delivery;
	let body = '';
	if (d.kind === 'refused') body = TEXT.refusedAudio(d.reason);
	else if (d.kind === 'link' && d.tooLarge) body = TEXT.tooLarge(d.url);
	else if (d.kind === 'link')
		body = view.tool === 'video' ? TEXT.videoLink(d.url) : view.tool === 'wav' ? TEXT.wavLink(d.url) : d.url;
	else if (view.tool === 'wav') body = TEXT.wavAttached;
	const embed: APIEmbed = {
		description: [head, body].filter(Boolean).join('\n'),
		color: 0x57f287,
		footer: { text: TEXT.of(view.title, view.take).replaceAll('**', '') },
	};
	const details: APIButtonComponent = {
		type: 2,
		style: 2,
		label: TEXT.details,
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
