/**
 * Application commands: what the bot registers (bulk overwrite keeps ids by name, as Discord does) and how a
 * user's input becomes the `data` of a slash-command or autocomplete interaction, including `resolved` users,
 * channels, roles and uploaded attachments. Input the Discord client would refuse throws a plain Error (a test bug).
 */
import { uploadedAttachment } from './messages.ts';
import { apiAttachment, apiChannel, apiMember, apiRole, apiUser } from './payloads.ts';
import type { CommandRecord, DiscordState, JsonObject } from './state.ts';
import { asArray, asObject, asString, contentTypeFor, type FieldError } from './wire.ts';

/** Discord's documented name rule, and letters must be the lowercase variant where one exists. */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const validName = (name: string) => NAME.test(name) && name === name.toLowerCase();
/** The locales Discord accepts as keys of name_localizations / description_localizations. */
const LOCALES = new Set(
	'id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg ru uk hi th zh-CN ja zh-TW ko'.split(
		' ',
	),
);

/** Problems in a localization map: unknown locales, and values the `valid` rule refuses. */
function localizationProblems(
	path: (string | number)[],
	map: unknown,
	valid: (value: string) => boolean,
	message: string,
): FieldError[] {
	if (map === undefined || map === null) return [];
	return Object.entries(asObject(map)).flatMap(([locale, value]) =>
		!LOCALES.has(locale)
			? [{ path: [...path, locale], code: 'INVALID_LOCALE', message: 'Invalid locale' }]
			: typeof value !== 'string' || !valid(value)
				? [{ path: [...path, locale], code: 'BASE_TYPE_BAD_LENGTH', message }]
				: [],
	);
}
const lengthBetween = (min: number, max: number) => (value: string) => value.length >= min && value.length <= max;

/** Problems in a command list sent to PUT …/commands (50035 paths start at the list index). */
export function validateCommands(list: unknown[]): FieldError[] {
	const problems: FieldError[] = [];
	const check = (path: (string | number)[], command: JsonObject, depth: number): void => {
		// Options and subcommands always need a description; of top-level commands only chat-input ones do.
		const chatInput = depth > 0 || (command.type ?? 1) === 1;
		problems.push(
			...localizationProblems(
				[...path, 'name_localizations'],
				command.name_localizations,
				validName,
				'Command name is invalid',
			),
			...localizationProblems(
				[...path, 'description_localizations'],
				command.description_localizations,
				lengthBetween(1, 100),
				'Must be between 1 and 100 in length.',
			),
		);
		for (const [i, choice] of asArray(command.choices).entries()) {
			const c = asObject(choice);
			if (!lengthBetween(1, 100)(asString(c.name) ?? ''))
				problems.push({
					path: [...path, 'choices', i, 'name'],
					code: 'BASE_TYPE_BAD_LENGTH',
					message: 'Must be between 1 and 100 in length.',
				});
			problems.push(
				...localizationProblems(
					[...path, 'choices', i, 'name_localizations'],
					c.name_localizations,
					lengthBetween(1, 100),
					'Must be between 1 and 100 in length.',
				),
			);
		}
		if (!validName(asString(command.name) ?? '')) {
			problems.push({
				path: [...path, 'name'],
				code: 'APPLICATION_COMMAND_INVALID_NAME',
				message: 'Command name is invalid',
			});
		}
		const description = asString(command.description) ?? '';
		if (chatInput && (description.length < 1 || description.length > 100)) {
			problems.push({
				path: [...path, 'description'],
				code: 'BASE_TYPE_BAD_LENGTH',
				message: 'Must be between 1 and 100 in length.',
			});
		}
		const options = asArray(command.options);
		if (options.length > 25) {
			problems.push({
				path: [...path, 'options'],
				code: 'BASE_TYPE_MAX_LENGTH',
				message: 'Must be 25 or fewer in length.',
			});
		}
		if (depth < 2)
			for (const [i, option] of options.entries()) check([...path, 'options', i], asObject(option), depth + 1);
	};
	if (list.length > 100)
		problems.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' });
	for (const [i, command] of list.entries()) check([i], asObject(command), 0);
	return problems;
}

/** Creates or replaces one command in a scope (global when guildId is null), keeping the id of a same-named one. */
export function upsertCommand(state: DiscordState, guildId: string | null, data: JsonObject): CommandRecord {
	const existing = [...state.commands.values()].find(
		(c) => c.guildId === guildId && c.data.name === data.name && (c.data.type ?? 1) === (data.type ?? 1),
	);
	const record = { id: existing?.id ?? state.ids.next(), guildId, version: state.ids.next(), data };
	state.commands.set(record.id, record);
	return record;
}

/** PUT semantics: the scope afterwards holds exactly `list`. */
export function overwriteCommands(state: DiscordState, guildId: string | null, list: JsonObject[]): CommandRecord[] {
	const kept = list.map((data) => upsertCommand(state, guildId, data));
	for (const command of [...state.commands.values()]) {
		if (command.guildId === guildId && !kept.includes(command)) state.commands.delete(command.id);
	}
	return kept;
}

/** The chat-input command a user in `guildId` sees under `name` (guild commands shadow global ones). */
export function findCommand(state: DiscordState, guildId: string, name: string): CommandRecord | undefined {
	const candidates = [...state.commands.values()].filter((c) => c.data.name === name && (c.data.type ?? 1) === 1);
	return candidates.find((c) => c.guildId === guildId) ?? candidates.find((c) => c.guildId === null);
}

/** A file a user attaches to an attachment option (or a modal file upload). */
export interface FileInput {
	name: string;
	bytes: Uint8Array | string;
	contentType?: string;
}

/** An option value in a user's words: text, numbers, booleans, a user/channel/role by name or id, or a file. */
export type OptionInput = string | number | boolean | FileInput;

interface Built {
	data: JsonObject;
}

/**
 * Builds `data` for a slash command (`focused` unset) or an autocomplete interaction (`focused` = the option being
 * typed, its value passed as typed). `path` is the command name followed by subcommand group / subcommand names.
 */
export function commandData(
	state: DiscordState,
	guildId: string,
	path: readonly string[],
	values: Readonly<Record<string, OptionInput>>,
	focused?: string,
): Built {
	const [name = '', ...subPath] = path;
	const command = findCommand(state, guildId, name);
	if (!command) {
		const known = [...state.commands.values()].map((c) => `/${String(c.data.name)}`).join(', ') || 'none';
		throw new Error(`/${name} is not registered in this guild (registered: ${known})`);
	}
	const resolved: Record<string, Record<string, JsonObject>> = {};
	const resolve = (kind: string, id: string, value: JsonObject): void => {
		resolved[kind] ??= {};
		(resolved[kind] as Record<string, JsonObject>)[id] = value;
	};
	let definitions = asArray(command.data.options).map(asObject);
	const nest: JsonObject[] = [];
	for (const sub of subPath) {
		const definition = definitions.find((o) => o.name === sub && (o.type === 1 || o.type === 2));
		if (!definition) throw new Error(`/${path.join(' ')}: no subcommand "${sub}"`);
		nest.push({ name: sub, type: definition.type });
		definitions = asArray(definition.options).map(asObject);
	}
	for (const key of Object.keys(values)) {
		if (!definitions.some((o) => o.name === key)) throw new Error(`/${path.join(' ')} has no option "${key}"`);
	}
	const options: JsonObject[] = [];
	for (const definition of definitions) {
		const key = String(definition.name);
		const value = values[key];
		if (value === undefined) {
			if (definition.required === true && focused === undefined)
				throw new Error(`/${path.join(' ')}: "${key}" is required`);
			continue;
		}
		if (key === focused) {
			if (definition.autocomplete !== true) throw new Error(`/${path.join(' ')}: "${key}" has no autocomplete`);
			options.push({ name: key, type: definition.type, value: String(value), focused: true });
			continue;
		}
		options.push({ name: key, type: definition.type, value: optionValue(state, guildId, definition, value, resolve) });
	}
	let nested: JsonObject[] = options;
	for (const level of nest.reverse()) nested = [{ ...level, options: nested }];
	const data: JsonObject = { id: command.id, name, type: 1, options: nested };
	if (command.guildId) data.guild_id = command.guildId;
	if (Object.keys(resolved).length > 0) data.resolved = resolved;
	return { data };
}

function optionValue(
	state: DiscordState,
	guildId: string,
	definition: JsonObject,
	value: OptionInput,
	resolve: (kind: string, id: string, value: JsonObject) => void,
): unknown {
	const label = `option "${String(definition.name)}"`;
	const type = Number(definition.type);
	const guild = state.guild(guildId);
	if (type === 11) {
		if (typeof value !== 'object') throw new Error(`${label} takes a file ({ name, bytes })`);
		const file = uploadedAttachment(state, {
			index: 0,
			filename: value.name,
			contentType: value.contentType ?? contentTypeFor(value.name),
			bytes: typeof value.bytes === 'string' ? Buffer.from(value.bytes) : Buffer.from(value.bytes),
		});
		resolve('attachments', file.id, apiAttachment(state, file, null));
		return file.id;
	}
	if (typeof value === 'object') throw new Error(`${label} does not take a file`);
	if (type === 6) {
		const user = [...state.users.values()].find((u) => u.id === value || u.username === value);
		if (!user) throw new Error(`${label}: no user "${value}"`);
		resolve('users', user.id, apiUser(user));
		const member = guild?.members.get(user.id);
		if (member) resolve('members', user.id, apiMember(state, member, false));
		return user.id;
	}
	if (type === 7) {
		const channel = [...state.channels.values()].find(
			(c) => c.guildId === guildId && (c.id === value || c.name === value),
		);
		if (!channel) throw new Error(`${label}: no channel "${value}"`);
		resolve('channels', channel.id, apiChannel(channel));
		return channel.id;
	}
	if (type === 8) {
		const role = [...(guild?.roles.values() ?? [])].find((r) => r.id === value || r.name === value);
		if (!role) throw new Error(`${label}: no role "${value}"`);
		resolve('roles', role.id, apiRole(role));
		return role.id;
	}
	const expected = type === 3 ? 'string' : type === 5 ? 'boolean' : 'number';
	if (typeof value !== expected || (type === 4 && !Number.isInteger(value)))
		throw new Error(`${label} takes a ${expected}`);
	const choices = asArray(definition.choices).map((c) => asObject(c).value);
	if (choices.length > 0 && !choices.includes(value))
		throw new Error(`${label} must be one of ${JSON.stringify(choices)}`);
	if (typeof value === 'string') {
		const length = [...value].length;
		if (length < Number(definition.min_length ?? 0) || length > Number(definition.max_length ?? 6000)) {
			throw new Error(`${label}: length ${length} is outside the allowed range`);
		}
	}
	if (typeof value === 'number') {
		const { min_value: min, max_value: max } = definition;
		if ((typeof min === 'number' && value < min) || (typeof max === 'number' && value > max)) {
			throw new Error(`${label}: ${value} is outside the allowed range`);
		}
	}
	return value;
}
