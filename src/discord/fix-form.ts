import { randomBytes } from 'node:crypto';
import { type ButtonInteraction, ComponentType, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import { ProviderError, UserError } from '../core/errors.ts';
import type { Context } from './context.ts';
import { decodeCustomId, encodeCustomId, type ParsedCustomId } from './custom-id.ts';
import { NO_MENTIONS } from './router.ts';
import { userErrorText } from './views/limits.ts';
import { type Locale, localeOf, providerErrorText, t } from './i18n.ts';
import { msg } from '../i18n/index.ts';

/**
 * "Fix and try again" for every form: a submit refused before anything was sent (a limit, the word filter, a
 * missing field, the provider's input rules) answers with the refusal and a button that reopens the same form with
 * everything typed. The words are kept in the store for an hour under a short key (`<command>:fix:<key>`), so the
 * button works after a restart; each command rebuilds its own form from them.
 */

const FIX_TTL_MS = 3_600_000;
const typedKey = (key: string) => `form:typed:${key}`;

/** What a person typed in a refused form, and where: only they can reopen it, in the same server. */
interface TypedForm {
	guildId: string;
	userId: string;
	formId: string;
	values: Record<string, string>;
}

/**
 * Refusals no change to the form can fix: the song, take or sheet is gone, hidden or unfinished, the provider cannot
 * do it, the form is from an old bot, or it was sent outside a server.
 */
const UNFIXABLE = /(\.gone|\.old|\.unknown|\.hidden|\.removed|\.unsupported|^take\..*|^provider\..*|^guild\.only)$/;

/** The refusal's words when it is one a person can fix by changing the form; undefined otherwise. */
export function fixable(error: unknown, locale: Locale = 'en'): string | undefined {
	if (error instanceof UserError) return UNFIXABLE.test(error.id) ? undefined : userErrorText(error, locale);
	if (error instanceof ProviderError && error.kind === 'invalid_input' && !error.maybeAccepted)
		return providerErrorText(error, locale);
	return undefined;
}

/** The text inputs, radio groups and string selects of a submitted form, by custom id. */
export function typedValues(interaction: ModalSubmitInteraction): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [id, field] of interaction.fields.fields) {
		if ('value' in field && typeof field.value === 'string') values[id] = field.value;
		// A string select keeps its pick too (a file upload cannot: Discord needs the file again).
		else if (field.type === ComponentType.StringSelect && 'values' in field && typeof field.values?.[0] === 'string')
			values[id] = field.values[0];
	}
	return values;
}

/**
 * Runs a form's submit; a fixable refusal before the form was answered is shown with "Fix and try again". The
 * button belongs to the form's command (`<command>:fix:<key>`). Anything else is thrown as it was.
 */
export async function keepTyped(
	interaction: ModalSubmitInteraction,
	ctx: Context,
	work: () => Promise<unknown>,
): Promise<void> {
	try {
		await work();
	} catch (error) {
		const locale = localeOf(interaction);
		const text = fixable(error, locale);
		if (text === undefined || interaction.replied) throw error;
		const customId = await keepForm(ctx, interaction);
		if (!customId) throw error;
		// Deferred (privately) by a slow check: the refusal fills that private answer.
		const { flags: _ephemeral, ...answer } = fixButton(customId, locale);
		if (interaction.deferred) await interaction.editReply({ content: text, ...answer });
		else await interaction.reply({ content: text, ...fixButton(customId, locale) });
	}
}

/**
 * Keeps what was typed in a form for an hour; returns the custom id of its "Fix and try again" button
 * (`<command>:fix:<key>`), or undefined when it cannot be kept (a direct message, the store refused).
 */
export async function keepForm(ctx: Context, interaction: ModalSubmitInteraction): Promise<string | undefined> {
	const guildId = interaction.guildId;
	const command = decodeCustomId(interaction.customId)?.command;
	if (!guildId || !command) return undefined;
	const key = randomBytes(8).toString('hex');
	const saved: TypedForm = {
		guildId,
		userId: interaction.user.id,
		formId: interaction.customId,
		values: typedValues(interaction),
	};
	try {
		await ctx.store.setValue(typedKey(key), saved, { ttlMs: FIX_TTL_MS });
		return encodeCustomId(command, 'fix', key);
	} catch (err) {
		ctx.log.warn({ err }, 'could not keep a refused form for Fix and try again');
		return undefined;
	}
}

/** The ephemeral reply's button row. */
export function fixButton(customId: string, locale: Locale = 'en') {
	const label = t(locale, 'fix.button');
	const button = { type: 2, style: 1, label, emoji: { name: '✏️' }, custom_id: customId } as const;
	return {
		components: [{ type: 1, components: [button] }],
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	} as const;
}

/** The form a "Fix and try again" button names, with what was typed; refused for anyone but who typed it. */
export async function typedForm(
	ctx: Context,
	interaction: ButtonInteraction,
	key: string | undefined,
): Promise<{ id: ParsedCustomId; values: Record<string, string> }> {
	const saved = key ? await ctx.store.getValue<TypedForm>(typedKey(key)) : undefined;
	const id = saved ? decodeCustomId(saved.formId) : undefined;
	if (!saved || !id || saved.guildId !== interaction.guildId) throw new UserError('form.gone', msg('error.form.gone'));
	if (saved.userId !== interaction.user.id) throw new UserError('form.owner', msg('error.form.owner'));
	return { id, values: saved.values };
}

/** A kept value, trimmed; undefined when blank. */
export function kept(values: Record<string, string>, id: string): string | undefined {
	return values[id]?.trim() || undefined;
}
