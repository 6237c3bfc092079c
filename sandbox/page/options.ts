/**
 * The options of a slash command as form fields: menus for choices, booleans, users and channels; number inputs;
 * file pickers for attachments; text inputs, with the bot's live suggestions for autocomplete options. A picked
 * suggestion shows its name and sends its value, as in Discord.
 */
import { h } from './api.ts';
import type { Json, Snapshot } from './types.ts';

export interface Choice {
	name: string;
	value: string | number;
}

/** Asks the bot for the choices of an autocomplete field as typed so far. */
export type Suggest = (input: HTMLInputElement) => Promise<Choice[]>;

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const name = (o: Json): string => String(o.name ?? '');

/** A name or description as Discord shows it to someone whose client speaks `locale`. */
export function localized(o: Json, key: 'name' | 'description', locale: string): string {
	const map = o[`${key}_localizations`] as Record<string, string> | null | undefined;
	return map?.[locale] ?? String(o[key] ?? '');
}

/** One option of a slash command as a form field (`data-option` names it, `data-type` is its option type). */
export function optionField(option: Json, snap: Snapshot | null, suggest: Suggest): HTMLElement {
	const type = Number(option.type);
	const choices = list(option.choices);
	const locale = snap?.locale ?? 'en-US';
	const attrs = { 'data-option': name(option), 'data-type': type, title: localized(option, 'description', locale) };
	let input: HTMLElement;
	if (choices.length > 0 || type === 5 || type === 6 || type === 7 || type === 9) {
		const entries: [string, string][] =
			choices.length > 0
				? choices.map((c) => [String(c.value), localized(c, 'name', locale)])
				: type === 5
					? [
							['true', 'yes'],
							['false', 'no'],
						]
					: type === 7
						? (snap?.channels ?? []).map((c) => [c.name, `#${c.name}`])
						: (snap?.users ?? []).map((u) => [u.name, u.name]);
		input = h('select', attrs, [
			h('option', { value: '' }, ['']),
			...entries.map(([value, label]) => h('option', { value }, [label])),
		]);
	} else if (type === 11) input = h('input', { ...attrs, type: 'file' });
	else if (type === 4 || type === 10)
		input = h('input', {
			...attrs,
			type: 'number',
			step: type === 4 ? 1 : 'any',
			min: option.min_value as number,
			max: option.max_value as number,
		});
	else input = h('input', { ...attrs, type: 'text', maxlength: option.max_length as number, autocomplete: 'off' });
	const label = h('label', { class: `sb-option${option.required === true ? ' required' : ''}` }, [
		h('span', {}, [localized(option, 'name', locale)]),
		input,
	]);
	if (option.autocomplete === true) autocomplete(label, input as HTMLInputElement, suggest);
	return label;
}

/** Asks the bot for choices while typing, as Discord does, and shows them under the field. */
function autocomplete(label: HTMLElement, input: HTMLInputElement, suggest: Suggest): void {
	const box = h('ul', { class: 'sb-suggestions', hidden: true });
	label.append(box);
	let timer: number | undefined;
	input.addEventListener('input', () => {
		delete input.dataset.value;
		clearTimeout(timer);
		timer = window.setTimeout(async () => {
			const choices = await suggest(input).catch((): Choice[] => []);
			box.replaceChildren(
				...choices.map((c) => {
					const item = h('li', {}, [c.name]);
					item.addEventListener('mousedown', (e) => {
						e.preventDefault();
						input.value = c.name;
						input.dataset.value = String(c.value);
						box.hidden = true;
					});
					return item;
				}),
			);
			box.hidden = choices.length === 0;
		}, 250);
	});
	input.addEventListener('blur', () => setTimeout(() => (box.hidden = true), 150));
}
