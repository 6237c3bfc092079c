/**
 * The message box. Plain text is posted as the current user; `/` opens the list of the commands the bot registered,
 * and picking one shows its options (choices as menus, autocomplete options with the bot's live suggestions, files
 * as file pickers, subcommands as a first menu). Enter runs it through the double, as a Discord client would.
 */
import { fileValue, h, post } from './api.ts';
import { type Choice, localized, optionField } from './options.ts';
import type { Json, OptionValue, Snapshot } from './types.ts';

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const name = (o: Json): string => String(o.name ?? '');
/** Subcommand paths of a command (`['settings', 'set']`), or one empty path when it has none. */
function paths(command: Json): string[][] {
	const found: string[][] = [];
	for (const o of list(command.options)) {
		if (o.type === 1) found.push([name(o)]);
		if (o.type === 2) for (const sub of list(o.options)) found.push([name(o), name(sub)]);
	}
	return found.length > 0 ? found : [[]];
}

function optionsAt(command: Json, path: string[]): Json[] {
	let options = list(command.options);
	for (const part of path) options = list(options.find((o) => name(o) === part)?.options);
	return options;
}

export interface ComposerContext {
	user(): string;
	channel(): string;
	snapshot(): Snapshot | null;
}

export class Composer {
	readonly #input: HTMLInputElement;
	readonly #menu: HTMLUListElement;
	readonly #form: HTMLFormElement;
	readonly #ctx: ComposerContext;
	#matches: Json[] = [];
	#active = 0;

	constructor(ctx: ComposerContext) {
		this.#ctx = ctx;
		this.#input = document.getElementById('composer-input') as HTMLInputElement;
		this.#menu = document.getElementById('command-menu') as HTMLUListElement;
		this.#form = document.getElementById('command-form') as HTMLFormElement;
		this.#input.addEventListener('input', () => this.#suggest());
		this.#input.addEventListener('keydown', (e) => this.#keys(e));
		(document.getElementById('message-form') as HTMLFormElement).addEventListener('submit', (e) => {
			e.preventDefault();
			void this.#send();
		});
		this.#form.addEventListener('submit', (e) => {
			e.preventDefault();
			void this.#run();
		});
		this.#form.addEventListener('keydown', (e) => {
			if (e.key === 'Escape') this.close();
		});
	}

	/** Follows the channel in the placeholder. */
	update(snapshot: Snapshot): void {
		this.#input.placeholder = `Message #${snapshot.channel.name}, or type / for commands`;
		// A language switched (or commands registered) while the list is open: show it as it now reads.
		if (!this.#menu.hidden) this.#suggest();
	}

	#commands(): Json[] {
		return [...(this.#ctx.snapshot()?.commands ?? [])].sort((a, b) => name(a).localeCompare(name(b)));
	}

	#suggest(): void {
		const value = this.#input.value;
		if (!value.startsWith('/')) return this.#hideMenu();
		const query = value.slice(1).trim().toLowerCase();
		const locale = this.#ctx.snapshot()?.locale ?? 'en-US';
		const typed = query.split(' ')[0] ?? '';
		// Discord matches what the person sees (the name in their language) as well as the command's own name.
		this.#matches = this.#commands().filter(
			(c) => name(c).startsWith(typed) || localized(c, 'name', locale).toLowerCase().startsWith(typed),
		);
		this.#active = 0;
		this.#menu.replaceChildren(
			...this.#matches.map((c, i) => {
				const item = h('li', { class: i === 0 ? 'active' : undefined, 'data-command': name(c) }, [
					h('strong', {}, [`/${localized(c, 'name', locale)}`]),
					h('small', {}, [localized(c, 'description', locale)]),
				]);
				item.addEventListener('mousedown', (e) => {
					e.preventDefault();
					this.open(c);
				});
				return item;
			}),
		);
		this.#menu.hidden = this.#matches.length === 0;
	}

	#hideMenu(): void {
		this.#menu.hidden = true;
		this.#matches = [];
	}

	#keys(e: KeyboardEvent): void {
		if (this.#menu.hidden) return;
		if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
			e.preventDefault();
			const step = e.key === 'ArrowDown' ? 1 : -1;
			this.#active = (this.#active + step + this.#matches.length) % this.#matches.length;
			[...this.#menu.children].forEach((li, i) => li.classList.toggle('active', i === this.#active));
		} else if (e.key === 'Enter' || e.key === 'Tab') {
			const picked = this.#matches[this.#active];
			if (!picked) return;
			e.preventDefault();
			this.open(picked);
		} else if (e.key === 'Escape') this.#hideMenu();
	}

	/** Shows the options of a command (of its first subcommand, if it has subcommands). */
	open(command: Json, path: string[] = paths(command)[0] ?? []): void {
		this.#hideMenu();
		this.#input.value = '';
		(document.getElementById('message-form') as HTMLFormElement).hidden = true;
		const all = paths(command);
		const sub =
			all.length > 1 || (all[0]?.length ?? 0) > 0
				? h(
						'select',
						{ 'data-subcommand': '' },
						all.map((p) =>
							h('option', { value: p.join(' '), selected: p.join(' ') === path.join(' ') }, [p.join(' ')]),
						),
					)
				: null;
		sub?.addEventListener('change', () => this.open(command, (sub as HTMLSelectElement).value.split(' ')));
		const options = [...optionsAt(command, path)].sort(
			(a, b) => Number(b.required === true) - Number(a.required === true),
		);
		const run = h('button', { type: 'submit', id: 'command-run' }, ['Run']);
		const cancel = h('button', { type: 'button', class: 'secondary', id: 'command-cancel' }, ['Cancel']);
		cancel.addEventListener('click', () => this.close());
		this.#form.dataset.command = name(command);
		this.#form.dataset.path = path.join(' ');
		this.#form.replaceChildren(
			h('span', { class: 'sb-chip' }, [`/${localized(command, 'name', this.#ctx.snapshot()?.locale ?? 'en-US')}`]),
			sub ?? '',
			...options.map((o) =>
				optionField(o, this.#ctx.snapshot(), async (input) => {
					const answer = await post<{ choices: Choice[] }>('/api/autocomplete', {
						user: this.#ctx.user(),
						channel: this.#ctx.channel(),
						command: [this.#form.dataset.command, this.#form.dataset.path].filter(Boolean).join(' '),
						focused: input.dataset.option,
						options: await this.#values(input.dataset.option),
					});
					return answer.choices;
				}),
			),
			run,
			cancel,
		);
		this.#form.hidden = false;
		(this.#form.querySelector('input, select:not([data-subcommand])') as HTMLElement | null)?.focus();
	}

	close(): void {
		this.#form.hidden = true;
		this.#form.replaceChildren();
		(document.getElementById('message-form') as HTMLFormElement).hidden = false;
		this.#input.focus();
	}

	/** The options filled in, typed as the command declares them; the `focused` one as typed text. */
	async #values(focused?: string): Promise<Record<string, OptionValue>> {
		const values: Record<string, OptionValue> = {};
		for (const el of this.#form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-option]')) {
			const key = el.dataset.option ?? '';
			const type = Number(el.dataset.type);
			if (el instanceof HTMLInputElement && el.type === 'file') {
				const file = el.files?.[0];
				if (file) values[key] = await fileValue(file);
				continue;
			}
			const text = (el instanceof HTMLInputElement && el.dataset.value) || el.value;
			if (text === '') continue;
			if (key === focused) values[key] = text;
			else if (type === 5) values[key] = text === 'true';
			else if (type === 4 || type === 10) values[key] = Number(text);
			else values[key] = text;
		}
		return values;
	}

	async #run(): Promise<void> {
		const command = [this.#form.dataset.command, this.#form.dataset.path].filter(Boolean).join(' ');
		const options = await this.#values();
		await post('/api/command', { user: this.#ctx.user(), channel: this.#ctx.channel(), command, options })
			.then(() => this.close())
			.catch(() => {});
	}

	async #send(): Promise<void> {
		const content = this.#input.value.trim();
		if (!content || content.startsWith('/')) return;
		await post('/api/send', { user: this.#ctx.user(), channel: this.#ctx.channel(), content })
			.then(() => (this.#input.value = ''))
			.catch(() => {});
	}
}
