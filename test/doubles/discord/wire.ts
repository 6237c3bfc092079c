/**
 * HTTP plumbing shared by the REST routes: Discord-shaped errors (`{code, message, errors?}`), request bodies
 * (JSON or multipart with `files[n]` parts and `payload_json`), and responses that always carry
 * `Content-Type: application/json` because @discordjs/rest parses JSON only when that header says so.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from './state.ts';

/** An error answer as Discord sends it; thrown by route handlers and rendered by the router. */
export class DiscordError extends Error {
	readonly status: number;
	readonly code: number;
	readonly errors: JsonObject | undefined;

	constructor(status: number, code: number, message: string, errors?: JsonObject) {
		super(message);
		this.name = 'DiscordError';
		this.status = status;
		this.code = code;
		this.errors = errors;
	}

	toJSON(): JsonObject {
		return { code: this.code, message: this.message, ...(this.errors ? { errors: this.errors } : {}) };
	}
}

/** The errors the double answers with, by Discord's JSON error code. */
export const fail = {
	unauthorized: () => new DiscordError(401, 0, '401: Unauthorized'),
	notFound: () => new DiscordError(404, 0, '404: Not Found'),
	unknownChannel: () => new DiscordError(404, 10003, 'Unknown Channel'),
	unknownGuild: () => new DiscordError(404, 10004, 'Unknown Guild'),
	unknownMember: () => new DiscordError(404, 10007, 'Unknown Member'),
	unknownMessage: () => new DiscordError(404, 10008, 'Unknown Message'),
	unknownUser: () => new DiscordError(404, 10013, 'Unknown User'),
	unknownWebhook: () => new DiscordError(404, 10015, 'Unknown Webhook'),
	unknownInteraction: () => new DiscordError(404, 10062, 'Unknown interaction'),
	unknownCommand: () => new DiscordError(404, 10063, 'Unknown application command'),
	tooLarge: () => new DiscordError(413, 40005, 'Request entity too large'),
	alreadyAcknowledged: () => new DiscordError(400, 40060, 'Interaction has already been acknowledged.'),
	missingAccess: () => new DiscordError(403, 50001, 'Missing Access'),
	notAuthor: () => new DiscordError(403, 50005, 'Cannot edit a message authored by another user'),
	emptyMessage: () => new DiscordError(400, 50006, 'Cannot send an empty message'),
	missingPermissions: () => new DiscordError(403, 50013, 'Missing Permissions'),
	invalidWebhookToken: () => new DiscordError(401, 50027, 'Invalid Webhook Token'),
	invalidJson: () => new DiscordError(400, 50109, 'The request body contains invalid JSON.'),
	archivedThread: () => new DiscordError(400, 50083, 'Thread is archived'),
	threadExists: () => new DiscordError(400, 160004, 'A thread has already been created for this message'),
	wrongChannelType: () => new DiscordError(400, 50024, 'Cannot execute action on this channel type'),
};

/** One field problem inside a 50035 "Invalid Form Body". */
export interface FieldError {
	path: readonly (string | number)[];
	code: string;
	message: string;
}

/** Nests field errors the way Discord does: `{components:{0:{custom_id:{_errors:[…]}}}}`. */
export function invalidForm(problems: readonly FieldError[]): DiscordError {
	const errors: JsonObject = {};
	for (const problem of problems) {
		let node = errors;
		for (const key of problem.path) {
			node[String(key)] ??= {};
			node = node[String(key)] as JsonObject;
		}
		node._errors = [
			...((node._errors as unknown[] | undefined) ?? []),
			{ code: problem.code, message: problem.message },
		];
	}
	return new DiscordError(400, 50035, 'Invalid Form Body', errors);
}

/** A file part of a multipart request. `index` is the `n` of `files[n]`, referenced by `attachments[].id`. */
export interface Upload {
	index: number;
	filename: string;
	contentType: string;
	bytes: Buffer;
}

export interface RequestBody {
	json: unknown;
	files: Upload[];
}

const CONTENT_TYPES: Record<string, string> = {
	mp3: 'audio/mpeg',
	ogg: 'audio/ogg',
	opus: 'audio/ogg',
	wav: 'audio/wav',
	m4a: 'audio/mp4',
	mp4: 'video/mp4',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	txt: 'text/plain; charset=utf-8',
	json: 'application/json; charset=utf-8',
};

/** Discord derives the content type from the file itself; the extension is a close enough stand-in. */
export function contentTypeFor(filename: string, declared = ''): string {
	const ext = filename.split('.').pop()?.toLowerCase() ?? '';
	return (
		CONTENT_TYPES[ext] ?? (declared && declared !== 'application/octet-stream' ? declared : 'application/octet-stream')
	);
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		throw fail.invalidJson();
	}
}

/** Parses JSON or multipart/form-data (WHATWG `Request.formData()`, no dependencies). */
export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<RequestBody> {
	if (raw.length === 0) return { json: undefined, files: [] };
	if (!contentType?.startsWith('multipart/form-data')) return { json: parseJson(raw.toString('utf8')), files: [] };
	const form = await new Request('http://double.invalid/', {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: raw,
	}).formData();
	let json: unknown;
	const files: Upload[] = [];
	for (const [name, value] of form) {
		if (typeof value === 'string') {
			if (name === 'payload_json') json = parseJson(value);
			continue;
		}
		const index = /^files\[(\d+)\]$/.exec(name)?.[1];
		files.push({
			index: index === undefined ? files.length : Number(index),
			filename: value.name,
			contentType: contentTypeFor(value.name, value.type),
			bytes: Buffer.from(await value.arrayBuffer()),
		});
	}
	return { json, files };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	if (status === 204) {
		res.writeHead(204, headers).end();
		return;
	}
	const text = JSON.stringify(body);
	res
		.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
		.end(text);
}

/** Narrowing helpers for bot payloads (the double accepts anything JSON and checks what it uses). */
export const isObject = (value: unknown): value is JsonObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
export const asObject = (value: unknown): JsonObject => (isObject(value) ? value : {});
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
