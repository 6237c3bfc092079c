import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { UserError } from '../core/errors.ts';
import type { TaskRecord } from '../core/records.ts';
import { songTitle } from '../core/records.ts';
import { takeName } from '../core/take-name.ts';
import type { Context } from './context.ts';
import { visibleSong } from './library.ts';
import { requestFacts } from './present.ts';
import { NO_MENTIONS } from './router.ts';
import { escapeMarkdown, inlineTitle, truncate } from './views/format.ts';

/**
 * The Details button on a song's messages: what the channel only previews (the full style, the description) and
 * the reference an operator needs to find the song in the logs or the provider's dashboard. Ephemeral, so the
 * channel never shows an id.
 */

/** Every new string this reply shows, in one place for the message catalog. */
const TEXT = {
	gone: 'This song is gone: old songs are removed after a while.',
	style: 'Style',
	description: 'Description',
	model: 'Model',
	kind: 'Kind',
	instrumental: 'instrumental',
	reference: 'Reference for the bot operator',
	mode: {
		describe: 'from a description',
		custom: 'from lyrics',
		extend: 'extension',
		remix: 'remix',
		lyrics: 'lyrics',
		full: 'full song',
	},
} as const;

/** Discord's limit for an embed's description and for a field's value. */
const DESCRIPTION_MAX = 4096;
const FIELD_MAX = 1024;

export async function showDetails(
	interaction: ButtonInteraction,
	ctx: Context,
	args: readonly string[],
): Promise<void> {
	const [id, clipId] = args;
	const task = await visibleSong(ctx, interaction, id);
	if (!task) throw new UserError('song.gone', TEXT.gone);
	await interaction.reply({
		...renderDetails(task, clipId),
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
}

export function renderDetails(task: TaskRecord, clipId?: string) {
	const facts = requestFacts(task);
	const clip = task.clips.find((c) => c.id === clipId);
	const style = clip?.tags ?? facts.style;
	const request = task.request;
	const description =
		'request' in request && 'description' in request.request ? request.request.description : undefined;
	const fields = [
		...(facts.model ? [{ name: TEXT.model, value: facts.model, inline: true }] : []),
		{
			name: TEXT.kind,
			value: `${TEXT.mode[facts.mode]}${facts.instrumental ? `, ${TEXT.instrumental}` : ''}`,
			inline: true,
		},
		...(description ? [{ name: TEXT.description, value: truncate(escapeMarkdown(description), FIELD_MAX) }] : []),
		{ name: TEXT.reference, value: `\`${task.id}\``.slice(0, FIELD_MAX) },
	];
	return {
		embeds: [
			{
				title: `ℹ️ ${inlineTitle(clip ? takeName(task, clip) : songTitle(task), 240)}`,
				...(style
					? { description: `**${TEXT.style}:** ${truncate(escapeMarkdown(style), DESCRIPTION_MAX - 20)}` }
					: {}),
				fields,
			},
		],
	};
}
