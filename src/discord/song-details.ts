import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { UserError } from '../core/errors.ts';
import { msg } from '../i18n/index.ts';
import type { TaskRecord } from '../core/records.ts';
import { songTitle } from '../core/records.ts';
import { takeName } from '../core/take-name.ts';
import type { Context } from './context.ts';
import { type Locale, localeOf, t } from './i18n.ts';
import { visibleSong } from './library.ts';
import { requestFacts } from './request-facts.ts';
import { NO_MENTIONS } from './router.ts';
import { takeWords } from './views/card.ts';
import { escapeMarkdown, inlineTitle, truncate } from './views/format.ts';
import { MODE_KEY } from './views/tracker-text.ts';

/**
 * The Details button on a song's messages: what the channel only previews (the full style, the description) and
 * the reference an operator needs to find the song in the logs or the provider's dashboard. Ephemeral, so the
 * channel never shows an id.
 */

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
	if (!task) throw new UserError('song.gone', msg('card.gone'));
	await interaction.reply({
		...renderDetails(task, clipId, localeOf(interaction)),
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
}

/** `locale`: the member's (the reply is only theirs). */
export function renderDetails(task: TaskRecord, clipId?: string, locale: Locale = 'en') {
	const facts = requestFacts(task);
	const clip = task.clips.find((c) => c.id === clipId);
	const style = clip?.tags ?? facts.style;
	const request = task.request;
	const description =
		'request' in request && 'description' in request.request ? request.request.description : undefined;
	const fields = [
		...(facts.model ? [{ name: t(locale, 'card.model'), value: facts.model, inline: true }] : []),
		{
			name: t(locale, 'card.kind'),
			value: facts.instrumental
				? t(locale, 'card.with_instrumental', { kind: t(locale, MODE_KEY[facts.mode]) })
				: t(locale, MODE_KEY[facts.mode]),
			inline: true,
		},
		...(description
			? [{ name: t(locale, 'card.description'), value: truncate(escapeMarkdown(description), FIELD_MAX) }]
			: []),
		{ name: t(locale, 'card.reference'), value: `\`${task.id}\``.slice(0, FIELD_MAX) },
	];
	return {
		embeds: [
			{
				title: `ℹ️ ${inlineTitle(clip ? takeName(task, clip, undefined, takeWords(locale)) : songTitle(task), 240)}`,
				...(style
					? { description: `**${t(locale, 'card.style')}:** ${truncate(escapeMarkdown(style), DESCRIPTION_MAX - 20)}` }
					: {}),
				fields,
			},
		],
	};
}
