/**
 * Message create/edit semantics shared by channel routes and interaction responses: validation (limits, empty
 * message, per-file size), attachments from multipart uploads, and Discord's PATCH rule that only attachments
 * listed in `attachments` survive an edit.
 */
import { allowedMentionsProblems, pingsOf } from './mentions.ts';
import { pollOf, pollProblems } from './polls.ts';
import { attachmentLimitOf, checkFileSizes, type Limits, throwIfInvalid, validateMessage } from './rules.ts';
import type { AttachmentRecord, DiscordState, JsonObject, MessageInteraction, MessageRecord } from './state.ts';
import { asArray, asObject, asString, fail, isObject, type Upload } from './wire.ts';

/** A message body as the bot sent it: JSON (or `payload_json`) plus uploaded files. */
export interface MessageInput {
	body: JsonObject;
	files: Upload[];
}

export const FLAGS = { suppressEmbeds: 1 << 2, ephemeral: 1 << 6, loading: 1 << 7, componentsV2: 1 << 15 } as const;
/** Flags a bot may set itself: SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2. */
const SETTABLE_FLAGS = FLAGS.suppressEmbeds | FLAGS.ephemeral | (1 << 12) | FLAGS.componentsV2;

/** Throws Discord's error for an invalid body; `at` prefixes error paths (`['data']` in interaction callbacks). */
export function checkMessageInput(
	state: DiscordState,
	limits: Limits,
	guildId: string | null,
	input: MessageInput,
	options: { creating: boolean; at?: readonly string[] },
): void {
	checkFileSizes(input.files, attachmentLimitOf(guildId ? state.guild(guildId) : undefined, limits));
	throwIfInvalid([
		...validateMessage(input.body, options.at ?? []),
		...allowedMentionsProblems(input.body, options.at),
		...pollProblems(input.body, options.at),
	]);
	if (options.creating && isEmpty(input)) throw fail.emptyMessage();
}

function isEmpty({ body, files }: MessageInput): boolean {
	return (
		!asString(body.content) &&
		asArray(body.embeds).length === 0 &&
		asArray(body.components).length === 0 &&
		asArray(body.sticker_ids).length === 0 &&
		body.poll === undefined &&
		files.length === 0
	);
}

function newAttachment(state: DiscordState, upload: Upload, meta: JsonObject, ephemeral = false): AttachmentRecord {
	return {
		id: state.ids.next(),
		filename: asString(meta.filename) ?? upload.filename,
		contentType: upload.contentType,
		bytes: upload.bytes,
		description: asString(meta.description) ?? null,
		title: asString(meta.title) ?? null,
		durationSecs: typeof meta.duration_secs === 'number' ? meta.duration_secs : null,
		waveform: asString(meta.waveform) ?? null,
		ephemeral,
	};
}

/** Uploads not given a file part are referenced by `files[n]` index in `attachments[].id`. */
function resolveAttachments(
	state: DiscordState,
	input: MessageInput,
	existing: AttachmentRecord[],
): AttachmentRecord[] {
	const listed = input.body.attachments;
	if (!Array.isArray(listed)) {
		return [...existing, ...input.files.map((file) => newAttachment(state, file, {}))];
	}
	const result: AttachmentRecord[] = [];
	const used = new Set<Upload>();
	for (const raw of listed) {
		const meta = asObject(raw);
		const id = String(meta.id ?? '');
		const kept = existing.find((file) => file.id === id);
		const upload = input.files.find((file) => String(file.index) === id);
		if (kept) result.push(kept);
		else if (upload) {
			used.add(upload);
			result.push(newAttachment(state, upload, meta));
		}
	}
	for (const file of input.files) if (!used.has(file)) result.push(newAttachment(state, file, {}));
	return result;
}

/** Attachment records for files uploaded outside a message (slash-command attachment options). */
export function uploadedAttachment(state: DiscordState, upload: Upload): AttachmentRecord {
	const file = newAttachment(state, upload, {}, true);
	state.files.set(file.id, file);
	return file;
}

export interface NewMessage {
	channelId: string;
	guildId: string | null;
	authorId: string;
	input: MessageInput;
	type?: number;
	webhookId?: string | null;
	interaction?: MessageInteraction | null;
	ephemeralFor?: string | null;
	extraFlags?: number;
}

/** A message record built from a create body (not yet stored). */
export function buildMessage(state: DiscordState, init: NewMessage): MessageRecord {
	const { body } = init.input;
	const replyTo = asString(asObject(body.message_reference).message_id);
	return {
		id: state.ids.next(),
		channelId: init.channelId,
		guildId: init.guildId,
		authorId: init.authorId,
		content: asString(body.content) ?? '',
		embeds: asArray(body.embeds).filter(isObject).map(normaliseEmbed),
		components: asArray(body.components).filter(isObject),
		attachments: resolveAttachments(state, init.input, []),
		flags: (Number(body.flags ?? 0) & SETTABLE_FLAGS) | (init.extraFlags ?? 0),
		type: init.type ?? 0,
		tts: body.tts === true,
		editedAt: null,
		webhookId: init.webhookId ?? null,
		interaction: init.interaction ?? null,
		ephemeralFor: init.ephemeralFor ?? null,
		poll: pollOf(body),
		// A reply points at the message it answers.
		...(replyTo ? { reference: { messageId: replyTo, channelId: init.channelId, guildId: init.guildId } } : {}),
		pinged: pingsOf(state, body, {
			channelId: init.channelId,
			guildId: init.guildId,
			authorId: init.authorId,
			ephemeral: (init.ephemeralFor ?? null) !== null,
			repliedUserId: (replyTo && state.messages.get(replyTo)?.authorId) || null,
		}),
	};
}

/**
 * Applies a PATCH body in place; fields absent from the body stay as they are. Edits ping nobody, except when
 * `sent`: a follow-up that fills a deferred reply is a send.
 */
export function applyEdit(state: DiscordState, message: MessageRecord, input: MessageInput, sent = false): void {
	const { body } = input;
	if ('content' in body) message.content = asString(body.content) ?? '';
	if ('embeds' in body) message.embeds = asArray(body.embeds).filter(isObject).map(normaliseEmbed);
	if ('components' in body) message.components = asArray(body.components).filter(isObject);
	if ('attachments' in body || input.files.length > 0) {
		message.attachments = resolveAttachments(state, input, message.attachments);
	}
	if (typeof body.flags === 'number') {
		const kept = message.flags & ~(FLAGS.suppressEmbeds | FLAGS.componentsV2);
		message.flags = kept | (body.flags & (FLAGS.suppressEmbeds | FLAGS.componentsV2));
	}
	message.flags &= ~FLAGS.loading;
	message.editedAt = Date.now();
	if (sent) {
		message.pinged = pingsOf(
			state,
			{ ...body, content: message.content, components: message.components },
			{
				channelId: message.channelId,
				guildId: message.guildId,
				authorId: message.authorId,
				ephemeral: message.ephemeralFor !== null,
				repliedUserId: null,
			},
		);
	}
}

function normaliseEmbed(embed: JsonObject): JsonObject {
	return { type: 'rich', ...embed };
}
