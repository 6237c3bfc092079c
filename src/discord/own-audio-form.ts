import type { APIModalInteractionResponseCallbackData, Attachment, ModalSubmitInteraction } from 'discord.js';
import type { CostKey } from '../core/costs.ts';
import { UserError } from '../core/errors.ts';
import { type ModelId, resolveModel } from '../core/provider.ts';
import type { SongRequest } from '../core/records.ts';
import { hasTool, OWN_AUDIO_MAX_SEC } from '../core/studio.ts';
import { type MessageKey, msg } from '../i18n/index.ts';
import type { Context } from './context.ts';
import { encodeCustomId } from './custom-id.ts';
import { checkAudioAttachment } from './extend-input.ts';
import { type Locale, t } from './i18n.ts';
import type { SongStart } from './start-song.ts';
import { clock } from './views/format.ts';

/**
 * The /own-audio form (issue 17): the file through the form's upload (`file_types: audio`), the style, the title and,
 * where the provider sings words, the lyrics as a paragraph so `[Verse]` and `[Chorus]` keep their own lines. A slash
 * option has no line breaks, which is why this is a form and not options.
 */

export type OwnAudioWhat = 'cover' | 'add_vocals' | 'add_instrumental';

/** The ways the provider has to make a song from a member's file, in the order the command lists them. */
export function offered(ctx: Context): OwnAudioWhat[] {
	const caps = ctx.provider.capabilities;
	return [
		...(caps.cover ? (['cover'] as const) : []),
		...(hasTool(caps, 'addVocals') ? (['add_vocals'] as const) : []),
		...(hasTool(caps, 'addInstrumental') ? (['add_instrumental'] as const) : []),
	];
}

/** A cover counts as a remix, as the Cover button on a take does; the two tools have their own cost. */
export function costOf(what: OwnAudioWhat): CostKey {
	return what === 'cover' ? 'remix' : 'own_audio';
}

/** add-vocals and add-instrumental take V4_5PLUS or V5 (§4.3): the server's model when it is one, else v4.5+. */
export function modelFor(ctx: Context): ModelId {
	const caps = ctx.provider.capabilities;
	const configured = ctx.config.SUNO_MODEL ? resolveModel(caps, ctx.config.SUNO_MODEL) : undefined;
	const wanted = configured ?? caps.defaultModel;
	return wanted === 'v5' || wanted === 'v4.5+' || !caps.models.includes('v4.5+') ? wanted : 'v4.5+';
}

const TITLE = {
	cover: 'studio.own_form_cover',
	add_vocals: 'studio.own_form_add_vocals',
	add_instrumental: 'studio.own_form_add_instrumental',
} as const satisfies Record<OwnAudioWhat, MessageKey>;

/**
 * The form for one way; `typed` is what a refused one held ("Fix and try again"). Discord cannot fill a file upload
 * in again, so a reopened form (`again`) asks for the file once more in the upload's description.
 */
export function ownAudioModal(
	ctx: Context,
	what: OwnAudioWhat,
	options: { typed?: Record<string, string>; again?: boolean; locale?: Locale } = {},
): APIModalInteractionResponseCallbackData {
	const locale = options.locale ?? 'en';
	const typed = options.typed ?? {};
	const limits = ctx.provider.limits(modelFor(ctx));
	const text = (id: string, max: number, long: boolean, required: boolean, placeholder?: string) => {
		const cap = Math.max(1, Math.min(max, 4000));
		return {
			type: 4 as const,
			custom_id: id,
			style: long ? 2 : 1,
			required,
			max_length: cap,
			...(placeholder ? { placeholder } : {}),
			...(typed[id] ? { value: typed[id].slice(0, cap) } : {}),
		};
	};
	const max = clock(OWN_AUDIO_MAX_SEC);
	const components: APIModalInteractionResponseCallbackData['components'] = [
		{
			type: 18,
			label: t(locale, 'studio.own_form_file'),
			description: t(locale, options.again ? 'studio.own_form_file_again' : 'studio.own_form_file_help', { max }),
			component: { type: 19, custom_id: 'file', required: true, min_values: 1, max_values: 1, file_types: ['audio'] },
		},
		{
			type: 18,
			label: t(locale, 'form.style'),
			component: text('style', limits.style, true, true, t(locale, 'form.style_hint')),
		},
		{
			type: 18,
			label: t(locale, 'form.title_optional'),
			description: t(locale, 'studio.own_form_title_help'),
			component: text('title', limits.title, false, false),
		},
	];
	// add-instrumental sings nothing: no words to ask for.
	if (what !== 'add_instrumental')
		components.push({
			type: 18,
			label: t(locale, what === 'add_vocals' ? 'form.lyrics' : 'studio.own_form_lyrics_cover'),
			description: t(
				locale,
				what === 'add_vocals' ? 'studio.own_form_lyrics_help' : 'studio.own_form_lyrics_cover_help',
			),
			component: text('lyrics', limits.lyrics, true, what === 'add_vocals'),
		});
	return {
		custom_id: encodeCustomId('own-audio', 'submit', what),
		title: t(locale, TITLE[what]).slice(0, 45),
		components,
	};
}

/** What the form asks for, checked before anything is fetched or sent; throws UserError to fix. */
export function readOwnAudio(
	interaction: ModalSubmitInteraction,
	ctx: Context,
	what: OwnAudioWhat,
): { file: Attachment; start: SongStart } {
	const fields = interaction.fields;
	const text = (id: string) => {
		const field = fields.fields.get(id);
		return field && 'value' in field && typeof field.value === 'string' ? field.value.trim() || undefined : undefined;
	};
	const file = fields.fields.has('file') ? fields.getUploadedFiles('file')?.first() : undefined;
	if (!file) throw new UserError('upload.not-audio', msg('studio.own_not_audio'));
	const named = checkAudioAttachment({ name: file.name, contentType: file.contentType, size: file.size });
	const style = text('style');
	if (!style) throw new UserError('input.style', msg('form.need_style'));
	const lyrics = what === 'add_instrumental' ? undefined : text('lyrics');
	if (what === 'add_vocals' && !lyrics) throw new UserError('input.lyrics', msg('studio.own_lyrics_needed'));
	const model = modelFor(ctx);
	const title = (text('title') ?? named).slice(0, ctx.provider.limits(model).title);
	const request: SongRequest =
		what === 'cover'
			? {
					action: 'cover',
					request: { sourceAudioUrl: file.url, model, style, title, ...(lyrics ? { lyrics } : { instrumental: true }) },
				}
			: {
					action: 'tool',
					tool: {
						tool: what === 'add_vocals' ? 'addVocals' : 'addInstrumental',
						request: { sourceAudioUrl: file.url, title, style, model, ...(lyrics ? { lyrics } : {}) },
					},
				};
	return { file, start: { request, preview: { mode: 'remix', model, title, style } } };
}
