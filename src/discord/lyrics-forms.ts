import type { APIModalInteractionResponseCallbackData } from 'discord.js';
import type { InputLimits } from '../core/provider.ts';
import { encodeCustomId } from './custom-id.ts';
import { refArgs, type LyricsSheet, type SheetRef } from './lyrics-sheet.ts';
import { modal, type SongPrefill, songModal } from './modals.ts';

/**
 * The forms of /lyrics and its sheet: the theme, "Make a song" and "Edit". Each takes what was typed in a refused
 * one (`typed`, from "Fix and try again") over its usual values, so nothing typed is lost.
 */

export function themeForm(
	limits: InputLimits,
	typed: Record<string, string> = {},
): APIModalInteractionResponseCallbackData {
	return modal(encodeCustomId('lyrics', 'theme'), 'Write lyrics', [
		{
			id: 'theme',
			label: 'What should the lyrics be about?',
			long: true,
			required: true,
			max: limits.lyricsPrompt,
			value: typed.theme,
			placeholder: 'Our raid night that went wrong, as a sea shanty',
		},
	]);
}

export function makeSongForm(
	ref: SheetRef,
	sheet: LyricsSheet,
	limits: InputLimits,
	negativeStyle: boolean,
	typed: Record<string, string> = {},
): APIModalInteractionResponseCallbackData {
	const prefill: SongPrefill = { title: sheet.title, lyrics: sheet.text };
	for (const key of ['title', 'lyrics', 'style', 'avoid'] as const)
		if (typed[key] !== undefined) prefill[key] = typed[key];
	return songModal(encodeCustomId('lyrics', 'song', ...refArgs(ref)), 'custom', limits, {
		instrumental: false,
		negativeStyle,
		prefill,
	});
}

export function editForm(
	ref: SheetRef,
	sheet: LyricsSheet,
	limits: InputLimits,
	typed: Record<string, string> = {},
): APIModalInteractionResponseCallbackData {
	return modal(encodeCustomId('lyrics', 'revise', ...refArgs(ref)), 'Edit the lyrics', [
		{ id: 'title', label: 'Title', required: true, max: limits.title, value: typed.title ?? sheet.title },
		{
			id: 'lyrics',
			label: 'Lyrics',
			long: true,
			required: true,
			max: limits.lyrics,
			value: typed.lyrics ?? sheet.text,
		},
	]);
}
