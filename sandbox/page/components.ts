/**
 * A message's interactive components: buttons in action rows (Discord's colours, emoji before the label) and select
 * menus. A click or a pick is posted back with the control's index in the message, which the server maps to the
 * driver's click or select as the person using the page.
 */
import { h, post } from './api.ts';
import { markdown, type Names } from './markdown.ts';
import type { ControlDto, Json, MessageDto } from './types.ts';

const BUTTON_TYPES: Record<number, string> = {
	1: 'primary',
	2: 'secondary',
	3: 'success',
	4: 'destructive',
	5: 'secondary',
};

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** Buttons in action rows and select menus; a click or pick is sent back by the control's index. */
export function components(message: MessageDto, user: () => string, names: Names): HTMLElement | null {
	const indexOf = (raw: Json): ControlDto | undefined =>
		message.controls.find((c) => (c.customId !== null ? c.customId === raw.custom_id : c.url === raw.url));
	const rows: HTMLElement[] = [];
	const walk = (items: Json[]): void => {
		for (const raw of items) {
			if (raw.type === 1) {
				const buttons = list(raw.components).filter((c) => c.type === 2);
				if (buttons.length > 0)
					rows.push(
						h(
							'discord-action-row',
							{},
							buttons.map((b) => button(b)),
						),
					);
				walk(list(raw.components).filter((c) => c.type !== 2));
			} else if ([3, 5, 6, 7, 8].includes(Number(raw.type))) rows.push(select(raw));
			else if (raw.type === 10) rows.push(h('div', {}, markdown(str(raw.content) ?? '', names)));
			else {
				walk(list(raw.components));
				if (raw.accessory) walk([raw.accessory as Json]);
			}
		}
	};
	const button = (raw: Json): HTMLElement => {
		const control = indexOf(raw);
		const emoji = str((raw.emoji as Json | undefined)?.name);
		const label = str(raw.label) ?? '';
		const el = h(
			'discord-button',
			{
				type: BUTTON_TYPES[Number(raw.style)] ?? 'secondary',
				disabled: raw.disabled === true,
				url: raw.style === 5 ? str(raw.url) : undefined,
				'data-label': label || emoji,
			},
			[[emoji, label].filter(Boolean).join(' ')],
		);
		if (control && raw.style !== 5 && raw.disabled !== true)
			el.addEventListener(
				'click',
				() => void post('/api/click', { user: user(), message: message.id, index: control.index }).catch(() => {}),
			);
		return el;
	};
	const select = (raw: Json): HTMLElement => {
		const control = indexOf(raw);
		const menu = h(
			'select',
			{ class: 'sb-select', disabled: raw.disabled === true, 'data-placeholder': str(raw.placeholder) },
			[
				h('option', { value: '' }, [str(raw.placeholder) ?? 'Make a selection']),
				...list(raw.options).map((o) => h('option', { value: str(o.value) ?? '' }, [str(o.label) ?? ''])),
			],
		);
		menu.addEventListener('change', () => {
			if (!control || menu.value === '') return;
			void post('/api/select', { user: user(), message: message.id, index: control.index, values: [menu.value] }).catch(
				() => {},
			);
		});
		return menu;
	};
	walk(message.components);
	return rows.length > 0 ? h('discord-attachments', { slot: 'components' }, rows) : null;
}
