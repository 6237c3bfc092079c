/**
 * A modal the bot showed, and its submission the way the Discord client sends it: the same layout (legacy action
 * rows or Label components) with each input's `custom_id` and `value` (selects and file uploads: `values`).
 */
import type { FileInput } from './commands.ts';
import type { DriverContext, InteractionHandle } from './driver.ts';
import type { InteractionRecord } from './interactions.ts';
import { uploadedAttachment } from './messages.ts';
import { apiAttachment } from './payloads.ts';
import type { JsonObject } from './state.ts';
import { asArray, asObject, asString, contentTypeFor } from './wire.ts';

/** One input of a modal as the user sees it. */
export interface ModalField {
	customId: string;
	/**
	 * 4 text input, 3 string select (5–8 user/role/mentionable/channel selects: ids), 19 file upload, 21 radio group,
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
	/** Pre-filled text. */
	value: string | null;
	placeholder: string | null;
	/** Select, radio group and checkbox group options; `default` marks what is picked before the user acts. */
	options: { label: string; value: string; description: string | null; default: boolean }[];
	/** Checkboxes: ticked before the user acts. */
	checked: boolean;
}

/**
 * What a user types or picks: text for text inputs, values for selects and checkbox groups, one value for a radio
 * group, files for file uploads, true or false for a checkbox.
 */
export type ModalValue = string | string[] | FileInput[] | boolean;

interface Slot {
	row: JsonObject;
	input: JsonObject;
	field: ModalField;
}

export class ModalHandle {
	readonly #ctx: DriverContext;
	readonly #parent: InteractionRecord;
	readonly #slots: Slot[];
	readonly #wrap: (record: InteractionRecord) => InteractionHandle;
	#submitted = false;
	readonly title: string;
	readonly customId: string;

	constructor(
		ctx: DriverContext,
		parent: InteractionRecord,
		data: JsonObject,
		wrap: (record: InteractionRecord) => InteractionHandle,
	) {
		this.#ctx = ctx;
		this.#parent = parent;
		this.#wrap = wrap;
		this.title = String(data.title ?? '');
		this.customId = String(data.custom_id ?? '');
		this.#slots = asArray(data.components).flatMap((raw): Slot[] => {
			const row = asObject(raw);
			const input = row.type === 18 ? asObject(row.component) : asObject(asArray(row.components)[0]);
			if (typeof input.custom_id !== 'string') return [];
			const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
			const field: ModalField = {
				customId: input.custom_id,
				type: Number(input.type),
				label: asString(row.type === 18 ? row.label : input.label) ?? null,
				description: asString(row.description) ?? null,
				style: num(input.style),
				// Checkboxes are never required; radio groups, selects and uploads are unless said otherwise.
				required: input.type !== 23 && input.required !== false && (input.type === 4 || num(input.min_values) !== 0),
				minLength: num(input.min_length),
				maxLength: num(input.max_length),
				value: asString(input.value) ?? null,
				placeholder: asString(input.placeholder) ?? null,
				options: asArray(input.options).map((o) => ({
					label: String(asObject(o).label),
					value: String(asObject(o).value),
					description: asString(asObject(o).description) ?? null,
					default: asObject(o).default === true,
				})),
				checked: input.default === true,
			};
			return [{ row, input, field }];
		});
	}

	/** The inputs, top to bottom. */
	get fields(): ModalField[] {
		return this.#slots.map((s) => s.field);
	}

	field(customId: string): ModalField {
		const field = this.fields.find((f) => f.customId === customId);
		if (!field)
			throw new Error(
				`modal "${this.title}" has no field ${customId}; fields: ${this.fields.map((f) => f.customId).join(', ')}`,
			);
		return field;
	}

	/** Submits the modal; fields not given keep their pre-filled value. Resolves with the modal-submit interaction. */
	async submit(values: Record<string, ModalValue> = {}): Promise<InteractionHandle> {
		if (this.#submitted) throw new Error(`modal "${this.title}" was already submitted`);
		for (const key of Object.keys(values)) this.field(key);
		const resolved: Record<string, JsonObject> = {};
		let nextId = 1;
		const components = this.#slots.map(({ row, input, field }) => {
			const rowId = typeof row.id === 'number' ? row.id : nextId++;
			const inputId = typeof input.id === 'number' ? input.id : nextId++;
			const answer = {
				type: field.type,
				id: inputId,
				custom_id: field.customId,
				...this.#answer(field, values[field.customId], resolved),
			};
			return row.type === 18
				? { type: 18, id: rowId, component: answer }
				: { type: 1, id: rowId, components: [answer] };
		});
		this.#submitted = true;
		const data: JsonObject = { custom_id: this.customId, components };
		if (Object.keys(resolved).length > 0) data.resolved = { attachments: resolved };
		const record = this.#ctx.interactions.create({
			type: 5,
			userId: this.#parent.userId,
			channelId: this.#parent.channelId,
			data,
			sourceMessageId: this.#parent.sourceMessageId,
		});
		return this.#wrap(record);
	}

	#answer(field: ModalField, given: ModalValue | undefined, resolved: Record<string, JsonObject>): JsonObject {
		const label = `modal field ${field.customId}`;
		if (field.type === 4) {
			if (Array.isArray(given) || typeof given === 'boolean') throw new Error(`${label} takes text`);
			const value = given ?? field.value ?? '';
			const length = [...value].length;
			if (field.required && length === 0) throw new Error(`${label} is required`);
			if (field.maxLength !== null && length > field.maxLength)
				throw new Error(`${label} allows ${field.maxLength} characters, got ${length}`);
			if (length > 0 && field.minLength !== null && length < field.minLength)
				throw new Error(`${label} needs ${field.minLength} characters`);
			return { value };
		}
		// The client sends a checkbox as a boolean, a radio group as its one value (null when none is picked).
		if (field.type === 23) {
			if (given !== undefined && typeof given !== 'boolean') throw new Error(`${label} takes true or false`);
			return { value: given ?? field.checked };
		}
		if (typeof given === 'boolean') throw new Error(`${label} does not take true or false`);
		const picked = field.options.filter((o) => o.default).map((o) => o.value);
		const list =
			given === undefined ? ([3, 21, 22].includes(field.type) ? picked : []) : Array.isArray(given) ? given : [given];
		if (field.required && list.length === 0) throw new Error(`${label} is required`);
		if ([3, 21, 22].includes(field.type)) {
			const offered = field.options.map((o) => o.value);
			const unknown = list.filter((v) => typeof v !== 'string' || !offered.includes(v));
			if (unknown.length > 0)
				throw new Error(`${label} offers ${JSON.stringify(offered)}, not ${JSON.stringify(unknown)}`);
		}
		if (field.type === 21) {
			if (list.length > 1) throw new Error(`${label} is a radio group: pick one`);
			return { value: list[0] ?? null };
		}
		if ([3, 5, 6, 7, 8, 22].includes(field.type)) return { values: list.map(String) };
		if (field.type !== 19) throw new Error(`${label}: component type ${field.type} is not supported by the double`);
		const ids = list.map((file) => {
			if (typeof file !== 'object') throw new Error(`${label} takes files ({ name, bytes })`);
			const record = uploadedAttachment(this.#ctx.state, {
				index: 0,
				filename: file.name,
				contentType: file.contentType ?? contentTypeFor(file.name),
				bytes: typeof file.bytes === 'string' ? Buffer.from(file.bytes) : Buffer.from(file.bytes),
			});
			resolved[record.id] = apiAttachment(this.#ctx.state, record, null);
			return record.id;
		});
		return { values: ids };
	}
}
