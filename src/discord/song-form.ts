import type { APIModalInteractionResponseCallbackData, ModalSubmitInteraction } from 'discord.js';
import { UserError } from '../core/errors.ts';
import { msg } from '../i18n/index.ts';
import { acceptedModels, type GenerateRequest, type ModelId, resolveModel } from '../core/provider.ts';
import type { SongRequest } from '../core/records.ts';
import type { Context } from './context.ts';
import { encodeCustomId } from './custom-id.ts';
import { type Locale, t } from './i18n.ts';
import { checkAudioAttachment } from './extend-input.ts';
import type { SongStart } from './start-song.ts';

/**
 * `/song` with no options: one form asks for everything, with the modal components Discord offers (discord.js
 * 14.23+: Label, radio groups, string selects; 14.24+: file upload). Discord allows five top-level components, so
 * the five are: the words (a description or lyrics), the style, how (describe or my lyrics × voice or
 * instrumental, one radio group), the model (a select, when there is a choice) and an audio file to cover (where
 * the provider covers audio). The title is the provider's in describe mode, else the first line of the lyrics or
 * the file's name. The slash options stay as shortcuts to the shorter forms.
 */

/**
 * The model a request uses: the one picked, else SUNO_MODEL, else the provider's default. Any spelling the
 * provider's docs use works (v5, chirp-crow, V5); an unknown one is refused before anything is sent.
 */
export function chooseModel(ctx: Context, picked: string | null | undefined): ModelId {
	const caps = ctx.provider.capabilities;
	const wanted = picked ?? ctx.config.SUNO_MODEL ?? caps.defaultModel;
	const model = resolveModel(caps, wanted);
	if (model === undefined)
		throw new UserError('input.model', msg('error.input.model', { model: wanted, accepted: acceptedModels(caps) }));
	return model;
}

type How = 'describe:any' | 'describe:f' | 'describe:m' | 'describe:inst' | 'custom:any' | 'custom:f' | 'custom:m';

function hows(ctx: Context, locale: Locale): { value: How; label: string }[] {
	const voices = ctx.provider.capabilities.vocalGender;
	return [
		{ value: 'describe:any', label: t(locale, 'form.how_describe_any') },
		...(voices ? [{ value: 'describe:f' as const, label: t(locale, 'form.how_describe_f') }] : []),
		...(voices ? [{ value: 'describe:m' as const, label: t(locale, 'form.how_describe_m') }] : []),
		{ value: 'describe:inst', label: t(locale, 'form.how_describe_inst') },
		{ value: 'custom:any', label: t(locale, 'form.how_custom_any') },
		...(voices ? [{ value: 'custom:f' as const, label: t(locale, 'form.how_custom_f') }] : []),
		...(voices ? [{ value: 'custom:m' as const, label: t(locale, 'form.how_custom_m') }] : []),
	];
}

/** The whole /song form; `typed` is what a refused one held ("Fix and try again"): words, style, how, model. */
export function fullSongModal(
	ctx: Context,
	typed: Record<string, string> = {},
	locale: Locale = 'en',
): APIModalInteractionResponseCallbackData {
	const caps = ctx.provider.capabilities;
	const model = resolveModel(caps, typed.model ?? '') ?? chooseModel(ctx, undefined);
	const limits = ctx.provider.limits(model);
	const text = (id: string, max: number, long: boolean, placeholder: string) => ({
		type: 4 as const,
		custom_id: id,
		style: long ? 2 : 1,
		required: false,
		max_length: Math.max(1, Math.min(max, 4000)),
		placeholder,
		...(typed[id] ? { value: typed[id].slice(0, Math.min(max, 4000)) } : {}),
	});
	const how = typed.how ?? 'describe:any';
	const components: APIModalInteractionResponseCallbackData['components'] = [
		{
			type: 18,
			label: t(locale, 'form.full_words'),
			component: text('words', Math.max(limits.description, limits.lyrics), true, t(locale, 'form.description_hint')),
		},
		{
			type: 18,
			label: t(locale, 'form.style_optional'),
			component: text('style', limits.style, false, t(locale, 'form.full_style_hint')),
		},
		{
			type: 18,
			label: t(locale, 'form.full_how'),
			component: {
				type: 21,
				custom_id: 'how',
				required: true,
				options: hows(ctx, locale).map((o) => ({ ...o, default: o.value === how })),
			},
		},
	];
	if (caps.models.length > 1)
		components.push({
			type: 18,
			label: t(locale, 'form.full_model'),
			component: {
				type: 3,
				custom_id: 'model',
				required: true,
				options: caps.models.slice(0, 25).map((m) => ({ label: m, value: m, default: m === model })),
			},
		});
	if (caps.cover)
		components.push({
			type: 18,
			label: t(locale, 'form.full_audio'),
			description: t(locale, 'form.full_audio_help'),
			component: { type: 19, custom_id: 'audio', required: false, min_values: 0, max_values: 1, file_types: ['audio'] },
		});
	return { custom_id: encodeCustomId('song', 'full'), title: t(locale, 'form.full_title'), components };
}

/** The request the whole form asks for, checked the way the shorter forms are; throws UserError to fix. */
export function readFullSong(interaction: ModalSubmitInteraction, ctx: Context): SongStart {
	const fields = interaction.fields;
	const text = (id: string) => {
		const field = fields.fields.get(id);
		return field && 'value' in field && typeof field.value === 'string' ? field.value.trim() || undefined : undefined;
	};
	const how = (fields.fields.has('how') ? fields.getRadioGroup('how') : null) ?? 'describe:any';
	const picked = fields.fields.has('model') ? fields.getStringSelectValues('model')[0] : undefined;
	const model = chooseModel(ctx, picked);
	const limits = ctx.provider.limits(model);
	const [mode, voice] = how.split(':');
	const instrumental = voice === 'inst';
	const vocalGender = voice === 'f' || voice === 'm' ? (voice as 'f' | 'm') : undefined;
	const words = text('words');
	const style = text('style');
	const file = fields.fields.has('audio') ? fields.getUploadedFiles('audio')?.first() : undefined;
	const common = { model, instrumental, ...(vocalGender ? { vocalGender } : {}), ...(style ? { style } : {}) };
	const preview = { model, instrumental, ...(style ? { style } : {}) };
	if (file) {
		const title = checkAudioAttachment({ name: file.name, contentType: file.contentType, size: file.size });
		if (mode !== 'custom' && !instrumental) throw new UserError('input.cover-mode', msg('form.cover_mode'));
		if (!style) throw new UserError('input.style', msg('form.need_style'));
		const lyrics = mode === 'custom' ? words : undefined;
		const request: SongRequest = {
			action: 'cover',
			request: { sourceAudioUrl: file.url, title, ...common, ...(lyrics ? { lyrics } : { instrumental: true }) },
		};
		return { request, preview: { mode: 'remix', title, ...preview } };
	}
	if (!words && !(mode === 'custom' && instrumental)) throw new UserError('input.description', msg('form.need_words'));
	let request: GenerateRequest;
	if (mode === 'custom') {
		if (!style) throw new UserError('input.style', msg('form.need_style'));
		const title = firstLine(words ?? '') ?? 'Untitled';
		request = { mode: 'custom', lyrics: words as string, title: title.slice(0, limits.title), ...common };
	} else {
		if ((words as string).length > limits.description)
			throw new UserError('input.too_long', msg('form.description_too_long', { max: limits.description }));
		request = { mode: 'describe', description: words as string, ...common };
	}
	const title = request.mode === 'custom' ? request.title : undefined;
	return {
		request: { action: 'generate', request },
		preview: { mode: request.mode, ...preview, ...(title ? { title } : {}) },
	};
}

/** A lyrics sheet's title: its first line that is not a section tag like [Verse]. */
export function firstLine(lyrics: string): string | undefined {
	return lyrics
		.split('\n')
		.map((line) => line.trim())
		.find((line) => line !== '' && !/^\[.*\]$/.test(line));
}
