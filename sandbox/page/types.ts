/**
 * What the playground server sends the page (one snapshot per change, over server-sent events) and what the page
 * posts back. Shared by sandbox/server.ts and the page: types, and the languages the page offers.
 */

/** A JSON object as the bot sent it (embeds, components, registered commands). */
export type Json = Record<string, unknown>;

export interface Person {
	id: string;
	name: string;
	bot: boolean;
}

export interface AttachmentDto {
	id: string;
	filename: string;
	contentType: string;
	size: number;
	/** Same-origin URL of the bytes (with range requests, so players can seek). */
	url: string;
	durationSecs: number | null;
}

/** A button or select menu in reading order; `index` is what the page posts back to use it. */
export interface ControlDto {
	index: number;
	kind: 'button' | 'select';
	label: string | null;
	customId: string | null;
	style: number | null;
	disabled: boolean;
	url: string | null;
	options: { label: string; value: string }[];
	placeholder: string | null;
}

export interface MessageDto {
	id: string;
	/** Creation time, ms since the epoch (from the snowflake). */
	at: number;
	author: Person;
	content: string;
	embeds: Json[];
	components: Json[];
	controls: ControlDto[];
	attachments: AttachmentDto[];
	/** Only the current user sees it. */
	ephemeral: boolean;
	/** A deferred reply still "thinking…". */
	loading: boolean;
	edited: boolean;
	/** The slash command or component use this message answers. */
	interaction: { user: Person; command: string | null } | null;
	poll: PollDto | null;
	/** Discord's POLL_RESULT system message (type 46): the poll that ended and its winner, if one. */
	pollResult: { question: string; winner: string | null; votes: number; total: number } | null;
}

/** A native poll; `voted` is the 1-based answer the current user picked. */
export interface PollDto {
	question: string;
	answers: { text: string; votes: number }[];
	ended: boolean;
	/** Epoch ms. */
	expiry: number;
	voted: number | null;
}

/** Languages the page offers for a user's Discord client (Discord's locale codes the bot translates). */
export const LOCALES = ['en-US', 'zh-CN', 'ja', 'es-ES', 'pt-BR'] as const;

export interface ModalFieldDto {
	customId: string;
	/**
	 * 4 text input, 3 string select, 5–8 user/role/mentionable/channel selects, 19 file upload, 21 radio group,
	 * 22 checkbox group, 23 checkbox.
	 */
	type: number;
	label: string | null;
	description: string | null;
	/** Text inputs: 1 short, 2 paragraph. */
	style: number | null;
	required: boolean;
	minLength: number | null;
	maxLength: number | null;
	value: string | null;
	placeholder: string | null;
	options: { label: string; value: string; description: string | null; default: boolean }[];
	/** A checkbox ticked before the user acts. */
	checked: boolean;
}

/** A form the bot showed the current user and that is waiting to be submitted or dismissed. */
export interface ModalDto {
	id: string;
	title: string;
	fields: ModalFieldDto[];
}

export interface VoiceDto {
	channelId: string;
	channelName: string;
	/** Everyone connected to the voice channel, the bot included. */
	members: Person[];
	/** The current user is connected. */
	joined: boolean;
	/** Seconds of sound (not silence) the bot has sent to the voice server since the sandbox started. */
	audioSec: number;
	/** The bot sent audio within the last half second. */
	speaking: boolean;
	/** The voice channel's status ("🎵 Title · take 1 — by @Alice"), shown under its name; null when none is set. */
	status: string | null;
}

export interface Snapshot {
	guild: string;
	me: Person;
	users: Person[];
	bot: Person;
	channels: { id: string; name: string }[];
	channel: { id: string; name: string };
	/** The chat-input commands the bot registered, as Discord stores them. */
	commands: Json[];
	messages: MessageDto[];
	modal: ModalDto | null;
	/** The language of the current user's Discord client (`locale` of their interactions). */
	locale: string;
	/** Things the Discord client would say, e.g. "The application did not respond". */
	notices: { id: string; text: string }[];
	voice: VoiceDto;
}

/** An option value as typed in the composer; files travel as base64. */
export type OptionValue =
	string | number | boolean | { name: string; base64: string; contentType?: string | undefined };

/** A modal answer: text, picked values, or files. */
export type FieldValue =
	string | boolean | string[] | { name: string; base64: string; contentType?: string | undefined }[];
