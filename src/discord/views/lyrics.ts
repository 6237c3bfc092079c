import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import type { TaskRecord } from '../../core/records.ts';
import { encodeCustomId } from '../custom-id.ts';
import { clock, escapeMarkdown, truncate } from './format.ts';

/** One version of a lyrics sheet as shown in the channel. */
export interface LyricsSheetView {
	title: string;
	text: string;
	/** e.g. "written by @a · revised by @b" */
	credit: string;
	/** Custom-id arguments that identify the sheet for the buttons (task id + version, or a stored sheet id). */
	ref: string[];
	footer?: string;
}

/** Title, lyrics and the Make a song / Edit / Regenerate buttons. */
export function renderSheet(view: LyricsSheetView): {
	content: string;
	embeds: APIEmbed[];
	components: APIActionRowComponent<APIButtonComponent>[];
} {
	const embed: APIEmbed = {
		title: truncate(`📝 ${view.title}`, 256),
		description: truncate(escapeMarkdown(view.text), 4000),
		color: 0x5865f2,
		fields: [{ name: 'Credits', value: view.credit, inline: false }],
		...(view.footer ? { footer: { text: view.footer } } : {}),
	};
	const button = (action: string, label: string, emoji: string, style = 2): APIButtonComponent => ({
		type: 2,
		style,
		label,
		emoji: { name: emoji },
		custom_id: encodeCustomId('lyrics', action, ...view.ref),
	});
	return {
		content: '',
		embeds: [embed],
		components: [
			{
				type: 1,
				components: [
					button('make', 'Make a song', '🎵', 1),
					button('edit', 'Edit', '✏️'),
					button('regen', 'Regenerate', '🔁'),
				],
			},
		],
	};
}

/** The tracker message of a /lyrics task: progress while writing, then the first version as a sheet. */
export function renderLyricsSheet(task: TaskRecord, now: number) {
	const prompt = task.request.action === 'lyrics' ? task.request.prompt : '';
	const first = task.lyrics?.[0];
	if (task.state.status === 'failed' || !first) {
		const failed = task.state.status === 'failed' ? task.state.failure.message : undefined;
		const embed: APIEmbed = {
			title: failed ? '❌ Lyrics failed' : '✍️ Writing lyrics…',
			description: truncate(
				`About: ${escapeMarkdown(prompt)}${failed ? `\n\n${failed} (task \`${task.id}\`)` : ''}`,
				4000,
			),
			color: failed ? 0xed4245 : 0x99aab5,
			fields: [
				{ name: 'Asked by', value: `<@${task.requester.userId}>`, inline: true },
				{ name: 'Elapsed', value: clock((now - task.createdAt) / 1000), inline: true },
			],
			footer: { text: `task ${task.id}` },
		};
		return { content: '', embeds: [embed], components: [] };
	}
	return renderSheet({
		title: first.title || 'Untitled lyrics',
		text: first.text,
		credit: `written with <@${task.requester.userId}> about “${truncate(escapeMarkdown(prompt), 200)}”`,
		ref: [task.id, '0'],
		footer: `version 1 · task ${task.id}`,
	});
}
