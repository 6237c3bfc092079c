import {
	type ButtonInteraction,
	MessageFlags,
	type ModalSubmitInteraction,
	type StringSelectMenuInteraction,
} from 'discord.js';
import { UserError } from '../core/errors.ts';
import { type Jam, type JamResult, pollStyles, SECTION_TYPES, type SectionType } from '../core/jam.ts';
import { jamPollHours, readGuildSettings } from '../core/settings.ts';
import { checkTexts } from './admin-rules.ts';
import type { Context } from './context.ts';
import { NO_MENTIONS } from './router.ts';
import { localeOf } from './i18n.ts';
import { jamText, REFUSALS, renderStylePoll } from './views/jam.ts';

/** What the jam command's handlers share: finding the jam a click names, changing its sheet, its style poll, forms. */

export function requireJams(ctx: Context): NonNullable<Context['jams']> {
	if (!ctx.jams) throw new UserError('jam.off', REFUSALS.off);
	return ctx.jams;
}

export type JamInteraction = ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

/** The jam a component names; only inside its own thread (a copy of the sheet elsewhere does nothing). */
export async function jamOf(ctx: Context, interaction: JamInteraction, threadId: string | undefined): Promise<Jam> {
	const found = threadId ? await requireJams(ctx).get(threadId) : undefined;
	if (!found || interaction.channelId !== found.threadId || interaction.guildId !== found.guildId)
		throw new UserError('jam.gone', REFUSALS.gone);
	if (found.closedAt !== undefined) throw new UserError('jam.closed', REFUSALS.closed);
	return found;
}

/** Applies a change and shows the sheet as it is now: in place when the click came from the sheet. */
export async function changeSheet(
	interaction: JamInteraction,
	ctx: Context,
	current: Jam,
	change: (jam: Jam) => JamResult,
): Promise<unknown> {
	const jams = requireJams(ctx);
	const result = await jams.update(current.threadId, change);
	if (!result) throw new UserError('jam.gone', REFUSALS.gone);
	if (!result.ok) throw new UserError(`jam.${result.reason}`, REFUSALS[result.reason]);
	const sheetId = result.jam.sheetMessageId;
	if (interaction.isMessageComponent() && interaction.message.id === sheetId)
		return interaction.update(jams.sheet(result.jam));
	if (interaction.isModalSubmit() && interaction.isFromMessage() && interaction.message.id === sheetId)
		return interaction.update(jams.sheet(result.jam));
	await jams.refresh(result.jam);
	return interaction.reply({ content: jamText(localeOf(interaction)).saved, flags: MessageFlags.Ephemeral });
}

/** A native poll in the thread on the jam's style and the styles suggested there; counted when it ends. */
export async function openStylePoll(interaction: ButtonInteraction, ctx: Context, current: Jam) {
	const styles = pollStyles(current);
	if (styles.length < 2) throw new UserError('jam.few-styles', REFUSALS['few-styles']);
	if (current.stylePoll) throw new UserError('jam.poll-open', REFUSALS['poll-open']);
	const jams = requireJams(ctx);
	const hours = jamPollHours(await readGuildSettings(ctx.store, current.guildId));
	const opened = await jams.openPoll(current.threadId, styles, async () => {
		const response = await interaction.reply({
			// The poll is posted in the thread for everyone: the server's language.
			...renderStylePoll(current, styles, jams.locale(current), hours),
			allowedMentions: NO_MENTIONS,
			withResponse: true,
		});
		return response.resource?.message?.id;
	});
	if (opened) await jams.refresh(opened);
}

export async function checkWords(ctx: Context, current: Jam, texts: { field: string; text: string }[]) {
	checkTexts(await readGuildSettings(ctx.store, current.guildId), texts);
}

export function textOf(interaction: ModalSubmitInteraction, name: string): string {
	try {
		return interaction.fields.getTextInputValue(name).trim();
	} catch {
		return '';
	}
}

export function typeOf(interaction: ModalSubmitInteraction): SectionType {
	let picked: string | undefined;
	try {
		picked = interaction.fields.getStringSelectValues('type')[0];
	} catch {
		picked = undefined;
	}
	const type = SECTION_TYPES.find((t) => t === picked);
	if (!type) throw new UserError('jam.type', REFUSALS.type);
	return type;
}
