/**
 * Request bodies checked against Discord's published OpenAPI spec, through the zod schemas the `discord-api-spec`
 * package generates from it: a body the spec refuses is answered 400 / 50035 "Invalid Form Body" with Discord's
 * nested `errors`, so a payload Discord would refuse fails in our tests. The module is 1.6 MB of schemas, so it is
 * imported on the first request that carries a body and kept for the process.
 *
 * The spec describes types, required fields, enums and lengths; what it cannot say (limits by boost tier,
 * permissions, the 2000-character content limit of bots, duplicate custom ids…) stays in rules.ts.
 */
import type { FieldError } from './wire.ts';
import { asObject, isObject } from './wire.ts';

/** The slice of a zod 4 issue this file reads. */
interface Issue {
	code: string;
	path: PropertyKey[];
	expected?: string;
	origin?: string;
	format?: string;
	minimum?: number | bigint;
	maximum?: number | bigint;
	values?: unknown[];
	errors?: Issue[][];
}

interface Schema {
	safeParse(value: unknown): { success: true } | { success: false; error: { issues: Issue[] } };
}

type SpecModule = Record<string, Schema>;

let loading: Promise<SpecModule> | undefined;
let spec: SpecModule | undefined;

/** Imports the schemas once; every later call resolves at once. */
export function loadSpec(): Promise<SpecModule> {
	// A variable specifier: the package ships no declarations for its zod build, and this file needs only safeParse.
	const id = 'discord-api-spec/zod';
	loading ??= (import(id) as Promise<SpecModule>).then((module) => {
		spec = module;
		return module;
	});
	return loading;
}

function schema(name: string): Schema {
	if (!spec) throw new Error('the OpenAPI schemas are not loaded: await loadSpec() before validating');
	const found = spec[name];
	if (!found) throw new Error(`discord-api-spec has no ${name}`);
	return found;
}

/**
 * The spec's request body per route of the double (`METHOD template`). Routes without a body (GET, DELETE,
 * typing) have none. The interaction callback is checked by `callbackProblems`, called from Interactions, so a
 * refused callback is still recorded on its interaction.
 */
const BODIES: Record<string, (json: unknown) => FieldError[]> = {
	'POST /channels/:channel/messages': (json) => problems('MessageCreateRequestSchema', json),
	'PATCH /channels/:channel/messages/:message': (json) => problems('MessageEditRequestPartialSchema', json),
	// The spec allows IncomingWebhookRequestPartial or IncomingWebhookUpdateRequestPartial; the first is the wider.
	'POST /channels/:channel/messages/:message/threads': (json) =>
		problems('CreateTextThreadWithMessageRequestSchema', json),
	'PATCH /channels/:channel': (json) => problems('UpdateThreadRequestPartialSchema', json),
	'POST /webhooks/:app/:token': (json) => problems('IncomingWebhookRequestPartialSchema', json),
	'PATCH /webhooks/:app/:token/messages/:message': (json) =>
		problems('IncomingWebhookUpdateRequestPartialSchema', json),
	'PUT /applications/:app/commands': (json) => commandList(json),
	'PUT /applications/:app/guilds/:guild/commands': (json) => commandList(json),
	'POST /applications/:app/commands': (json) => problems('ApplicationCommandCreateRequestSchema', json),
	'POST /applications/:app/guilds/:guild/commands': (json) => problems('ApplicationCommandCreateRequestSchema', json),
	'PATCH /applications/:app/commands/:command': (json) => problems('ApplicationCommandPatchRequestPartialSchema', json),
	'PATCH /applications/:app/guilds/:guild/commands/:command': (json) =>
		problems('ApplicationCommandPatchRequestPartialSchema', json),
};

/** Problems the spec finds in the body of a request to `route`; none for routes without a request body. */
export function bodyProblems(route: string, json: unknown): FieldError[] {
	const check = BODIES[route];
	// A multipart request without payload_json carries files only: nothing to check.
	return check && json !== undefined ? check(json) : [];
}

/** Callback schemas by response type (1 PONG … 12 LAUNCH_ACTIVITY). */
const CALLBACKS: Record<number, string> = {
	1: 'PongInteractionCallbackRequestSchema',
	4: 'CreateMessageInteractionCallbackRequestSchema',
	5: 'CreateMessageInteractionCallbackRequestSchema',
	6: 'UpdateMessageInteractionCallbackRequestSchema',
	7: 'UpdateMessageInteractionCallbackRequestSchema',
	8: 'ApplicationCommandAutocompleteCallbackRequestSchema',
	9: 'ModalInteractionCallbackRequestSchema',
	12: 'LaunchActivityInteractionCallbackRequestSchema',
};

/** Problems in an interaction callback body; the `type` picks the member of the spec's union. */
export function callbackProblems(json: unknown): FieldError[] {
	const name = CALLBACKS[Number(asObject(json).type)];
	if (!name) {
		const values = Object.keys(CALLBACKS).join(', ');
		return [{ path: ['type'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${values}}.` }];
	}
	return problems(name, json);
}

function commandList(json: unknown): FieldError[] {
	if (json === null) return [];
	if (!Array.isArray(json)) return [listError([])];
	return json.flatMap((command, i) =>
		problems('ApplicationCommandUpdateRequestSchema', command).map((p) => ({ ...p, path: [i, ...p.path] })),
	);
}

function problems(name: string, json: unknown): FieldError[] {
	const result = schema(name).safeParse(json);
	return result.success ? [] : toFieldErrors(json, result.error.issues, []);
}

const listError = (path: (string | number)[]): FieldError => ({
	path,
	code: 'LIST_TYPE_CONVERT',
	message: 'Only iterables may be used in a ListType',
});

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
	let node = root;
	for (const key of path) {
		if (Array.isArray(node)) node = node[Number(key)];
		else if (isObject(node)) node = node[String(key)];
		else return undefined;
	}
	return node;
}

/**
 * Discord's integer fields accept numeric strings (discord.js sends `default_member_permissions: "32"`); the
 * spec types them as numbers, so a numeric string there is not a problem.
 */
function coercible(root: unknown, issue: Issue, path: readonly PropertyKey[]): boolean {
	if (issue.code !== 'invalid_type' || !['number', 'int'].includes(issue.expected ?? '')) return false;
	const value = valueAt(root, path);
	return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value);
}

/** zod issues → Discord's field errors; `base` is the path of the value the issues are relative to. */
function toFieldErrors(root: unknown, issues: readonly Issue[], base: readonly PropertyKey[]): FieldError[] {
	return issues.flatMap((issue) => {
		const path = [...base, ...issue.path];
		if (coercible(root, issue, path)) return [];
		if (issue.code === 'invalid_union') return unionErrors(root, issue.errors ?? [], path);
		const at = path.map((key) => (typeof key === 'number' ? key : String(key)));
		return [{ path: at, ...describe(issue, valueAt(root, path)) }];
	});
}

/**
 * Discord picks the union member by its `type` and reports that member's problems, or UNION_TYPE_CHOICES when no
 * member has that type. Otherwise (e.g. the autocomplete choice kinds) the member that came closest is reported:
 * the one with the fewest problems among those of the right kind.
 */
function unionErrors(root: unknown, branches: readonly Issue[][], path: readonly PropertyKey[]): FieldError[] {
	const results = branches.map((issues) => toFieldErrors(root, issues, path));
	if (results.some((r) => r.length === 0)) return [];
	const typeMismatch = (issues: Issue[]) =>
		issues.some((i) => i.code === 'invalid_value' && i.path.length === 1 && i.path[0] === 'type');
	const typed = branches.filter(typeMismatch);
	if (typed.length === branches.length && branches.length > 0) {
		const values = typed.flatMap((b) => b.find((i) => i.path[0] === 'type')?.values ?? []);
		const at = [...path, 'type'].map((key) => (typeof key === 'number' ? key : String(key)));
		const message = `Value of field "type" must be one of (${values.join(', ')}).`;
		return [{ path: at, code: 'UNION_TYPE_CHOICES', message }];
	}
	// A member the value is not even the kind of (an object where `undefined` was expected) is no candidate.
	const wrongKind = (issues: Issue[]) => issues.some((i) => i.code === 'invalid_type' && i.path.length === 0);
	const fitting = results.filter((_, i) => !typeMismatch(branches[i] ?? []) && !wrongKind(branches[i] ?? []));
	const candidates = fitting.length > 0 ? fitting : results;
	return candidates.reduce((best, r) => (r.length < best.length ? r : best));
}

const TYPE_ERRORS: Record<string, { code: string; message: (value: unknown) => string }> = {
	string: { code: 'BASE_TYPE_STRING', message: () => 'Must be a string.' },
	number: { code: 'NUMBER_TYPE_COERCE', message: (v) => `Value "${String(v)}" is not int.` },
	int: { code: 'NUMBER_TYPE_COERCE', message: (v) => `Value "${String(v)}" is not int.` },
	boolean: { code: 'BOOLEAN_TYPE_COERCE', message: (v) => `Value "${String(v)}" is not a boolean.` },
	array: { code: 'LIST_TYPE_CONVERT', message: () => 'Only iterables may be used in a ListType' },
	object: { code: 'MODEL_TYPE_CONVERT', message: () => 'Only dictionaries may be used in a ModelType' },
};

function describe(issue: Issue, value: unknown): Omit<FieldError, 'path'> {
	const bound = issue.maximum ?? issue.minimum;
	switch (issue.code) {
		case 'invalid_type': {
			if (value === undefined || value === null)
				return { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
			const known = TYPE_ERRORS[issue.expected ?? ''];
			return known
				? { code: known.code, message: known.message(value) }
				: { code: 'BASE_TYPE_INVALID', message: `Must be ${issue.expected ?? 'valid'}.` };
		}
		case 'too_big':
		case 'too_small': {
			const more = issue.code === 'too_small';
			if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
				const than = more ? 'greater than or equal to' : 'less than or equal to';
				return { code: more ? 'NUMBER_TYPE_MIN' : 'NUMBER_TYPE_MAX', message: `int value should be ${than} ${bound}.` };
			}
			if (issue.origin === 'array') {
				return { code: 'BASE_TYPE_BAD_LENGTH', message: `Must be ${bound} or ${more ? 'more' : 'fewer'} in length.` };
			}
			const code = more ? 'BASE_TYPE_MIN_LENGTH' : 'BASE_TYPE_MAX_LENGTH';
			return { code, message: `Must be ${bound} or ${more ? 'more' : 'fewer'} in length.` };
		}
		case 'invalid_value':
			return {
				code: 'BASE_TYPE_CHOICES',
				message: `Value must be one of {${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}}.`,
			};
		case 'invalid_format':
			if (issue.format === 'url') return { code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' };
			return { code: 'NUMBER_TYPE_COERCE', message: `Value "${String(value)}" is not snowflake.` };
		default:
			return { code: 'BASE_TYPE_INVALID', message: 'Invalid value.' };
	}
}
