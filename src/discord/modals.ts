import type { APIModalInteractionResponseCallbackData, APITextInputComponent } from 'discord.js';
import type { InputLimits } from '../core/provider.ts';
import { clock } from './views/format.ts';
import { type Locale, t } from './i18n.ts';

/** Discord caps a text input at 4,000 characters, whatever the provider allows. */
const DISCORD_INPUT_MAX = 4000;

interface Field {
	id: string;
	label: string;
	long?: boolean;
	required?: boolean;
	max: number;
	value?: string | undefined;
	placeholder?: string;
}

function input(field: Field): APITextInputComponent {
	const max = Math.max(1, Math.min(field.max, DISCORD_INPUT_MAX));
	return {
		type: 4,
		custom_id: field.id,
		label: field.label,
		style: field.long ? 2 : 1,
		required: field.required ?? false,
		max_length: max,
		...(field.value ? { value: field.value.slice(0, max) } : {}),
		...(field.placeholder ? { placeholder: field.placeholder.slice(0, 100) } : {}),
	};
}

/** A modal with one text input per row (Discord allows five). */
export function modal(customId: string, title: string, fields: Field[]): APIModalInteractionResponseCallbackData {
	return {
		custom_id: customId,
		title: title.slice(0, 45),
		components: fields.slice(0, 5).map((f) => ({ type: 1, components: [input(f)] })),
	};
}

export interface SongPrefill {
	description?: string;
	lyrics?: string;
	style?: string;
	title?: string;
	avoid?: string;
}

/** The /song form: a description in describe mode; lyrics, style, title and styles to avoid in lyrics mode. */
export function songModal(
	customId: string,
	mode: 'describe' | 'custom',
	limits: InputLimits,
	options: { instrumental: boolean; negativeStyle: boolean; prefill?: SongPrefill; locale?: Locale },
): APIModalInteractionResponseCallbackData {
	const p = options.prefill ?? {};
	const locale = options.locale ?? 'en';
	if (mode === 'describe')
		return modal(customId, t(locale, 'form.describe_title'), [
			{
				id: 'description',
				label: t(locale, 'form.description'),
				long: true,
				required: true,
				max: limits.description,
				value: p.description,
				placeholder: t(locale, 'form.description_hint'),
			},
			{
				id: 'style',
				label: t(locale, 'form.style_optional'),
				max: limits.style,
				value: p.style,
				placeholder: t(locale, 'form.style_hint_describe'),
			},
			{ id: 'title', label: t(locale, 'form.title_optional'), max: limits.title, value: p.title },
		]);
	const fields: Field[] = [];
	if (!options.instrumental)
		fields.push({
			id: 'lyrics',
			label: t(locale, 'form.lyrics'),
			long: true,
			required: true,
			max: limits.lyrics,
			value: p.lyrics,
		});
	fields.push(
		{
			id: 'style',
			label: t(locale, 'form.style'),
			required: true,
			max: limits.style,
			value: p.style,
			placeholder: t(locale, 'form.style_hint'),
		},
		{ id: 'title', label: t(locale, 'form.title'), required: true, max: limits.title, value: p.title },
	);
	if (options.negativeStyle)
		fields.push({ id: 'avoid', label: t(locale, 'form.avoid'), max: limits.negativeStyle, value: p.avoid });
	return modal(customId, t(locale, options.instrumental ? 'form.instrumental_title' : 'form.song_title'), fields);
}

/** The extend form: where to continue from (validated against the take's length), new lyrics, style. */
export function extendModal(
	customId: string,
	limits: InputLimits,
	take: { title: string; durationSec?: number; style?: string },
	prefill: { at?: string; lyrics?: string; style?: string } = {},
	locale: Locale = 'en',
): APIModalInteractionResponseCallbackData {
	const latest = take.durationSec !== undefined ? latestContinueAt(take.durationSec) : undefined;
	const end = latest !== undefined ? clock(latest) : undefined;
	return modal(customId, t(locale, 'form.extend_title', { title: take.title }).slice(0, 45), [
		{
			id: 'at',
			label: end ? t(locale, 'form.continue_from_end', { end }) : t(locale, 'form.continue_from'),
			max: 10,
			value: prefill.at ?? end,
			placeholder: end ?? '1:20',
		},
		{
			id: 'lyrics',
			label: t(locale, 'form.new_lyrics'),
			long: true,
			max: limits.lyrics,
			value: prefill.lyrics,
		},
		{ id: 'style', label: t(locale, 'form.style'), max: limits.style, value: prefill.style ?? take.style },
	]);
}

/** The remix form: the take's lyrics, style and title, to change. */
export function remixModal(
	customId: string,
	limits: InputLimits,
	take: { title: string; lyrics?: string; style?: string },
	locale: Locale = 'en',
): APIModalInteractionResponseCallbackData {
	return modal(customId, t(locale, 'form.remix_title', { title: take.title }).slice(0, 45), [
		{ id: 'style', label: t(locale, 'form.new_style'), required: true, max: limits.style, value: take.style },
		{ id: 'lyrics', label: t(locale, 'form.lyrics'), long: true, max: limits.lyrics, value: take.lyrics },
		{ id: 'title', label: t(locale, 'form.title'), required: true, max: limits.title, value: take.title },
	]);
}

/**
 * The end of a take as a place to continue from: its last whole second strictly before the end, because
 * providers want a point inside the take (family B refuses continueAt ≥ duration). Undefined under a second.
 */
export function latestContinueAt(durationSec: number): number | undefined {
	const latest = Math.ceil(durationSec) - 1;
	return latest > 0 ? latest : undefined;
}

/** Parses "m:ss", "h:mm:ss" or plain seconds; undefined when it is neither. */
export function parseTime(text: string): number | undefined {
	const t = text.trim();
	if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
	const m = /^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$/.exec(t);
	if (!m) return undefined;
	return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** A submitted text input, trimmed; undefined when it is blank or not part of the form. */
export function fieldText(
	submitted: { fields: { getTextInputValue(id: string): string } },
	id: string,
): string | undefined {
	try {
		return submitted.fields.getTextInputValue(id).trim() || undefined;
	} catch {
		// discord.js throws for a field the form did not have (e.g. a form from an older version).
		return undefined;
	}
}
