import type { APIModalInteractionResponseCallbackData, APITextInputComponent } from 'discord.js';
import type { InputLimits } from '../core/provider.ts';
import { clock } from './views/format.ts';

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
	options: { instrumental: boolean; negativeStyle: boolean; prefill?: SongPrefill },
): APIModalInteractionResponseCallbackData {
	const p = options.prefill ?? {};
	if (mode === 'describe')
		return modal(customId, 'Describe your song', [
			{
				id: 'description',
				label: 'What should the song be about?',
				long: true,
				required: true,
				max: limits.description,
				value: p.description,
				placeholder: 'A cheerful folk song about our server’s cat',
			},
			{ id: 'style', label: 'Style (optional)', max: limits.style, value: p.style, placeholder: 'folk, acoustic' },
			{ id: 'title', label: 'Title (optional)', max: limits.title, value: p.title },
		]);
	const fields: Field[] = [];
	if (!options.instrumental)
		fields.push({ id: 'lyrics', label: 'Lyrics', long: true, required: true, max: limits.lyrics, value: p.lyrics });
	fields.push(
		{
			id: 'style',
			label: 'Style',
			required: true,
			max: limits.style,
			value: p.style,
			placeholder: 'synthwave, female vocals',
		},
		{ id: 'title', label: 'Title', required: true, max: limits.title, value: p.title },
	);
	if (options.negativeStyle)
		fields.push({ id: 'avoid', label: 'Styles to avoid (optional)', max: limits.negativeStyle, value: p.avoid });
	return modal(customId, options.instrumental ? 'Your instrumental' : 'Your song', fields);
}

/** The extend form: where to continue from (validated against the take's length), new lyrics, style. */
export function extendModal(
	customId: string,
	limits: InputLimits,
	take: { title: string; durationSec?: number; style?: string },
	prefill: { at?: string; lyrics?: string; style?: string } = {},
): APIModalInteractionResponseCallbackData {
	const latest = take.durationSec !== undefined ? latestContinueAt(take.durationSec) : undefined;
	const end = latest !== undefined ? clock(latest) : undefined;
	return modal(customId, `Extend “${take.title}”`.slice(0, 45), [
		{
			id: 'at',
			label: end ? `Continue from (m:ss or seconds, up to ${end})` : 'Continue from (m:ss or seconds)',
			max: 10,
			value: prefill.at ?? end,
			placeholder: end ?? '1:20',
		},
		{
			id: 'lyrics',
			label: 'Lyrics for the new part (optional)',
			long: true,
			max: limits.lyrics,
			value: prefill.lyrics,
		},
		{ id: 'style', label: 'Style', max: limits.style, value: prefill.style ?? take.style },
	]);
}

/** The remix form: the take's lyrics, style and title, to change. */
export function remixModal(
	customId: string,
	limits: InputLimits,
	take: { title: string; lyrics?: string; style?: string },
): APIModalInteractionResponseCallbackData {
	return modal(customId, `Remix “${take.title}”`.slice(0, 45), [
		{ id: 'style', label: 'New style', required: true, max: limits.style, value: take.style },
		{ id: 'lyrics', label: 'Lyrics', long: true, max: limits.lyrics, value: take.lyrics },
		{ id: 'title', label: 'Title', required: true, max: limits.title, value: take.title },
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
