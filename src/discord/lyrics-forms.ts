import type { APIModalInteractionResponseCallbackData } from 'discord.js';
import type { InputLimits } from '../core/provider.ts';
import { encodeCustomId } from './custom-id.ts';
import { type Locale, t } from './i18n.ts';
import { refArgs, type LyricsSheet, type SheetRef } from './lyrics-sheet.ts';
import { modal, type SongPrefill, songModal } from './modals.ts';

/**
 * The forms of /lyrics and its sheet: the theme, "Make a song" and "Edit". Each takes what was typed in a refused
 * one (`typed`, from "Fix and try again") over its usual values, so nothing typed is lost.
 */

export function themeForm(
	limits: InputLimits,
	typed: Record<string, string> = {},
	locale: Locale = 'en',
): APIModalInteractionResponseCallbackData {
	return modal(encodeCustomId('lyrics', 'theme'), t(locale, 'lyrics.form_title'), [
		{
			id: 'theme',
			label: t(locale, 'lyrics.form_theme'),
			long: true,
			required: true,
			max: limits.lyricsPrompt,
			value: typed.theme,
			placeholder: t(locale, 'lyrics.form_theme_hint'),
		},
	]);
}

export function makeSongForm(
	ref: SheetRef,
	sheet: LyricsSheet,
	limits: InputLimits,
	negativeStyle: boolean,
	typed: Record<string, string> = {},
	locale: Locale = 'en',
): APIModalInteractionResponseCallbackData {
	const prefill: SongPrefill = { title: sheet.title, lyrics: sheet.text };
	for (const key of ['title', 'lyrics', 'style', 'avoid'] as const)
		if (typed[key] !== undefined) prefill[key] = typed[key];
	return songModal(encodeCustomId('lyrics', 'song', ...refArgs(ref)), 'custom', limits, {
		instrumental: false,
		negativeStyle,
		prefill,
		locale,
	});
}

export function editForm(
	ref: SheetRef,
	sheet: LyricsSheet,
	limits: InputLimits,
	typed: Record<string, string> = {},
	locale: Locale = 'en',
): APIModalInteractionResponseCallbackData {
	return modal(encodeCustomId('lyrics', 'revise', ...refArgs(ref)), t(locale, 'lyrics.edit_title'), [
		{
			id: 'title',
			label: t(locale, 'lyrics.edit_field_title'),
			required: true,
			max: limits.title,
			value: typed.title ?? sheet.title,
		},
		{
			id: 'lyrics',
			label: t(locale, 'lyrics.edit_field_lyrics'),
			long: true,
			required: true,
			max: limits.lyrics,
			value: typed.lyrics ?? sheet.text,
		},
	]);
}
