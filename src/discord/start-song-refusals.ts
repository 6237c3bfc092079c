import { randomBytes } from 'node:crypto';
import { MessageFlags } from 'discord.js';
import { NotSentError, ProviderError, UserError } from '../core/errors.ts';
import type { SongRequest } from '../core/records.ts';
import type { Context } from './context.ts';
import { encodeCustomId } from './custom-id.ts';
import { keepForm } from './fix-form.ts';
import { localeOf, providerErrorText, serverLocale, t } from './i18n.ts';
import { NO_MENTIONS } from './router.ts';
import type { SongInteraction } from './start-song.ts';
import type { Admission } from './start-song-checks.ts';
import { userErrorText } from './views/limits.ts';

/**
 * What a refused song start leaves behind: what is given back, what is kept so nothing typed is lost, and what the
 * person is told. Apart from start-song.ts because it is bookkeeping for the unhappy paths, read when one of them
 * changes, and shared by the checks before the start (start-song-checks.ts) and the start itself.
 */

/** A song the provider refused before any task existed, kept a day for its "Change and try again" button. */
export interface RefusedSubmit {
	guildId: string;
	request: Extract<SongRequest, { action: 'generate' }>['request'];
}

export const refusedKey = (key: string) => `song:refused:${key}`;
const REFUSED_TTL_MS = 86_400_000;

/** A form refused before anything was sent keeps what was typed this long, for its "Fix and try again" button. */
const FIX_TTL_MS = 3_600_000;

/**
 * A /song form refused before anything was sent (the provider's input rules, the word filter, a limit): the
 * refusal comes with "Fix and try again", which reopens the form with everything typed (the `song:again` button of
 * a provider refusal), so nothing typed is lost. Anything else, or when the words cannot be kept, is thrown as is.
 */
export async function refuseWithForm(
	interaction: SongInteraction,
	ctx: Context,
	guildId: string,
	request: SongRequest,
	error: unknown,
): Promise<undefined> {
	// The provider's input rules are checked here, by the bot: a ProviderError of kind invalid_input sent nothing.
	const locale = localeOf(interaction);
	const text =
		error instanceof UserError
			? userErrorText(error, locale)
			: error instanceof ProviderError && error.kind === 'invalid_input' && !error.maybeAccepted
				? providerErrorText(error, locale)
				: undefined;
	if (text === undefined || request.action !== 'generate' || interaction.replied || interaction.deferred) throw error;
	// Other forms (the whole /song form, Make a song from a sheet, a remix) are reopened as they were: fix-form.ts.
	if (interaction.isModalSubmit() && !interaction.customId.startsWith('song:submit')) throw error;
	let key: string;
	try {
		key = await keepRefused(ctx, guildId, request.request, FIX_TTL_MS);
	} catch (err) {
		ctx.log.warn({ err }, 'could not keep the refused form for Fix and try again');
		throw error;
	}
	const button = { type: 2, style: 1, label: t(locale, 'fix.button'), emoji: { name: '✏️' } } as const;
	await interaction.reply({
		content: text,
		components: [{ type: 1, components: [{ ...button, custom_id: encodeCustomId('song', 'again', key) }] }],
		flags: MessageFlags.Ephemeral,
		allowedMentions: NO_MENTIONS,
	});
	return undefined;
}

/** What the song's message shows after a failed submit, and the keys of its buttons to change the words. */
export interface SubmitFailure {
	problem: string;
	again: { retryKey?: string; fixId?: string };
}

/**
 * A submit that failed: gives the quota and the claim back unless the provider may have taken the request, keeps
 * refused words for a retry, and says what happened in the server's language (the song's message is public).
 */
export async function submitFailure(
	interaction: SongInteraction,
	ctx: Context,
	admission: Pick<Admission, 'guildId' | 'claim' | 'refund'>,
	request: SongRequest,
	error: unknown,
): Promise<SubmitFailure> {
	const { guildId, claim } = admission;
	let problem: string;
	const locale = serverLocale(interaction.guild);
	if (error instanceof ProviderError && error.kind === 'credits')
		void ctx.credits?.refused(guildId).catch((err: unknown) => ctx.log.warn({ err }, 'credits alert failed'));
	if (error instanceof NotSentError) {
		const ref = randomBytes(4).toString('hex');
		ctx.log.error({ err: error.cause, ref, guildId }, 'request not saved, so not sent');
		// The store that refused the request may refuse the refund too: then the text does not promise one.
		let givenBack = true;
		await admission.refund().catch((e: unknown) => {
			givenBack = false;
			ctx.log.error({ err: e, ref }, 'quota not given back');
		});
		await claim.release().catch((e: unknown) => ctx.log.warn({ err: e, ref }, 'request claim not released'));
		const notSaved = t(locale, 'form.submit_not_saved');
		const problemText = givenBack ? t(locale, 'form.submit_refunded', { problem: notSaved }) : notSaved;
		problem = t(locale, 'form.submit_try_later', { problem: problemText, ref });
	} else if (error instanceof ProviderError) {
		if (!error.maybeAccepted) {
			await admission.refund();
			await claim.release();
		}
		const said = providerErrorText(error, locale);
		problem = error.maybeAccepted
			? t(locale, 'form.submit_maybe_accepted', { problem: said })
			: error.kind === 'invalid_input' || error.kind === 'content_policy'
				? said
				: t(locale, 'form.submit_refunded', { problem: said });
		ctx.log.warn({ err: error, guildId, userId: interaction.user.id }, 'provider refused a submit');
	} else {
		const ref = randomBytes(4).toString('hex');
		ctx.log.error({ err: error, ref, guildId }, 'submit failed');
		problem = t(locale, 'form.submit_failed', { ref });
	}
	return { problem, again: await saveRefused(ctx, interaction, guildId, request, error) };
}

/** Words the provider refused (content, invalid input): the form can be reopened filled in, to change them. */
async function saveRefused(
	ctx: Context,
	interaction: SongInteraction,
	guildId: string,
	request: SongRequest,
	error: unknown,
): Promise<SubmitFailure['again']> {
	const editable =
		error instanceof ProviderError && (error.kind === 'content_policy' || error.kind === 'invalid_input');
	if (!editable) return {};
	// Any other form (the whole /song form, an extension, a remix): reopened as it was (fix-form.ts).
	if (interaction.isModalSubmit() && !interaction.customId.startsWith('song:submit')) {
		const fixId = await keepForm(ctx, interaction);
		return fixId ? { fixId } : {};
	}
	if (request.action !== 'generate') return {};
	try {
		return { retryKey: await keepRefused(ctx, guildId, request.request, REFUSED_TTL_MS) };
	} catch (err) {
		ctx.log.warn({ err }, 'could not keep the refused request for a retry');
		return {};
	}
}

/** Keeps a refused /song request under a fresh key, which its button carries; throws when the store refuses. */
async function keepRefused(
	ctx: Context,
	guildId: string,
	request: RefusedSubmit['request'],
	ttlMs: number,
): Promise<string> {
	const key = randomBytes(8).toString('hex');
	const saved: RefusedSubmit = { guildId, request };
	await ctx.store.setValue(refusedKey(key), saved, { ttlMs });
	return key;
}
