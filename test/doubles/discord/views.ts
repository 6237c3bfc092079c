/**
 * What users see, for test assertions: message snapshots (text, embeds, buttons, attachments with bytes),
 * channels ("what does #songs show now", "wait until …"), guilds, and the event-driven `waitUntil` behind every
 * wait in the driver.
 */
import type { Pings } from './mentions.ts';
import { FLAGS } from './messages.ts';
import { attachmentUrl } from './payloads.ts';
import { PERMISSIONS, type PermissionName } from './permissions.ts';
import type { ChannelRecord, DiscordState, JsonObject, MessageRecord } from './state.ts';
import { asArray, asObject, asString } from './wire.ts';

/** Resolves with `probe()`'s first defined result, re-checked on every state change; rejects after `timeoutMs`. */
export function waitUntil<T>(
	state: DiscordState,
	probe: () => T | undefined,
	timeoutMs: number,
	describe: () => string,
): Promise<T> {
	return new Promise((resolve, reject) => {
		const check = (): boolean => {
			let value: T | undefined;
			try {
				value = probe();
			} catch (error) {
				done();
				reject(error);
				return true;
			}
			if (value === undefined) return false;
			done();
			resolve(value);
			return true;
		};
		const onChange = (): void => void check();
		const timer = setTimeout(() => {
			done();
			reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`));
		}, timeoutMs);
		const done = (): void => {
			clearTimeout(timer);
			state.off('change', onChange);
		};
		state.on('change', onChange);
		check();
	});
}

export interface AttachmentView {
	id: string;
	filename: string;
	contentType: string;
	size: number;
	bytes: Buffer;
	url: string;
	title: string | null;
	description: string | null;
	durationSecs: number | null;
}

/** An interactive component as a user sees it; `kind` is `button` or `select`. */
export interface ComponentView {
	kind: 'button' | 'select';
	label: string | null;
	customId: string | null;
	style: number | null;
	disabled: boolean;
	url: string | null;
	/** Select menu options (label and value); empty for buttons. */
	options: { label: string; value: string }[];
	placeholder: string | null;
}

/** A snapshot of one message as users see it. */
export interface MessageView {
	id: string;
	channelId: string;
	authorId: string;
	fromBot: boolean;
	content: string;
	/** Content, embed texts and text-display components joined by newlines: handy for `toContain`. */
	text: string;
	embeds: JsonObject[];
	/** Raw components as the bot sent them. */
	components: JsonObject[];
	/** Buttons and selects in reading order (row by row). */
	controls: ComponentView[];
	/** The labels of all buttons, in reading order. */
	buttons: (string | null)[];
	attachments: AttachmentView[];
	flags: number;
	ephemeral: boolean;
	/** A deferred reply still showing "thinking…". */
	loading: boolean;
	edited: boolean;
	/** The interaction this message answers, if any. */
	interaction: { id: string; userId: string; commandName: string | null } | null;
	/** Who was notified when it was sent: mentions in its text that `allowed_mentions` let through (mentions.ts). */
	pinged: Pings;
	/** The message's poll: question, answers with their vote counts, and whether it ended. */
	poll: { question: string; answers: { text: string; votes: number }[]; ended: boolean; expiry: number } | null;
	type: number;
	/** The message it refers to (a POLL_RESULT: its poll's message). */
	referenceId: string | null;
}

function collect(components: unknown[], controls: ComponentView[], texts: string[]): void {
	for (const raw of components) {
		const c = asObject(raw);
		if (c.type === 2 || [3, 5, 6, 7, 8].includes(Number(c.type))) {
			const emoji = asString(asObject(c.emoji).name);
			controls.push({
				kind: c.type === 2 ? 'button' : 'select',
				label: asString(c.label) ?? emoji ?? null,
				customId: asString(c.custom_id) ?? null,
				style: typeof c.style === 'number' ? c.style : null,
				disabled: c.disabled === true,
				url: asString(c.url) ?? null,
				options: asArray(c.options).map((o) => ({
					label: String(asObject(o).label ?? ''),
					value: String(asObject(o).value ?? ''),
				})),
				placeholder: asString(c.placeholder) ?? null,
			});
		}
		if (c.type === 10 && typeof c.content === 'string') texts.push(c.content);
		collect(asArray(c.components), controls, texts);
		if (c.accessory) collect([c.accessory], controls, texts);
	}
}

export function messageView(state: DiscordState, m: MessageRecord): MessageView {
	const controls: ComponentView[] = [];
	const texts = [m.content];
	for (const e of m.embeds) {
		texts.push(...[e.title, e.description, asObject(e.footer).text].filter((t): t is string => typeof t === 'string'));
		for (const f of asArray(e.fields)) texts.push(`${String(asObject(f).name)}: ${String(asObject(f).value)}`);
	}
	collect(m.components, controls, texts);
	return {
		id: m.id,
		channelId: m.channelId,
		authorId: m.authorId,
		fromBot: m.authorId === state.botId,
		content: m.content,
		text: texts.filter(Boolean).join('\n'),
		embeds: m.embeds,
		components: m.components,
		controls,
		buttons: controls.filter((c) => c.kind === 'button').map((c) => c.label),
		attachments: m.attachments.map((a) => ({
			id: a.id,
			filename: a.filename,
			contentType: a.contentType,
			size: a.bytes.length,
			bytes: a.bytes,
			url: attachmentUrl(state, a, m.channelId),
			title: a.title,
			description: a.description,
			durationSecs: a.durationSecs,
		})),
		flags: m.flags,
		ephemeral: m.ephemeralFor !== null,
		loading: (m.flags & FLAGS.loading) !== 0,
		edited: m.editedAt !== null,
		poll: m.poll
			? {
					question: m.poll.question,
					answers: m.poll.answers.map((a) => ({
						text: a.text,
						votes: [...(m.poll?.votes.values() ?? [])].filter((v) => v.has(a.id)).length,
					})),
					ended: m.poll.finalized,
					expiry: m.poll.expiry,
				}
			: null,
		type: m.type,
		referenceId: m.reference?.messageId ?? null,
		interaction: m.interaction && {
			id: m.interaction.id,
			userId: m.interaction.userId,
			commandName: m.interaction.name,
		},
		pinged: { users: [...m.pinged.users], roles: [...m.pinged.roles], everyone: m.pinged.everyone },
	};
}

/** Who a permission overwrite targets: the bot, @everyone, or a user id. */
export type OverwriteTarget = 'bot' | 'everyone' | { id: string };

/** A guild channel in the driver: its messages and, for tests, its permission overwrites. */
export class ChannelHandle {
	readonly #state: DiscordState;
	readonly #record: ChannelRecord;
	readonly #timeoutMs: number;

	constructor(state: DiscordState, record: ChannelRecord, timeoutMs: number) {
		this.#state = state;
		this.#record = record;
		this.#timeoutMs = timeoutMs;
	}

	get id(): string {
		return this.#record.id;
	}

	get name(): string {
		return this.#record.name;
	}

	get guildId(): string {
		return this.#record.guildId;
	}

	/** For a thread: its parent, whether it is archived or locked, and its members' ids; null for other channels. */
	get thread(): { parentId: string | null; archived: boolean; locked: boolean; members: string[] } | null {
		const thread = this.#record.thread;
		if (!thread) return null;
		const { archived, locked } = thread;
		return { parentId: this.#record.parentId, archived, locked, members: [...thread.members] };
	}

	/** What the channel shows now, oldest first; ephemeral replies are not part of it. */
	get messages(): MessageView[] {
		return this.#state.channelMessages(this.id).map((m) => messageView(this.#state, m));
	}

	/** User ids currently connected to this voice channel (the bot included). */
	get voiceMembers(): string[] {
		const guild = this.#state.guild(this.guildId);
		return [...(guild?.voiceStates.values() ?? [])].filter((v) => v.channelId === this.id).map((v) => v.userId);
	}

	/** The voice channel's status now, as Discord shows it under the channel name; null when none is set. */
	get voiceStatus(): string | null {
		return this.#state.voiceStatuses.get(this.id) ?? null;
	}

	/** Every status the bot set on this channel, oldest first; null for each time it was cleared. */
	get voiceStatusHistory(): (string | null)[] {
		return this.#state.voiceStatusLog.filter((e) => e.channelId === this.id).map((e) => e.status);
	}

	/** Resolves once the voice channel's status satisfies `check`. */
	waitForVoiceStatus(
		check: (status: string | null) => boolean,
		options: { timeout?: number } = {},
	): Promise<string | null> {
		return waitUntil(
			this.#state,
			() => (check(this.voiceStatus) ? { status: this.voiceStatus } : undefined),
			options.timeout ?? this.#timeoutMs,
			() => `the status of ${this.name}; it is ${JSON.stringify(this.voiceStatus)}`,
		).then((found) => found.status);
	}

	/** Resolves with the messages once `check(messages)` holds; rejects with what the channel showed on timeout. */
	waitFor(check: (messages: MessageView[]) => boolean, options: { timeout?: number } = {}): Promise<MessageView[]> {
		return waitUntil(
			this.#state,
			() => {
				const messages = this.messages;
				return check(messages) ? messages : undefined;
			},
			options.timeout ?? this.#timeoutMs,
			() =>
				`#${this.name}; it shows: ${JSON.stringify(this.messages.map((m) => m.text || `[${m.attachments.length} files]`))}`,
		);
	}

	/** Resolves with the first (oldest) message matching `check`, once there is one. */
	async waitForMessage(
		check: (message: MessageView) => boolean,
		options: { timeout?: number } = {},
	): Promise<MessageView> {
		const messages = await this.waitFor((list) => list.some(check), options);
		return messages.find(check) as MessageView;
	}

	/** Deletes a message of this channel as a moderator would in the client; dispatches MESSAGE_DELETE. */
	deleteMessage(id: string): void {
		const message = this.#state.messages.get(id);
		if (!message || message.channelId !== this.id) throw new Error(`no message ${id} in #${this.name}`);
		this.#state.deleteMessage(message);
	}

	/** Deletes this thread as a moderator would (Manage Threads): THREAD_DELETE, its messages gone with it. */
	deleteThread(): void {
		if (!this.#record.thread) throw new Error(`${this.name} is not a thread`);
		this.#state.deleteThread(this.#record);
	}

	/** Sets (replaces) a permission overwrite, e.g. `setPermissions('bot', { deny: ['ATTACH_FILES'] })`; dispatches CHANNEL_UPDATE. */
	setPermissions(target: OverwriteTarget, change: { allow?: PermissionName[]; deny?: PermissionName[] }): void {
		const id = target === 'bot' ? this.#state.botId : target === 'everyone' ? this.guildId : target.id;
		const bits = (names: PermissionName[] = []): bigint => names.reduce((b, n) => b | PERMISSIONS[n], 0n);
		const overwrites = this.#record.overwrites.filter((o) => o.id !== id);
		overwrites.push({ id, type: target === 'everyone' ? 0 : 1, allow: bits(change.allow), deny: bits(change.deny) });
		this.#record.overwrites = overwrites;
		this.#state.updateChannel(this.#record);
	}
}
