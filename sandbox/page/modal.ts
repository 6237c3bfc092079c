/**
 * A modal the bot showed, as a form in a dialog: text inputs (short or paragraph, with their limits and pre-filled
 * values), select menus, user/channel pickers, file uploads, radio groups, checkbox groups and checkboxes. Submitting sends the answers back through the
 * double; closing dismisses the modal as Discord's × does.
 */
import { fileValue, h, post } from './api.ts';
import type { FieldValue, ModalDto, ModalFieldDto, Snapshot } from './types.ts';

function input(field: ModalFieldDto, snap: Snapshot): HTMLElement {
	const common = { 'data-field': field.customId, required: field.required, name: field.customId };
	if (field.type === 4) {
		const text = {
			...common,
			maxlength: field.maxLength ?? undefined,
			minlength: field.minLength ?? undefined,
			placeholder: field.placeholder ?? undefined,
		};
		const el = field.style === 2 ? h('textarea', text) : h('input', { ...text, type: 'text', autocomplete: 'off' });
		el.value = field.value ?? '';
		return el;
	}
	if (field.type === 19) return h('input', { ...common, type: 'file' });
	if (field.type === 23) {
		const box = h('input', { ...common, required: false, type: 'checkbox' });
		box.checked = field.checked;
		return box;
	}
	// Radio and checkbox groups: one choice per line, as the Discord client lists them.
	if (field.type === 21 || field.type === 22)
		return h(
			'div',
			{ 'data-field': field.customId, 'data-kind': field.type === 21 ? 'radio' : 'checks', class: 'sb-choices' },
			field.options.map((o) => {
				const choice = h('input', {
					type: field.type === 21 ? 'radio' : 'checkbox',
					name: field.customId,
					value: o.value,
				});
				choice.checked = o.default;
				return h('label', {}, [choice, o.label, o.description && h('small', {}, [o.description])]);
			}),
		);
	const entries: [string, string][] =
		field.type === 3
			? field.options.map((o) => [o.value, o.label])
			: field.type === 8
				? snap.channels.map((c) => [c.id, `#${c.name}`])
				: snap.users.map((u) => [u.id, u.name]);
	const picked = new Set(field.options.filter((o) => o.default).map((o) => o.value));
	const select = h('select', common, [
		h('option', { value: '' }, ['']),
		...entries.map(([value, label]) => h('option', { value }, [label])),
	]);
	for (const option of select.querySelectorAll('option')) option.selected = picked.has(option.value);
	return select;
}

async function answer(el: HTMLElement): Promise<FieldValue | undefined> {
	if (el instanceof HTMLDivElement) {
		const picked = [...el.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value);
		return el.dataset.kind === 'radio' ? picked[0] : picked;
	}
	if (el instanceof HTMLInputElement && el.type === 'checkbox') return el.checked;
	if (el instanceof HTMLInputElement && el.type === 'file') {
		const files = [...(el.files ?? [])];
		return files.length > 0 ? Promise.all(files.map(fileValue)) : undefined;
	}
	if (el instanceof HTMLSelectElement) return el.value === '' ? [] : [el.value];
	return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : undefined;
}

/** Shows the current user's open modal (or closes the dialog when there is none). */
export function showModal(dialog: HTMLDialogElement, modal: ModalDto | null, snap: Snapshot, user: () => string): void {
	if (!modal) {
		if (dialog.open) dialog.close();
		delete dialog.dataset.id;
		return;
	}
	if (dialog.open && dialog.dataset.id === modal.id) return;
	dialog.dataset.id = modal.id;
	const cancel = h('button', { type: 'button', class: 'secondary', id: 'modal-cancel' }, ['Cancel']);
	const submit = h('button', { type: 'submit', id: 'modal-submit' }, ['Submit']);
	const form = h('form', { method: 'dialog' }, [
		h('h2', {}, [modal.title]),
		...modal.fields.map((f) =>
			h('label', {}, [f.label ?? f.customId, f.description && h('small', {}, [f.description]), input(f, snap)]),
		),
		h('div', { class: 'sb-actions' }, [cancel, submit]),
	]);
	const dismiss = () => void post('/api/modal/dismiss', { user: user(), id: modal.id }).catch(() => {});
	cancel.addEventListener('click', () => {
		dialog.close();
		dismiss();
	});
	dialog.onclose = null;
	dialog.oncancel = () => dismiss();
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		const values: Record<string, FieldValue> = {};
		for (const el of form.querySelectorAll<HTMLElement>('[data-field]')) {
			const value = await answer(el);
			if (value !== undefined) values[el.dataset.field ?? ''] = value;
		}
		submit.setAttribute('disabled', '');
		await post('/api/modal', { user: user(), id: modal.id, values })
			.then(() => dialog.close())
			.catch(() => submit.removeAttribute('disabled'));
	});
	dialog.replaceChildren(form);
	if (!dialog.open) dialog.showModal();
}
