import { randomBytes } from 'node:crypto';
import { type ButtonInteraction, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import { chargeFor } from '../core/costs.ts';
import { ProviderError, UserError } from '../core/errors.ts';
import type { GenerateRequest } from '../core/provider.ts';
import { hasTool } from '../core/studio.ts';
import { checkWords } from './admin-rules.ts';
import type { Context } from './context.ts';
import { encodeCustomId } from './custom-id.ts';
import { rulesFor } from './limits.ts';
import { NO_MENTIONS } from './router.ts';
import { escapeMarkdown, truncate } from './views/format.ts';
import { msg } from '../i18n/index.ts';
import { localeOf, providerErrorText, t } from './i18n.ts';

/**
 * ✨ Boost style in the /song flow (issue 17): the form's short style is expanded by the provider (a synchronous
 * call, charged at the server's `boost` cost) and shown to the person with Use it, Edit and Keep mine: nothing is
 * generated before they choose. The request waits in the store for an hour, like a refused form.
 */

export interface BoostChoice {
	guildId: string;
	userId: string;
	request: GenerateRequest;
	boosted: string;
	/** The /song form's custom id parts (mode, model, instrumental, voice), to reopen it on Edit. */
	form: string[];
}

export const boostKey = (key: string) => `studio:boost:${key}`;
const BOOST_TTL_MS = 3_600_000;

/** True when /song asked for a boost and the provider has one. */
export function wantsBoost(ctx: Context, flag: string | undefined): boolean {
	return flag === 'b' && hasTool(ctx.provider.capabilities, 'boost');
}

/** Boosts the request's style and offers the choice; the song is started later by commands/studio.ts. */
export async function offerBoost(
	interaction: ModalSubmitInteraction,
	ctx: Context,
	request: GenerateRequest,
	form: string[],
): Promise<void> {
	const guildId = interaction.guildId;
	const studio = ctx.provider.studio;
	if (!guildId || !studio) throw new UserError('studio.unavailable', msg('studio.boost_unavailable'));
	const style = request.style?.trim();
	if (!style) throw new UserError('input.style', msg('studio.boost_needs_style'));
	const rules = await rulesFor(ctx, guildId);
	checkWords(rules.settings, { action: 'generate', request });
	const userId = interaction.user.id;
	const ticket = await ctx.quotas.take(guildId, userId, rules.quota, chargeFor('boost', rules.costs));
	await interaction.deferReply({ flags: MessageFlags.Ephemeral });
	const locale = localeOf(interaction);
	let boosted: string;
	try {
		boosted = await studio.boostStyle(style);
	} catch (error) {
		await ticket.refund();
		if (!(error instanceof ProviderError)) throw error;
		const why = providerErrorText(error, locale);
		await interaction.editReply({ content: t(locale, 'studio.boost_failed', { why }), allowedMentions: NO_MENTIONS });
		return;
	}
	const key = randomBytes(8).toString('hex');
	const choice: BoostChoice = { guildId, userId, request, boosted, form };
	await ctx.store.setValue(boostKey(key), choice, { ttlMs: BOOST_TTL_MS });
	const button = (action: string, words: `studio.boost_${'use' | 'edit' | 'keep'}`, style: number) => ({
		type: 2 as const,
		style,
		label: t(locale, words),
		custom_id: encodeCustomId('studio', action, key),
	});
	await interaction.editReply({
		content: t(locale, 'studio.boost_offer', {
			boosted: truncate(escapeMarkdown(boosted), 1500),
			mine: truncate(escapeMarkdown(style), 300),
		}),
		components: [
			{
				type: 1,
				components: [
					button('boost-use', 'studio.boost_use', 1),
					button('boost-edit', 'studio.boost_edit', 2),
					button('boost-keep', 'studio.boost_keep', 2),
				],
			},
		],
		allowedMentions: NO_MENTIONS,
	});
}

/** The saved choice behind a Use it / Edit / Keep mine button; only its person may use it. */
export async function loadChoice(interaction: ButtonInteraction, ctx: Context, key: string | undefined) {
	const choice = key ? await ctx.store.getValue<BoostChoice>(boostKey(key)) : undefined;
	if (!choice || choice.guildId !== interaction.guildId || choice.userId !== interaction.user.id)
		throw new UserError('studio.boost-expired', msg('studio.boost_expired'));
	return choice;
}
