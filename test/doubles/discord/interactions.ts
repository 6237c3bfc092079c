/**
 * Interactions on the server side: creation (the payload Discord dispatches, §3.1 of discord-protocol.md), the
 * initial callback with its rules (3 s deadline → 10062, one callback → 40060, response type valid for the
 * interaction), and the webhook routes behind the interaction token (15 min → 50027; first follow-up after a
 * deferred reply fills the "thinking…" message). Every change notifies the state so driver waiters re-check.
 */
import { randomBytes } from 'node:crypto';
import { applyEdit, buildMessage, checkMessageInput, FLAGS, type MessageInput } from './messages.ts';
import { apiChannel, apiMember, apiMessage } from './payloads.ts';
import { attachmentLimitOf, type Limits, throwIfInvalid, validateChoices, validateModal } from './rules.ts';
import { callbackProblems } from './spec.ts';
import type { DiscordState, JsonObject, MessageRecord } from './state.ts';
import { asObject, DiscordError, fail, invalidForm } from './wire.ts';

/** One callback the bot sent, accepted (`status` 200/204) or rejected (`status` ≥ 400 with Discord's `code`). */
export interface CallbackRecord {
	type: number;
	data: JsonObject;
	status: number;
	code: number | null;
	at: number;
}

/** 2 application command, 3 message component, 4 autocomplete, 5 modal submit. */
export type InteractionType = 2 | 3 | 4 | 5;

export interface InteractionRecord {
	id: string;
	token: string;
	type: InteractionType;
	userId: string;
	guildId: string;
	channelId: string;
	createdAt: number;
	/** Full command path for messages' `interaction.name`, e.g. `song` or `queue add`. */
	commandName: string | null;
	/** The message carrying the clicked component (also for modals opened from a component). */
	sourceMessageId: string | null;
	callbacks: CallbackRecord[];
	response: CallbackRecord | null;
	originalMessageId: string | null;
	followUpIds: string[];
	/** Missed the first-response deadline: the token is dead for good. */
	expired: boolean;
}

/** Which initial callback types Discord accepts per interaction type. */
const ALLOWED: Record<InteractionType, readonly number[]> = {
	2: [4, 5, 9],
	3: [4, 5, 6, 7, 9],
	4: [8],
	5: [4, 5, 6, 7],
};

export interface CreateInteraction {
	type: InteractionType;
	userId: string;
	channelId: string;
	data: JsonObject;
	commandName?: string | null;
	sourceMessageId?: string | null;
}

/** The registry of interactions; `dispatch` sends INTERACTION_CREATE through the gateway. */
export class Interactions {
	readonly #state: DiscordState;
	readonly #limits: Limits;
	readonly #applicationId: string;
	readonly #dispatch: (guildId: string, payload: JsonObject) => void;
	readonly #byId = new Map<string, InteractionRecord>();
	readonly #byToken = new Map<string, InteractionRecord>();

	constructor(
		state: DiscordState,
		limits: Limits,
		applicationId: string,
		dispatch: (guildId: string, payload: JsonObject) => void,
	) {
		this.#state = state;
		this.#limits = limits;
		this.#applicationId = applicationId;
		this.#dispatch = dispatch;
	}

	get(id: string): InteractionRecord | undefined {
		return this.#byId.get(id);
	}

	/** Records the interaction, starts its deadline clock and dispatches it the way Discord builds it. */
	create(init: CreateInteraction): InteractionRecord {
		const state = this.#state;
		const channel = state.channels.get(init.channelId);
		const guild = channel && state.guild(channel.guildId);
		const member = guild?.members.get(init.userId);
		if (!channel || !guild || !member) throw new Error(`user ${init.userId} cannot use channel ${init.channelId}`);
		const record: InteractionRecord = {
			id: state.ids.next(),
			token: `aW50ZXJhY3Rpb24${randomBytes(24).toString('base64url')}`,
			type: init.type,
			userId: init.userId,
			guildId: guild.id,
			channelId: channel.id,
			createdAt: Date.now(),
			commandName: init.commandName ?? null,
			sourceMessageId: init.sourceMessageId ?? null,
			callbacks: [],
			response: null,
			originalMessageId: null,
			followUpIds: [],
			expired: false,
		};
		this.#byId.set(record.id, record);
		this.#byToken.set(record.token, record);
		const userPermissions = state.permissionsOf(init.userId, channel.id).toString();
		const source = record.sourceMessageId ? state.messages.get(record.sourceMessageId) : undefined;
		this.#dispatch(guild.id, {
			id: record.id,
			application_id: this.#applicationId,
			type: record.type,
			token: record.token,
			version: 1,
			guild_id: guild.id,
			guild: { id: guild.id, locale: guild.locale ?? 'en-US', features: [] },
			guild_locale: guild.locale ?? 'en-US',
			locale: state.users.get(init.userId)?.locale ?? 'en-US',
			channel_id: channel.id,
			channel: { ...apiChannel(channel), permissions: userPermissions },
			member: { ...apiMember(state, member), permissions: userPermissions },
			app_permissions: state.permissionsOf(state.botId, channel.id).toString(),
			entitlements: [],
			authorizing_integration_owners: { '0': guild.id },
			context: 0,
			attachment_size_limit: attachmentLimitOf(guild, this.#limits),
			data: init.data,
			...(source ? { message: apiMessage(state, source) } : {}),
		});
		state.notifyInteraction(record.id);
		return record;
	}

	/** POST /interactions/:id/:token/callback. Returns the HTTP status and body. */
	callback(id: string, token: string, input: MessageInput, withResponse: boolean): { status: number; body?: unknown } {
		const record = this.#byId.get(id);
		if (!record || record.token !== token) throw fail.unknownInteraction();
		const attempt: CallbackRecord = {
			type: Number(input.body.type),
			data: asObject(input.body.data),
			status: 0,
			code: null,
			at: Date.now(),
		};
		record.callbacks.push(attempt);
		try {
			if (record.response) throw fail.alreadyAcknowledged();
			if (record.expired || attempt.at - record.createdAt > this.#limits.interactionDeadlineMs) {
				record.expired = true;
				throw fail.unknownInteraction();
			}
			throwIfInvalid(callbackProblems(input.body));
			if (!ALLOWED[record.type].includes(attempt.type) || (attempt.type === 7 && !record.sourceMessageId)) {
				throw invalidForm([
					{ path: ['type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of the allowed types.' },
				]);
			}
			this.#respond(record, attempt, { body: attempt.data, files: input.files });
			attempt.status = withResponse ? 200 : 204;
		} catch (error) {
			if (error instanceof DiscordError) {
				attempt.status = error.status;
				attempt.code = error.code;
			}
			throw error;
		} finally {
			this.#state.notifyInteraction(record.id);
		}
		return withResponse ? { status: 200, body: this.#callbackResponse(record, attempt) } : { status: 204 };
	}

	#respond(record: InteractionRecord, attempt: CallbackRecord, input: MessageInput): void {
		const state = this.#state;
		if (attempt.type === 8) throwIfInvalid(validateChoices(attempt.data));
		if (attempt.type === 9) throwIfInvalid(validateModal(attempt.data));
		if (attempt.type === 4 || attempt.type === 7) {
			checkMessageInput(state, this.#limits, record.guildId, input, { creating: attempt.type === 4, at: ['data'] });
		}
		if (attempt.type === 4 || attempt.type === 5) {
			const ephemeral = (Number(attempt.data.flags ?? 0) & FLAGS.ephemeral) !== 0;
			const message = this.#newMessage(record, attempt.type === 4 ? input : { body: {}, files: [] }, {
				ephemeral,
				extraFlags: attempt.type === 5 ? FLAGS.loading | (ephemeral ? FLAGS.ephemeral : 0) : 0,
			});
			record.originalMessageId = message.id;
		}
		if (attempt.type === 6 || attempt.type === 7) record.originalMessageId = record.sourceMessageId;
		if (attempt.type === 7) {
			const source = record.sourceMessageId ? state.messages.get(record.sourceMessageId) : undefined;
			if (!source) throw fail.unknownMessage();
			applyEdit(state, source, input);
			state.updateMessage(source);
		}
		record.response = attempt;
	}

	#newMessage(
		record: InteractionRecord,
		input: MessageInput,
		options: { ephemeral: boolean; extraFlags: number; original?: string },
	): MessageRecord {
		const message = buildMessage(this.#state, {
			channelId: record.channelId,
			guildId: record.guildId,
			authorId: this.#state.botId,
			input,
			type: record.type === 2 ? 20 : 0,
			webhookId: this.#applicationId,
			ephemeralFor: options.ephemeral ? record.userId : null,
			extraFlags: options.extraFlags,
			interaction: {
				id: record.id,
				type: record.type,
				userId: record.userId,
				name: record.commandName,
				originalResponseMessageId: options.original ?? null,
				interactedMessageId: record.sourceMessageId,
			},
		});
		this.#state.addMessage(message);
		return message;
	}

	#callbackResponse(record: InteractionRecord, attempt: CallbackRecord): JsonObject {
		const message = record.originalMessageId ? this.#state.messages.get(record.originalMessageId) : undefined;
		return {
			interaction: {
				id: record.id,
				type: record.type,
				...(message
					? {
							response_message_id: message.id,
							response_message_loading: (message.flags & FLAGS.loading) !== 0,
							response_message_ephemeral: message.ephemeralFor !== null,
						}
					: {}),
			},
			resource: { type: attempt.type, ...(message ? { message: apiMessage(this.#state, message) } : {}) },
		};
	}

	/** The interaction behind a webhook token, if the token is still valid (else 10015 / 50027). */
	byToken(applicationId: string, token: string): InteractionRecord {
		const record = this.#byToken.get(token);
		if (!record || applicationId !== this.#applicationId) throw fail.unknownWebhook();
		const age = Date.now() - record.createdAt;
		if (!record.response && age > this.#limits.interactionDeadlineMs) record.expired = true;
		if (record.expired || age > this.#limits.tokenLifetimeMs) throw fail.invalidWebhookToken();
		if (!record.response) throw fail.unknownWebhook();
		return record;
	}

	/** `@original` or one of the interaction's follow-ups. */
	message(record: InteractionRecord, messageId: string): MessageRecord {
		const id = messageId === '@original' ? record.originalMessageId : messageId;
		const owned = id !== null && (id === record.originalMessageId || record.followUpIds.includes(id));
		const message = owned ? this.#state.messages.get(id) : undefined;
		if (!message) throw fail.unknownMessage();
		return message;
	}

	/** `sent`: the edit is the first follow-up filling a deferred reply, so it pings as a new message would. */
	editMessage(record: InteractionRecord, messageId: string, input: MessageInput, sent = false): MessageRecord {
		const message = this.message(record, messageId);
		checkMessageInput(this.#state, this.#limits, record.guildId, input, { creating: false });
		applyEdit(this.#state, message, input, sent);
		this.#state.updateMessage(message);
		this.#state.notifyInteraction(record.id);
		return message;
	}

	deleteMessage(record: InteractionRecord, messageId: string): void {
		this.#state.deleteMessage(this.message(record, messageId));
		this.#state.notifyInteraction(record.id);
	}

	/** POST /webhooks/:app/:token. After a deferred reply the first follow-up replaces the "thinking…" message. */
	followUp(record: InteractionRecord, input: MessageInput): MessageRecord {
		checkMessageInput(this.#state, this.#limits, record.guildId, input, { creating: true });
		const original = record.originalMessageId ? this.#state.messages.get(record.originalMessageId) : undefined;
		if (original && record.response?.type === 5 && original.flags & FLAGS.loading) {
			return this.editMessage(record, original.id, input, true);
		}
		const ephemeral = (Number(input.body.flags ?? 0) & FLAGS.ephemeral) !== 0;
		const message = this.#newMessage(record, input, {
			ephemeral,
			extraFlags: 0,
			...(record.originalMessageId ? { original: record.originalMessageId } : {}),
		});
		record.followUpIds.push(message.id);
		this.#state.notifyInteraction(record.id);
		return message;
	}
}
