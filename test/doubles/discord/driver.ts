/**
 * The test driver, in a user's words: a user runs a slash command, types into an autocomplete option, clicks a
 * button by its label, picks from a select menu, fills in the modal the bot showed, joins a voice channel.
 * Anything the Discord client itself would not let a user do (unknown command, missing required option, disabled
 * button, too long modal input) throws a plain Error, because it is a mistake in the test, not in the bot.
 */
import { randomBytes } from 'node:crypto';
import { commandData, type FileInput, type OptionInput } from './commands.ts';
import type { CallbackRecord, InteractionRecord, Interactions } from './interactions.ts';
import { buildMessage } from './messages.ts';
import { ModalHandle } from './modal.ts';
import { missing, PERMISSIONS, type PermissionName } from './permissions.ts';
import { castVote } from './polls.ts';
import type { ChannelRecord, DiscordState, UserRecord } from './state.ts';
import { type MessageView, messageView, waitUntil } from './views.ts';
import { asObject, asString } from './wire.ts';

/** A channel by name (unique across guilds), by id, or a handle. */
export type ChannelRef = string | { id: string };

/** What the driver needs from the harness. */
export interface DriverContext {
	state: DiscordState;
	interactions: Interactions;
	/** Default timeout of every wait, in ms. */
	timeoutMs: number;
	channel(ref: ChannelRef | undefined): ChannelRecord;
}

export interface Choice {
	name: string;
	value: string | number;
}

/** Options of every wait: `timeout` in ms (default: the double's `waitTimeoutMs`). */
export interface WaitOptions {
	timeout?: number;
}

/** One interaction a user started, and what the bot did with it. */
export class InteractionHandle {
	readonly #ctx: DriverContext;
	readonly record: InteractionRecord;

	constructor(ctx: DriverContext, record: InteractionRecord) {
		this.#ctx = ctx;
		this.record = record;
	}

	get id(): string {
		return this.record.id;
	}

	/** Every callback the bot sent, accepted or rejected (with Discord's status and code). */
	get callbacks(): readonly CallbackRecord[] {
		return this.record.callbacks;
	}

	/** Follow-up messages (ephemeral ones included), oldest first. */
	get followUps(): MessageView[] {
		const { state } = this.#ctx;
		return this.record.followUpIds.flatMap((id) => {
			const message = state.messages.get(id);
			return message ? [messageView(state, message)] : [];
		});
	}

	#wait<T>(probe: () => T | undefined, what: string, options: WaitOptions): Promise<T> {
		const describe = (): string => {
			const calls = this.record.callbacks.map((c) => `type ${c.type} → ${c.status}${c.code ? ` (${c.code})` : ''}`);
			return `${what} of interaction ${this.id} (${this.record.commandName ?? `type ${this.record.type}`}); callbacks so far: [${calls.join(', ')}]`;
		};
		return waitUntil(this.#ctx.state, probe, options.timeout ?? this.#ctx.timeoutMs, describe);
	}

	/** The accepted initial callback (reply 4, defer 5, deferUpdate 6, update 7, choices 8, modal 9). */
	response(options: WaitOptions = {}): Promise<CallbackRecord> {
		return this.#wait(() => this.record.response ?? undefined, 'the first response', options);
	}

	/** The original response message once it is final (a deferred reply resolves after its edit or first follow-up). */
	reply(options: WaitOptions = {}): Promise<MessageView> {
		return this.#wait(
			() => {
				const type = this.record.response?.type;
				if (type === 8 || type === 9) throw new Error(`the bot answered with callback type ${type}, not a message`);
				const message = this.record.originalMessageId && this.#ctx.state.messages.get(this.record.originalMessageId);
				if (!message) return undefined;
				const view = messageView(this.#ctx.state, message);
				return view.loading ? undefined : view;
			},
			'the reply',
			options,
		);
	}

	/** Resolves once the interaction has at least `count` follow-ups. */
	waitForFollowUps(count: number, options: WaitOptions = {}): Promise<MessageView[]> {
		return this.#wait(
			() => (this.followUps.length >= count ? this.followUps : undefined),
			`${count} follow-ups`,
			options,
		);
	}

	/** The modal the bot showed (callback type 9). */
	async modal(options: WaitOptions = {}): Promise<ModalHandle> {
		const response = await this.response(options);
		if (response.type !== 9) throw new Error(`the bot answered with callback type ${response.type}, not a modal`);
		return new ModalHandle(this.#ctx, this.record, response.data, (record) => new InteractionHandle(this.#ctx, record));
	}

	/** The autocomplete choices the bot answered with (callback type 8). */
	async choices(options: WaitOptions = {}): Promise<Choice[]> {
		const response = await this.response(options);
		if (response.type !== 8) throw new Error(`the bot answered with callback type ${response.type}, not choices`);
		return (Array.isArray(response.data.choices) ? response.data.choices : []).map((c) => {
			const choice = asObject(c);
			return {
				name: String(choice.name),
				value: typeof choice.value === 'number' ? choice.value : String(choice.value),
			};
		});
	}
}

/** A sandbox user (member of every guild). */
export class UserHandle {
	readonly #ctx: DriverContext;
	readonly #user: UserRecord;

	constructor(ctx: DriverContext, user: UserRecord) {
		this.#ctx = ctx;
		this.#user = user;
	}

	get id(): string {
		return this.#user.id;
	}

	get name(): string {
		return this.#user.username;
	}

	/** Switches the language of this user's Discord client (e.g. 'zh-CN'), as sent with their next interactions. */
	setLocale(locale: string): this {
		this.#user.locale = locale;
		return this;
	}

	#mayUse(channel: ChannelRecord, required: PermissionName[]): void {
		const lacking = missing(this.#ctx.state.permissionsOf(this.id, channel.id), ['VIEW_CHANNEL', ...required]);
		if (lacking.length > 0) throw new Error(`${this.name} lacks ${lacking.join(', ')} in #${channel.name}`);
	}

	/**
	 * Runs `/command` (subcommands separated by spaces: `'queue add'`) with options in plain values: strings,
	 * numbers, booleans, users/channels/roles by name, files as `{ name, bytes }`. Resolves once it is dispatched.
	 */
	async runSlash(
		command: string,
		options: Record<string, OptionInput> = {},
		where: { channel?: ChannelRef } = {},
	): Promise<InteractionHandle> {
		return this.#command(command, options, where.channel);
	}

	/** Types `typed` into the autocomplete option `focused` of `/command` and resolves with the bot's choices. */
	async autocomplete(
		command: string,
		focused: string,
		typed: string,
		options: Record<string, OptionInput> = {},
		where: { channel?: ChannelRef; timeout?: number } = {},
	): Promise<Choice[]> {
		const handle = this.#command(command, { ...options, [focused]: typed }, where.channel, focused);
		return handle.choices(where.timeout === undefined ? {} : { timeout: where.timeout });
	}

	#command(command: string, options: Record<string, OptionInput>, ref: ChannelRef | undefined, focused?: string) {
		const { state, interactions } = this.#ctx;
		const channel = this.#ctx.channel(ref);
		this.#mayUse(channel, ['USE_APPLICATION_COMMANDS']);
		const path = command.replace(/^\//, '').trim().split(/\s+/);
		const { data } = commandData(state, channel.guildId, path, options, focused);
		const required = asString(asObject(state.commands.get(String(data.id))?.data).default_member_permissions);
		if (required && (state.permissionsOf(this.id, channel.id) & BigInt(required)) !== BigInt(required)) {
			throw new Error(`${this.name} may not use /${path[0]} (default_member_permissions ${required})`);
		}
		const type = focused === undefined ? 2 : 4;
		const record = interactions.create({
			type,
			userId: this.id,
			channelId: channel.id,
			data,
			commandName: path.join(' '),
		});
		return new InteractionHandle(this.#ctx, record);
	}

	/** Clicks the button labelled `label` (or matching it) on a message; `nth` picks among equal labels (0 = first). */
	async click(
		message: MessageView | string,
		label: string | RegExp,
		options: { nth?: number } = {},
	): Promise<InteractionHandle> {
		const { view, matches } = this.#controls(message, 'button', (c) =>
			typeof label === 'string' ? c.label === label : label.test(c.label ?? ''),
		);
		const nth = options.nth ?? 0;
		const button = matches[nth];
		if (!button)
			throw new Error(
				`no button ${String(label)} #${nth} on message ${view.id}; buttons: ${JSON.stringify(view.buttons)}`,
			);
		if (button.disabled) throw new Error(`button ${String(label)} on message ${view.id} is disabled`);
		if (button.customId === null) throw new Error(`button ${String(label)} is a link to ${button.url}`);
		return this.#component(view, { custom_id: button.customId, component_type: 2 });
	}

	/** Picks `values` in the select menu with this custom id or placeholder. */
	async select(message: MessageView | string, menu: string, values: string[]): Promise<InteractionHandle> {
		const { view, matches } = this.#controls(message, 'select', (c) => c.customId === menu || c.placeholder === menu);
		const select = matches[0];
		if (!select?.customId) throw new Error(`no select menu "${menu}" on message ${view.id}`);
		if (select.disabled) throw new Error(`select menu "${menu}" is disabled`);
		const offered = select.options.map((o) => o.value);
		const unknown = values.filter((v) => offered.length > 0 && !offered.includes(v));
		if (unknown.length > 0)
			throw new Error(`select menu "${menu}" offers ${JSON.stringify(offered)}, not ${JSON.stringify(unknown)}`);
		return this.#component(view, { custom_id: select.customId, component_type: 3, values });
	}

	#controls(
		message: MessageView | string,
		kind: 'button' | 'select',
		test: (c: MessageView['controls'][number]) => boolean,
	) {
		const { state } = this.#ctx;
		const record = state.messages.get(typeof message === 'string' ? message : message.id);
		if (!record || (record.ephemeralFor !== null && record.ephemeralFor !== this.id)) {
			throw new Error(`${this.name} cannot see message ${typeof message === 'string' ? message : message.id}`);
		}
		const view = messageView(state, record);
		const matches = view.controls.filter((c) => c.kind === kind && test(c));
		// A view of part of a message (one take of a song card) clicks what that part shows, as a person would.
		const shown = typeof message === 'string' ? [] : message.controls.map((c) => c.customId);
		const scoped = matches.filter((c) => shown.includes(c.customId));
		return { view, matches: scoped.length > 0 ? scoped : matches };
	}

	#component(view: MessageView, data: Record<string, unknown>): InteractionHandle {
		const record = this.#ctx.interactions.create({
			type: 3,
			userId: this.id,
			channelId: view.channelId,
			data,
			sourceMessageId: view.id,
		});
		return new InteractionHandle(this.#ctx, record);
	}

	/**
	 * Votes in the poll of a message for the answer with this text (or 1-based number), as a member clicking it;
	 * the bot hears of it only with the GUILD_MESSAGE_POLLS intent (MESSAGE_POLL_VOTE_ADD).
	 */
	vote(message: MessageView | string, answer: string | number): void {
		const { state } = this.#ctx;
		const record = state.messages.get(typeof message === 'string' ? message : message.id);
		if (!record?.poll) throw new Error(`message ${typeof message === 'string' ? message : message.id} has no poll`);
		this.#mayUse(this.#ctx.channel({ id: record.channelId }), ['READ_MESSAGE_HISTORY']);
		const found = record.poll.answers.find((a) => (typeof answer === 'number' ? a.id === answer : a.text === answer));
		if (!found)
			throw new Error(`the poll has no answer ${answer}: ${record.poll.answers.map((a) => a.text).join(', ')}`);
		castVote(state, record, this.id, found.id);
	}

	/** Posts a plain message as this user (MESSAGE_CREATE to bots with the GuildMessages intent). */
	send(channel: ChannelRef, content: string): MessageView {
		const { state } = this.#ctx;
		const record = this.#ctx.channel(channel);
		this.#mayUse(record, [record.thread ? 'SEND_MESSAGES_IN_THREADS' : 'SEND_MESSAGES']);
		if (record.thread?.locked) throw new Error(`${this.name} cannot post in the locked thread ${record.name}`);
		const message = buildMessage(state, {
			channelId: record.id,
			guildId: record.guildId,
			authorId: this.id,
			input: { body: { content }, files: [] },
		});
		state.addMessage(message);
		return messageView(state, message);
	}

	/** Ephemeral messages the bot showed this user ("only you can see this"), oldest first. */
	get ephemeralReplies(): MessageView[] {
		const { state } = this.#ctx;
		return [...state.messages.values()].filter((m) => m.ephemeralFor === this.id).map((m) => messageView(state, m));
	}

	/**
	 * Whether the user's Discord client would list this command in the channel: Discord hides a command whose
	 * `default_member_permissions` the member lacks ("0": administrators only).
	 */
	canSeeCommand(command: { default_member_permissions?: unknown }, channel?: ChannelRef): boolean {
		const required = asString(command.default_member_permissions);
		if (required === undefined) return true;
		const bits = this.#ctx.state.permissionsOf(this.id, this.#ctx.channel(channel).id);
		if (required === '0') return (bits & PERMISSIONS.ADMINISTRATOR) !== 0n;
		return (bits & BigInt(required)) === BigInt(required);
	}

	/** The voice channel id the user is connected to, if any. */
	get voiceChannelId(): string | null {
		for (const guild of this.#ctx.state.guilds.values()) {
			const voice = guild.voiceStates.get(this.id);
			if (voice) return voice.channelId;
		}
		return null;
	}

	/** Connects to a voice channel; the bot receives VOICE_STATE_UPDATE (so `member.voice.channel` is right). */
	async joinVoice(channel: ChannelRef): Promise<void> {
		const record = this.#ctx.channel(channel);
		if (record.type !== 2) throw new Error(`#${record.name} is not a voice channel`);
		this.#mayUse(record, ['CONNECT']);
		this.#ctx.state.setVoiceState(record.guildId, this.id, {
			userId: this.id,
			channelId: record.id,
			sessionId: randomBytes(16).toString('hex'),
			selfDeaf: false,
			selfMute: false,
		});
	}

	/** Leaves whatever voice channel the user is in. */
	async leaveVoice(): Promise<void> {
		for (const guild of this.#ctx.state.guilds.values()) {
			if (guild.voiceStates.has(this.id)) this.#ctx.state.setVoiceState(guild.id, this.id, null);
		}
	}
}

export type { FileInput, OptionInput };
