/**
 * What a person does on the playground page, done through the Discord double's driver exactly as a test would:
 * run a slash command, ask for autocomplete choices, click a button, pick from a select menu, fill in a modal, post
 * a message, join or leave voice. Keeps the modals the bot opened and the notices the Discord client would show.
 */
import { randomUUID } from 'node:crypto';
import type {
	FileInput,
	InteractionHandle,
	ModalHandle,
	ModalValue,
	OptionInput,
} from '../test/doubles/discord/index.ts';
import type { FieldValue, ModalDto, OptionValue } from './page/types.ts';
import { findMessage, type World } from './snapshot.ts';

/** How long Discord waits for the bot's first answer before saying it did not respond. */
const RESPONSE_DEADLINE_MS = 3_500;
const NOTICE_LIFETIME_MS = 12_000;

/** A mistake of the person using the page (unknown command, missing option): shown to them, never a crash. */
export class ActionError extends Error {}

interface OpenModal {
	id: string;
	user: string;
	handle: ModalHandle;
}

interface Notice {
	id: string;
	user: string;
	text: string;
	at: number;
}

const file = (value: { name: string; base64: string; contentType?: string | undefined }): FileInput => ({
	name: value.name,
	bytes: Buffer.from(value.base64, 'base64'),
	...(value.contentType ? { contentType: value.contentType } : {}),
});

export class Actions {
	readonly #world: World;
	readonly #changed: () => void;
	readonly #modals: OpenModal[] = [];
	readonly #notices: Notice[] = [];
	/** The language of each user's Discord client, as chosen on the page (the double sends it on interactions). */
	readonly #locales = new Map<string, string>();
	/** The answer each user voted for, per poll message: the double tells counts, Discord also shows your own vote. */
	readonly #votes = new Map<string, Map<string, number>>();

	/** `changed` is called when a modal or notice appears or goes, so the pages get a fresh snapshot. */
	constructor(world: World, changed: () => void) {
		this.#world = world;
		this.#changed = changed;
	}

	/** The oldest modal still open for this user. */
	modalFor(user: string): ModalDto | null {
		const open = this.#modals.find((m) => m.user === user);
		if (!open) return null;
		return { id: open.id, title: open.handle.title, fields: open.handle.fields };
	}

	noticesFor(user: string): { id: string; text: string }[] {
		const now = Date.now();
		return this.#notices
			.filter((n) => n.user === user && now - n.at < NOTICE_LIFETIME_MS)
			.map(({ id, text }) => ({ id, text }));
	}

	#notify(user: string, text: string): void {
		this.#notices.push({ id: randomUUID(), user, text, at: Date.now() });
		if (this.#notices.length > 50) this.#notices.shift();
		this.#changed();
		setTimeout(this.#changed, NOTICE_LIFETIME_MS + 100).unref();
	}

	/** Driver errors are the page's mistakes (what the Discord client would not let anyone do). */
	async #attempt<T>(work: () => T | Promise<T>): Promise<T> {
		try {
			return await work();
		} catch (error) {
			throw new ActionError(error instanceof Error ? error.message : String(error));
		}
	}

	/** Follows an interaction: a modal becomes a form on the page; silence becomes Discord's notice. */
	#follow(user: string, handle: InteractionHandle, what: string): void {
		handle.response({ timeout: RESPONSE_DEADLINE_MS }).then(
			async (response) => {
				if (response.type !== 9) return;
				this.#modals.push({ id: handle.id, user, handle: await handle.modal() });
				this.#changed();
			},
			() => this.#notify(user, `The application did not respond (${what}).`),
		);
	}

	async run(user: string, channel: string, command: string, options: Record<string, OptionValue>): Promise<void> {
		const input: Record<string, OptionInput> = {};
		for (const [key, value] of Object.entries(options)) input[key] = typeof value === 'object' ? file(value) : value;
		const handle = await this.#attempt(() => this.#world.double.user(user).runSlash(command, input, { channel }));
		this.#follow(user, handle, `/${command}`);
	}

	async autocomplete(
		user: string,
		channel: string,
		command: string,
		focused: string,
		options: Record<string, OptionValue>,
	): Promise<{ name: string; value: string | number }[]> {
		const typed = String(options[focused] ?? '');
		const others: Record<string, OptionInput> = {};
		for (const [key, value] of Object.entries(options))
			if (key !== focused && typeof value !== 'object' && value !== '') others[key] = value;
		// No answer in time shows no choices, as in Discord.
		return this.#world.double
			.user(user)
			.autocomplete(command, focused, typed, others, { channel, timeout: RESPONSE_DEADLINE_MS })
			.catch(() => []);
	}

	#control(user: string, messageId: string, index: number) {
		const view = findMessage(this.#world, messageId);
		const control = view?.controls[index];
		if (!view || !control) throw new ActionError('That message or control is gone.');
		const nth = view.controls
			.slice(0, index)
			.filter((c) => c.kind === control.kind && c.label === control.label).length;
		return { view, control, nth, who: this.#world.double.user(user) };
	}

	async click(user: string, messageId: string, index: number): Promise<void> {
		const { view, control, nth, who } = this.#control(user, messageId, index);
		const label = control.label ?? /^$/;
		const handle = await this.#attempt(() => who.click(view, label, { nth }));
		this.#follow(user, handle, control.label ?? 'button');
	}

	async select(user: string, messageId: string, index: number, values: string[]): Promise<void> {
		const { view, control, who } = this.#control(user, messageId, index);
		const menu = control.customId ?? control.placeholder ?? '';
		const handle = await this.#attempt(() => who.select(view, menu, values));
		this.#follow(user, handle, control.placeholder ?? 'menu');
	}

	async submitModal(user: string, id: string, values: Record<string, FieldValue>): Promise<void> {
		const open = this.#modals.find((m) => m.id === id && m.user === user);
		if (!open) throw new ActionError('This form is no longer open.');
		const answers: Record<string, ModalValue> = {};
		for (const [key, value] of Object.entries(values)) {
			if (typeof value === 'string' || typeof value === 'boolean') answers[key] = value;
			else if (value.every((v) => typeof v === 'string')) answers[key] = value as string[];
			else answers[key] = (value as { name: string; base64: string }[]).map(file);
		}
		const handle = await this.#attempt(() => open.handle.submit(answers));
		this.dismissModal(user, id);
		this.#follow(user, handle, open.handle.title);
	}

	dismissModal(user: string, id: string): void {
		const at = this.#modals.findIndex((m) => m.id === id && m.user === user);
		if (at >= 0) this.#modals.splice(at, 1);
		this.#changed();
	}

	async send(user: string, channel: string, content: string): Promise<void> {
		await this.#attempt(() => this.#world.double.user(user).send(channel, content));
	}

	async voice(user: string, action: 'join' | 'leave'): Promise<void> {
		const who = this.#world.double.user(user);
		await this.#attempt(() => (action === 'join' ? who.joinVoice(this.#world.voiceChannel) : who.leaveVoice()));
	}

	localeFor(user: string): string {
		return this.#locales.get(user) ?? 'en-US';
	}

	setLocale(user: string, locale: string): void {
		this.#world.double.user(user).setLocale(locale);
		this.#locales.set(user, locale);
	}

	/** The 1-based answer this user voted for in the poll of this message, if any. */
	votedFor(user: string, messageId: string): number | undefined {
		return this.#votes.get(messageId)?.get(user);
	}

	async vote(user: string, messageId: string, answer: number): Promise<void> {
		const view = findMessage(this.#world, messageId);
		if (!view?.poll) throw new ActionError('That poll is gone.');
		await this.#attempt(() => this.#world.double.user(user).vote(view, answer));
		const votes = this.#votes.get(messageId) ?? new Map<string, number>();
		votes.set(user, answer);
		this.#votes.set(messageId, votes);
	}

	/** Ends a poll now, as its end time would: stands in for the hours a real poll runs. */
	endPoll(messageId: string): void {
		const view = findMessage(this.#world, messageId);
		if (!view?.poll) throw new ActionError('That poll is gone.');
		if (view.poll.ended) throw new ActionError('That poll has already ended.');
		this.#world.double.endPoll(view);
	}
}
