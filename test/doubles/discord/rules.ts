/**
 * Discord's payload limits, answered with Discord's codes: 50035 "Invalid Form Body" (with nested `errors`) for
 * content, embeds, components, modals and autocomplete choices; 413 / 40005 for a file over the per-file limit.
 */
import type { GuildRecord, JsonObject } from './state.ts';
import { asArray, asObject, asString, type FieldError, fail, invalidForm, type Upload } from './wire.ts';

/** Timing and size rules; tests may change them at run time through `double.limits`. */
export interface Limits {
	/** Time to the first interaction callback before 10062 (Discord: 3 s, real time). */
	interactionDeadlineMs: number;
	/** Lifetime of an interaction token for webhook routes before 50027 (Discord: 15 min). */
	tokenLifetimeMs: number;
	/** Per-file limit for guilds at boost tier 0 or 1 (Discord: 10 MiB). */
	defaultAttachmentSizeLimit: number;
}

export const DEFAULT_LIMITS: Limits = {
	interactionDeadlineMs: 3_000,
	tokenLifetimeMs: 15 * 60_000,
	defaultAttachmentSizeLimit: 10 * 1024 * 1024,
};

const MiB = 1024 * 1024;

/** The per-file limit in a guild: explicit override, else boost tier 2 → 50 MiB, 3 → 100 MiB, else the default. */
export function attachmentLimitOf(guild: GuildRecord | undefined, limits: Limits): number {
	if (guild?.attachmentSizeLimit) return guild.attachmentSizeLimit;
	if (guild?.premiumTier === 3) return 100 * MiB;
	if (guild?.premiumTier === 2) return 50 * MiB;
	return limits.defaultAttachmentSizeLimit;
}

/** 413 / 40005 when any single file exceeds the limit (Discord checks per file since 2025-04). */
export function checkFileSizes(files: readonly Upload[], limit: number): void {
	if (files.some((file) => file.bytes.length > limit)) throw fail.tooLarge();
}

export function throwIfInvalid(problems: readonly FieldError[]): void {
	if (problems.length > 0) throw invalidForm(problems);
}

type Path = readonly (string | number)[];

class Checker {
	readonly problems: FieldError[] = [];

	maxLength(path: Path, value: unknown, max: number): void {
		if (typeof value === 'string' && [...value].length > max) {
			this.problems.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
		}
	}

	required(path: Path, value: unknown): boolean {
		if (value === undefined || value === null || value === '') {
			this.problems.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
			return false;
		}
		return true;
	}

	count(path: Path, list: readonly unknown[], min: number, max: number): void {
		if (list.length < min || list.length > max) {
			this.problems.push({
				path,
				code: 'BASE_TYPE_BAD_LENGTH',
				message: `Must be between ${min} and ${max} in length.`,
			});
		}
	}

	add(path: Path, code: string, message: string): void {
		this.problems.push({ path, code, message });
	}
}

const IS_COMPONENTS_V2 = 1 << 15;

/*
 * The rules below are what Discord enforces beyond its OpenAPI spec (spec.ts checks types, enums and most lengths
 * first, so a body reaching these is already well formed): the 2000-character content of bots (the spec says 4000),
 * non-empty embed field texts, the 6000-character embed total, five legacy action rows with one select each,
 * custom ids on interactive components and never twice, link buttons, modals of at most five rows, and autocomplete
 * choice values of at most 100 characters (the spec says 6000).
 */

/** Content, embeds and components of a message create/edit body. `at` prefixes error paths. */
export function validateMessage(body: JsonObject, at: Path = []): FieldError[] {
	const c = new Checker();
	c.maxLength([...at, 'content'], body.content, 2000);
	validateEmbeds(c, asArray(body.embeds), [...at, 'embeds']);
	const v2 = (Number(body.flags ?? 0) & IS_COMPONENTS_V2) !== 0;
	const components = asArray(body.components);
	if (!v2) c.count([...at, 'components'], components, 0, 5);
	walkComponents(c, components, [...at, 'components'], new Set(), !v2);
	return c.problems;
}

function validateEmbeds(c: Checker, embeds: unknown[], at: Path): void {
	let total = 0;
	const text = (value: unknown): string => (typeof value === 'string' ? value : '');
	embeds.forEach((raw, i) => {
		const embed = asObject(raw);
		asArray(embed.fields).forEach((rawField, j) => {
			const field = asObject(rawField);
			c.required([...at, i, 'fields', j, 'name'], field.name);
			c.required([...at, i, 'fields', j, 'value'], field.value);
			total += text(field.name).length + text(field.value).length;
		});
		total += text(embed.title).length + text(embed.description).length;
		total += text(asObject(embed.footer).text).length + text(asObject(embed.author).name).length;
	});
	if (total > 6000) c.add(at, 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

/** `rowsOnly`: legacy messages must have action rows at the top level (components v2 may not). */
function walkComponents(c: Checker, list: unknown[], at: Path, ids: Set<string>, rowsOnly: boolean): void {
	list.forEach((raw, i) => {
		const component = asObject(raw);
		const path = [...at, i];
		const type = Number(component.type);
		if (rowsOnly && type !== 1) {
			c.add([...path, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
		}
		if (type === 1) {
			const children = asArray(component.components);
			if (children.some((child) => SELECT_TYPES.has(Number(asObject(child).type))) && children.length > 1) {
				c.add([...path, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 1 in length.');
			}
		}
		if (type === 2) validateButton(c, component, path, ids);
		if (SELECT_TYPES.has(type)) checkCustomId(c, component, path, ids);
		if (Array.isArray(component.components))
			walkComponents(c, component.components, [...path, 'components'], ids, false);
		// A section's accessory is a single component (a button or a thumbnail), not a list.
		if (asObject(component.accessory).type === 2)
			validateButton(c, asObject(component.accessory), [...path, 'accessory'], ids);
	});
}

function checkCustomId(c: Checker, component: JsonObject, path: Path, ids: Set<string>): void {
	if (!c.required([...path, 'custom_id'], component.custom_id)) return;
	const id = String(component.custom_id);
	if (ids.has(id))
		c.add([...path, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
	ids.add(id);
}

function validateButton(c: Checker, button: JsonObject, path: Path, ids: Set<string>): void {
	if (button.style === 5) {
		c.required([...path, 'url'], button.url);
		if (button.custom_id !== undefined)
			c.add([...path, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_WITH_URL', 'A link button cannot have a custom id');
	} else if (button.style !== 6) {
		checkCustomId(c, button, path, ids);
	}
}

/** The `data` of a type 9 (MODAL) callback: 1–5 rows or labels, unique custom ids, labels on row text inputs. */
export function validateModal(data: JsonObject): FieldError[] {
	const c = new Checker();
	const rows = asArray(data.components);
	c.count(['data', 'components'], rows, 1, 5);
	const ids = new Set<string>();
	rows.forEach((raw, i) => {
		const row = asObject(raw);
		const path = ['data', 'components', i];
		const inner = row.type === 18 ? [asObject(row.component)] : asArray(row.components).map(asObject);
		inner.forEach((input, j) => {
			const inputPath = row.type === 18 ? [...path, 'component'] : [...path, 'components', j];
			checkCustomId(c, input, inputPath, ids);
			if (input.type === 4 && row.type !== 18) c.required([...inputPath, 'label'], input.label);
		});
	});
	return c.problems;
}

/** The `data` of a type 8 (autocomplete result) callback: choice values of at most 100 characters. */
export function validateChoices(data: JsonObject): FieldError[] {
	const c = new Checker();
	asArray(data.choices).forEach((raw, i) => {
		c.maxLength(['data', 'choices', i, 'value'], asString(asObject(raw).value), 100);
	});
	return c.problems;
}
