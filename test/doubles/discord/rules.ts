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

/** Content, embeds, components and attachment count of a message create/edit body. `at` prefixes error paths. */
export function validateMessage(body: JsonObject, at: Path = []): FieldError[] {
	const c = new Checker();
	c.maxLength([...at, 'content'], body.content, 2000);
	validateEmbeds(c, asArray(body.embeds), [...at, 'embeds']);
	const v2 = (Number(body.flags ?? 0) & IS_COMPONENTS_V2) !== 0;
	const components = asArray(body.components);
	if (!v2) c.count([...at, 'components'], components, 0, 5);
	walkComponents(c, components, [...at, 'components'], new Set(), !v2);
	if (asArray(body.attachments).length > 10) c.count([...at, 'attachments'], asArray(body.attachments), 0, 10);
	return c.problems;
}

function validateEmbeds(c: Checker, embeds: unknown[], at: Path): void {
	c.count(at, embeds, 0, 10);
	let total = 0;
	const text = (value: unknown): string => (typeof value === 'string' ? value : '');
	embeds.forEach((raw, i) => {
		const embed = asObject(raw);
		const footer = asObject(embed.footer);
		const author = asObject(embed.author);
		c.maxLength([...at, i, 'title'], embed.title, 256);
		c.maxLength([...at, i, 'description'], embed.description, 4096);
		c.maxLength([...at, i, 'footer', 'text'], footer.text, 2048);
		c.maxLength([...at, i, 'author', 'name'], author.name, 256);
		const fields = asArray(embed.fields);
		c.count([...at, i, 'fields'], fields, 0, 25);
		fields.forEach((rawField, j) => {
			const field = asObject(rawField);
			if (c.required([...at, i, 'fields', j, 'name'], field.name))
				c.maxLength([...at, i, 'fields', j, 'name'], field.name, 256);
			if (c.required([...at, i, 'fields', j, 'value'], field.value)) {
				c.maxLength([...at, i, 'fields', j, 'value'], field.value, 1024);
			}
			total += text(field.name).length + text(field.value).length;
		});
		total += text(embed.title).length + text(embed.description).length;
		total += text(footer.text).length + text(author.name).length;
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
			c.count([...path, 'components'], children, 1, 5);
			if (children.some((child) => SELECT_TYPES.has(Number(asObject(child).type))) && children.length > 1) {
				c.add([...path, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 1 in length.');
			}
		}
		if (type === 2) validateButton(c, component, path, ids);
		if (SELECT_TYPES.has(type)) {
			checkCustomId(c, component, path, ids);
			c.maxLength([...path, 'placeholder'], component.placeholder, 150);
			if (type === 3) c.count([...path, 'options'], asArray(component.options), 1, 25);
		}
		if (Array.isArray(component.components))
			walkComponents(c, component.components, [...path, 'components'], ids, false);
		// A section's accessory is a single component (a button or a thumbnail), not a list.
		if (asObject(component.accessory).type === 2)
			validateButton(c, asObject(component.accessory), [...path, 'accessory'], ids);
	});
}

function checkCustomId(c: Checker, component: JsonObject, path: Path, ids: Set<string>): void {
	if (!c.required([...path, 'custom_id'], component.custom_id)) return;
	c.maxLength([...path, 'custom_id'], component.custom_id, 100);
	const id = String(component.custom_id);
	if (ids.has(id))
		c.add([...path, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
	ids.add(id);
}

function validateButton(c: Checker, button: JsonObject, path: Path, ids: Set<string>): void {
	c.maxLength([...path, 'label'], button.label, 80);
	if (button.style === 5) {
		c.required([...path, 'url'], button.url);
		if (button.custom_id !== undefined)
			c.add([...path, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_WITH_URL', 'A link button cannot have a custom id');
	} else if (button.style !== 6) {
		checkCustomId(c, button, path, ids);
	}
}

/** The `data` of a type 9 (MODAL) callback: title, custom_id, 1–5 rows or labels holding text inputs or selects. */
export function validateModal(data: JsonObject): FieldError[] {
	const c = new Checker();
	if (c.required(['data', 'title'], data.title)) c.maxLength(['data', 'title'], data.title, 45);
	if (c.required(['data', 'custom_id'], data.custom_id)) c.maxLength(['data', 'custom_id'], data.custom_id, 100);
	const rows = asArray(data.components);
	c.count(['data', 'components'], rows, 1, 5);
	const ids = new Set<string>();
	rows.forEach((raw, i) => {
		const row = asObject(raw);
		const path = ['data', 'components', i];
		const inner = row.type === 18 ? [asObject(row.component)] : asArray(row.components).map(asObject);
		if (row.type === 18) {
			if (c.required([...path, 'label'], row.label)) c.maxLength([...path, 'label'], row.label, 45);
			c.maxLength([...path, 'description'], row.description, 100);
		}
		inner.forEach((input, j) => {
			const inputPath = row.type === 18 ? [...path, 'component'] : [...path, 'components', j];
			checkCustomId(c, input, inputPath, ids);
			if (input.type !== 4) return;
			if (row.type !== 18 && c.required([...inputPath, 'label'], input.label))
				c.maxLength([...inputPath, 'label'], input.label, 45);
			c.maxLength([...inputPath, 'value'], input.value, 4000);
			c.maxLength([...inputPath, 'placeholder'], input.placeholder, 100);
			const max = input.max_length;
			if (typeof max === 'number' && (max < 1 || max > 4000)) {
				c.add([...inputPath, 'max_length'], 'NUMBER_TYPE_MAX', 'int value should be between 1 and 4000.');
			}
		});
	});
	return c.problems;
}

/** The `data` of a type 8 (autocomplete result) callback: at most 25 choices with 1–100 character names. */
export function validateChoices(data: JsonObject): FieldError[] {
	const c = new Checker();
	const choices = asArray(data.choices);
	c.count(['data', 'choices'], choices, 0, 25);
	choices.forEach((raw, i) => {
		const choice = asObject(raw);
		if (c.required(['data', 'choices', i, 'name'], choice.name))
			c.maxLength(['data', 'choices', i, 'name'], choice.name, 100);
		c.maxLength(['data', 'choices', i, 'value'], asString(choice.value), 100);
	});
	return c.problems;
}
