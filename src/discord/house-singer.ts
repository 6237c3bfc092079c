import { type ButtonInteraction, type ModalSubmitInteraction, PermissionFlagsBits } from 'discord.js';
import { chargeFor } from '../core/costs.ts';
import { UserError } from '../core/errors.ts';
import { PERSONA_WINDOW, type Persona } from '../core/studio.ts';
import type { Context } from './context.ts';
import { encodeCustomId } from './custom-id.ts';
import { rulesFor } from './limits.ts';
import { fieldText, modal, parseTime } from './modals.ts';
import { NO_MENTIONS } from './router.ts';
import { loadTake } from './take-source.ts';
import { clock, inlineTitle } from './views/format.ts';
import { msg } from '../i18n/index.ts';
import { localeOf, t } from './i18n.ts';

/**
 * House singer (issue 17): an admin turns a take's voice into the server's persona (generate-persona, from 10 to
 * 30 s of its vocals, charged at the server's `persona` cost); /song then offers "house singer" as a voice.
 */

/** /song refuses the house singer outside "write lyrics" (commands/song.ts). */
export const SINGER_TEXT = { lyricsOnly: msg('studio.singer_lyrics_only') } as const;

export interface HouseSinger extends Persona {
	by: string;
	at: number;
}

export const singerKey = (guildId: string) => `studio:singer:${guildId}`;

function requireAdmin(interaction: ButtonInteraction | ModalSubmitInteraction): void {
	if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild))
		throw new UserError('studio.admins-only', msg('studio.singer_admins_only'));
}

/** The House singer button: the form for the singer's name, voice and vocal window. */
export async function openSinger(interaction: ButtonInteraction, ctx: Context, args: string[]): Promise<void> {
	requireAdmin(interaction);
	const [taskId, clipId] = args;
	const source = await loadTake(ctx, interaction, taskId && clipId ? { taskId, clipId } : undefined);
	const end = Math.min(source.clip.durationSec ?? PERSONA_WINDOW.maxSec, PERSONA_WINDOW.maxSec);
	const locale = localeOf(interaction);
	await interaction.showModal(
		modal(
			encodeCustomId('studio', 'singer-make', source.task.id, source.clip.id),
			t(locale, 'studio.singer_form_title'),
			[
				{ id: 'name', label: t(locale, 'studio.singer_name'), required: true, max: 80 },
				{ id: 'description', label: t(locale, 'studio.singer_description'), long: true, required: true, max: 500 },
				{ id: 'from', label: t(locale, 'studio.singer_from'), required: true, max: 8, value: clock(0) },
				{ id: 'to', label: t(locale, 'studio.singer_to'), required: true, max: 8, value: clock(end) },
			],
		),
	);
}

/** The form sent: the persona is made at the provider and kept as the server's house singer. */
export async function makeSinger(interaction: ModalSubmitInteraction, ctx: Context, args: string[]): Promise<void> {
	requireAdmin(interaction);
	const studio = ctx.provider.studio;
	const guildId = interaction.guildId;
	if (!studio || !guildId) throw new UserError('studio.unavailable', msg('studio.not_offered'));
	const [taskId, clipId] = args;
	const source = await loadTake(ctx, interaction, taskId && clipId ? { taskId, clipId } : undefined);
	const from = parseTime(fieldText(interaction, 'from') ?? '');
	const to = parseTime(fieldText(interaction, 'to') ?? '');
	if (from === undefined || to === undefined) throw new UserError('input.time', msg('studio.singer_bad_time'));
	const name = fieldText(interaction, 'name') ?? '';
	const description = fieldText(interaction, 'description') ?? '';
	const rules = await rulesFor(ctx, guildId);
	const ticket = await ctx.quotas.take(guildId, interaction.user.id, rules.quota, chargeFor('persona', rules.costs));
	await interaction.deferReply();
	let persona: Persona;
	try {
		persona = await studio.persona({
			source: { taskId: source.task.id, clipId: source.clip.id },
			name,
			description,
			vocalStartSec: from,
			vocalEndSec: to,
			...(source.style ? { style: source.style } : {}),
		});
	} catch (error) {
		await ticket.refund();
		throw error;
	}
	const singer: HouseSinger = { ...persona, by: interaction.user.id, at: ctx.now() };
	await ctx.store.setValue(singerKey(guildId), singer);
	await interaction.editReply({
		content: t(localeOf(interaction), 'studio.singer_made', {
			name: inlineTitle(singer.name, 80),
			title: inlineTitle(source.title, 100),
			by: interaction.user.id,
		}),
		allowedMentions: NO_MENTIONS,
	});
}

/** The server's house singer for /song's "house singer" voice; refused plainly when there is none. */
export async function houseSinger(ctx: Context, guildId: string | null): Promise<HouseSinger> {
	const singer = guildId ? await ctx.store.getValue<HouseSinger>(singerKey(guildId)) : undefined;
	if (!singer) throw new UserError('studio.no-singer', msg('studio.singer_none'));
	return singer;
}
