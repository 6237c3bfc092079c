import { randomBytes } from 'node:crypto';
import type { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { GenerateRequest } from '../src/core/provider.ts';
import { readGuildSettings } from '../src/core/settings.ts';
import { checkTexts } from '../src/discord/admin-rules.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { type Viewer, visibleSong } from '../src/discord/library.ts';
import type { ParsedCustomId } from '../src/discord/custom-id.ts';
import {
	type LyricsSheet,
	parseRef,
	parseSheet,
	revise,
	revisionCounterKey,
	type SheetRef,
	sheetFromTask,
	sheetKey,
	sheetLineage,
	sheetView,
	songCredits,
	themeOf,
} from '../src/discord/lyrics-sheet.ts';
import { checkBeforeForm } from '../src/discord/limits.ts';
import { editForm, makeSongForm, themeForm } from '../src/discord/lyrics-forms.ts';
import { fieldText } from '../src/discord/modals.ts';
import { once } from '../src/discord/click-guard.ts';
import { keepTyped, typedForm } from '../src/discord/fix-form.ts';
import { POST_SONG, requireHere } from '../src/discord/permissions.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { SAVED_STATE_TTL_MS } from '../src/discord/saved-state.ts';
import { startSong } from '../src/discord/start-song.ts';
import { renderSheet } from '../src/discord/views/lyrics.ts';
import { chooseModel } from './song.ts';
import { localeOf, slash } from '../src/discord/i18n.ts';
import { msg } from '../src/i18n/index.ts';

/** A revision is an interaction reply: it needs no Send Messages, but its sheet is an embed. */
const REVISION = {
	ViewChannel: 'studio.perm_view_channel',
	EmbedLinks: 'studio.perm_embed_links',
} as const;

/** Discord caps a text input at 4,000 characters, so a pre-filled form may hold less than the sheet. */
const DISCORD_INPUT_MAX = 4000;

/**
 * `/lyrics`: a theme in, a lyrics sheet out (the tracker message of a lyrics task). The sheet's buttons turn it
 * into a song, post a revised version, or write new lyrics on the same theme. A sheet is either one of the
 * provider's versions (task id + version in the custom id) or a revision people posted (stored, short id).
 */
export const lyrics = {
	name: 'lyrics',
	data() {
		return {
			...slash('cmd.lyrics'),
			dm_permission: false,
		};
	},

	async execute(interaction, ctx) {
		requireLyrics(ctx);
		// Checked before the form as well as by startSong, so nobody types a theme only to be refused.
		requireHere(interaction, POST_SONG);
		await checkBeforeForm(interaction, ctx, 'lyrics');
		await interaction.showModal(themeForm(ctx.provider.limits(chooseModel(ctx, undefined)), {}, localeOf(interaction)));
	},

	async button(interaction, ctx, id) {
		// Regenerate asks for the same theme again on purpose: keyed by the sheet, so a double click writes once.
		// Two people pressing it at once write once too: the click guard is per message, not per person.
		if (id.action === 'regen')
			return once(
				ctx,
				interaction,
				async () =>
					writeLyrics(interaction, ctx, await themeFor(ctx, interaction, id.args), `regen:${id.args.join(':')}`),
				{ sameUserToDedupe: true },
			);
		if (id.action === 'fix') return fixForm(interaction, ctx, id.args[0]);
		const { ref, sheet } = await loadSheet(ctx, interaction, id.args);
		return openSheetForm(interaction, ctx, id.action, ref, sheet);
	},

	async modal(interaction, ctx, id) {
		return keepTyped(interaction, ctx, () => submitForm(interaction, ctx, id));
	},
} satisfies Command<Context>;

async function submitForm(interaction: ModalSubmitInteraction, ctx: Context, id: ParsedCustomId) {
	if (id.action === 'theme') {
		const theme = fieldText(interaction, 'theme');
		if (!theme) throw new UserError('input.theme', msg('error.input.theme'));
		return writeLyrics(interaction, ctx, theme);
	}
	if (id.action === 'song') return makeSong(interaction, ctx, id.args);
	if (id.action === 'revise') return postRevision(interaction, ctx, id.args);
	return undefined;
}

/** "Make a song" and "Edit" on a sheet; `typed` is what a refused form held ("Fix and try again"). */
async function openSheetForm(
	interaction: ButtonInteraction,
	ctx: Context,
	action: string,
	ref: SheetRef,
	sheet: LyricsSheet,
	typed: Record<string, string> = {},
) {
	const limits = ctx.provider.limits(chooseModel(ctx, undefined));
	if (action === 'make') {
		requireHere(interaction, POST_SONG);
		await checkBeforeForm(interaction, ctx, 'song');
		const negativeStyle = ctx.provider.capabilities.negativeStyle;
		return interaction.showModal(makeSongForm(ref, sheet, limits, negativeStyle, typed, localeOf(interaction)));
	}
	if (action === 'edit') return interaction.showModal(editForm(ref, sheet, limits, typed, localeOf(interaction)));
	return undefined;
}

/** Reopens the refused form with what was typed: the theme, or a sheet's Make a song or Edit. */
async function fixForm(interaction: ButtonInteraction, ctx: Context, key: string | undefined) {
	const { id, values } = await typedForm(ctx, interaction, key);
	if (id.action === 'theme') {
		requireLyrics(ctx);
		requireHere(interaction, POST_SONG);
		await checkBeforeForm(interaction, ctx, 'lyrics');
		const limits = ctx.provider.limits(chooseModel(ctx, undefined));
		return interaction.showModal(themeForm(limits, values, localeOf(interaction)));
	}
	const { ref, sheet } = await loadSheet(ctx, interaction, id.args);
	return openSheetForm(interaction, ctx, id.action === 'song' ? 'make' : 'edit', ref, sheet, values);
}

function requireLyrics(ctx: Context): void {
	if (!ctx.provider.capabilities.lyrics) throw new UserError('lyrics.unsupported', msg('error.lyrics.unsupported'));
}

/**
 * Starts a lyrics task; its tracker message becomes the sheet. Lyrics are a paid call like any other: they
 * count against the daily limits at the server's lyrics cost (0 makes them free).
 */
async function writeLyrics(
	interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
	ctx: Context,
	theme: string,
	origin?: string,
) {
	requireLyrics(ctx);
	return startSong(interaction, ctx, {
		request: { action: 'lyrics', prompt: theme },
		...(origin ? { origin } : {}),
		preview: { mode: 'lyrics', model: '' },
	});
}

/** "Make a song": a custom-mode generation from the (possibly retouched) lyrics, crediting the sheet's people. */
async function makeSong(interaction: ModalSubmitInteraction, ctx: Context, args: readonly string[]) {
	const { sheet } = await loadSheet(ctx, interaction, args);
	const model = chooseModel(ctx, undefined);
	const lyrics = fieldText(interaction, 'lyrics');
	if (!lyrics) throw new UserError('input.lyrics', msg('error.input.lyrics_song'));
	const style = fieldText(interaction, 'style');
	const title = fieldText(interaction, 'title') ?? sheet.title;
	const avoid = fieldText(interaction, 'avoid');
	const request: GenerateRequest = {
		mode: 'custom',
		model,
		lyrics,
		title,
		...(style ? { style } : {}),
		...(avoid ? { negativeStyle: avoid } : {}),
	};
	const shown = sheet.text.slice(0, Math.min(ctx.provider.limits(model).lyrics, DISCORD_INPUT_MAX)).trim();
	await startSong(interaction, ctx, {
		request: { action: 'generate', request },
		lineage: sheetLineage(sheet),
		credits: songCredits(sheet, interaction.user.id, lyrics !== shown),
		preview: { mode: 'custom', model, title, ...(style ? { style } : {}) },
	});
}

/** "Edit": the revision is a new message (the old version stays), stored so its buttons survive a restart. */
async function postRevision(interaction: ModalSubmitInteraction, ctx: Context, args: readonly string[]) {
	if (!interaction.inGuild()) throw new UserError('guild.only', msg('error.guild_only.lyrics'));
	requireHere(interaction, REVISION);
	const { sheet: parent } = await loadSheet(ctx, interaction, args);
	const change = {
		title: fieldText(interaction, 'title') ?? '',
		text: fieldText(interaction, 'lyrics') ?? '',
		userId: interaction.user.id,
		now: ctx.now(),
	};
	const draft = revise(parent, change);
	if (!draft) throw new UserError('lyrics.unchanged', msg('error.lyrics.unchanged'));
	if (!draft.text) throw new UserError('input.lyrics', msg('error.input.lyrics_empty'));
	checkTexts(await readGuildSettings(ctx.store, interaction.guildId), [
		{ field: 'title', text: draft.title },
		{ field: 'lyrics', text: draft.text },
	]);
	// Numbered only once it will be posted, atomically: concurrent edits of one sheet never share a number.
	const ttlMs = SAVED_STATE_TTL_MS.lyricsSheet;
	const counted = await ctx.store.increment(revisionCounterKey(parent), { ttlMs });
	const sheet = revise(parent, { ...change, number: counted.value }) ?? draft;
	const id = randomBytes(6).toString('hex');
	await ctx.store.setValue(sheetKey(id), sheet, { ttlMs: SAVED_STATE_TTL_MS.lyricsSheet });
	await interaction.reply({
		...renderSheet(sheetView(sheet, { kind: 'saved', id })),
		allowedMentions: NO_MENTIONS,
	});
}

/** The sheet a button or form names; a sheet from a task goes through the library rule like every song. */
async function loadSheet(
	ctx: Context,
	viewer: Viewer,
	args: readonly string[],
): Promise<{ ref: SheetRef; sheet: LyricsSheet }> {
	const ref = parseRef(args);
	let sheet: LyricsSheet | undefined;
	if (ref?.kind === 'saved') sheet = parseSheet(await ctx.store.getValue(sheetKey(ref.id)));
	else if (ref) {
		const task = await visibleSong(ctx, viewer, ref.taskId);
		sheet = task && sheetFromTask(task, ref.version);
	}
	if (!ref || !sheet) throw gone();
	return { ref, sheet };
}

/** Regenerate also works on a failed task (its "Try again" button), which has a theme but no sheet. */
async function themeFor(ctx: Context, viewer: Viewer, args: readonly string[]): Promise<string> {
	const ref = parseRef(args);
	let theme: string | undefined;
	if (ref?.kind === 'saved') theme = parseSheet(await ctx.store.getValue(sheetKey(ref.id)))?.theme;
	else if (ref) {
		const task = await visibleSong(ctx, viewer, ref.taskId);
		theme = task && themeOf(task);
	}
	if (!theme) throw gone();
	return theme;
}

function gone(): UserError {
	return new UserError('lyrics.gone', msg('error.lyrics.gone'));
}
