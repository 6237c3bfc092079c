import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { readGuildSettings } from '../core/settings.ts';
import { takeName } from '../core/take-name.ts';
import type { Context } from './context.ts';
import { localeOf, t } from './i18n.ts';
import { takeRefFromArgs } from './take-ref.ts';
import { loadTake } from './take-source.ts';
import { takeWords } from './views/card.ts';
import { studioRows } from './views/studio.ts';

/**
 * 🎛️ Studio on a take of the song card opens that take's tools for the person who clicked, and only for them: the
 * card has one row per take, so the tools cannot all sit on it. The same library rule as every take action applies.
 */
export async function openStudio(interaction: ButtonInteraction, ctx: Context, args: readonly string[]): Promise<void> {
	const { task, clip } = await loadTake(ctx, interaction, takeRefFromArgs(args));
	const settings = await readGuildSettings(ctx.store, interaction.guildId ?? '');
	// Stems are offered where the server's admin set their cost (they cost the provider several times a split).
	const rows = studioRows(ctx.provider.capabilities, task.id, clip.id, { stems: settings.costs?.stems !== undefined });
	const locale = localeOf(interaction);
	await interaction.reply({
		content: t(locale, rows.length ? 'card.studio_panel' : 'card.studio_none', {
			take: takeName(task, clip, undefined, takeWords(locale)),
		}),
		components: rows,
		flags: MessageFlags.Ephemeral,
		allowedMentions: { parse: [] },
	});
}
