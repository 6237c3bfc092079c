/**
 * Native polls as Discord has them: a poll sent with a message (`poll` in the create body, a duration in hours),
 * votes by members, the answers endpoint listing voters, and the end of a poll (at expiry, or early through
 * `POST …/polls/:message/expire`): the message is updated with final `results` (MESSAGE_UPDATE) and a
 * `POLL_RESULT` system message (type 46) referencing it is posted, with its `poll_result` embed.
 * Votes are dispatched as MESSAGE_POLL_VOTE_ADD only to sessions with the GUILD_MESSAGE_POLLS intent.
 */
import { apiMessage, apiUser } from './payloads.ts';
import { route, type Route } from './rest.ts';
import type { DiscordState, JsonObject, MessageRecord, PollRecord } from './state.ts';
import { asArray, asObject, asString, type FieldError, fail } from './wire.ts';

export const POLL_RESULT_TYPE = 46;

/**
 * What Discord's documentation says of a poll and the OpenAPI spec does not: a question of up to 300 characters,
 * 1 to 10 answers of up to 55, a duration of 1 to 768 hours.
 */
export function pollProblems(body: JsonObject, at: readonly string[] = []): FieldError[] {
	if (body.poll === undefined || body.poll === null) return [];
	const poll = asObject(body.poll);
	const path = [...at, 'poll'];
	const problems: FieldError[] = [];
	const tooLong = (where: (string | number)[], value: unknown, max: number) => {
		if (typeof value === 'string' && [...value].length > max)
			problems.push({ path: where, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
	};
	tooLong([...path, 'question', 'text'], asObject(poll.question).text, 300);
	const answers = asArray(poll.answers);
	if (answers.length < 1 || answers.length > 10)
		problems.push({
			path: [...path, 'answers'],
			code: 'BASE_TYPE_BAD_LENGTH',
			message: 'Must be between 1 and 10 in length.',
		});
	answers.forEach((answer, i) =>
		tooLong([...path, 'answers', i, 'poll_media', 'text'], asObject(asObject(answer).poll_media).text, 55),
	);
	const hours = poll.duration;
	if (hours !== undefined && (typeof hours !== 'number' || hours < 1 || hours > 768))
		problems.push({ path: [...path, 'duration'], code: 'NUMBER_TYPE_MAX', message: 'Must be between 1 and 768.' });
	return problems;
}

/** The poll of a create body, or null without one. */
export function pollOf(body: JsonObject, now = Date.now()): PollRecord | null {
	if (body.poll === undefined || body.poll === null) return null;
	const poll = asObject(body.poll);
	const hours = typeof poll.duration === 'number' ? poll.duration : 24;
	return {
		question: asString(asObject(poll.question).text) ?? '',
		answers: asArray(poll.answers).map((raw, i) => {
			const media = asObject(asObject(raw).poll_media);
			return { id: i + 1, text: asString(media.text) ?? '', emoji: asObject(media.emoji) };
		}),
		allowMultiselect: poll.allow_multiselect === true,
		expiry: now + hours * 3_600_000,
		finalized: false,
		votes: new Map(),
	};
}

/** The `poll` object of a message as the API returns it, results included. */
export function apiPoll(poll: PollRecord): JsonObject {
	return {
		question: { text: poll.question },
		answers: poll.answers.map((a) => ({
			answer_id: a.id,
			poll_media: { text: a.text, ...(Object.keys(a.emoji).length ? { emoji: a.emoji } : {}) },
		})),
		expiry: new Date(poll.expiry).toISOString(),
		allow_multiselect: poll.allowMultiselect,
		layout_type: 1,
		results: {
			is_finalized: poll.finalized,
			answer_counts: poll.answers.map((a) => ({ id: a.id, count: votersOf(poll, a.id).length, me_voted: false })),
		},
	};
}

function votersOf(poll: PollRecord, answerId: number): string[] {
	return [...poll.votes].filter(([, answers]) => answers.has(answerId)).map(([userId]) => userId);
}

/** A member votes (replacing their vote unless the poll allows several answers); refused once the poll ended. */
export function castVote(state: DiscordState, message: MessageRecord, userId: string, answerId: number): void {
	const poll = message.poll;
	if (!poll) throw new Error(`message ${message.id} has no poll`);
	if (poll.finalized || Date.now() >= poll.expiry) throw new Error('this poll has ended');
	if (!poll.answers.some((a) => a.id === answerId)) throw new Error(`the poll has no answer ${answerId}`);
	const mine = poll.votes.get(userId) ?? new Set<number>();
	if (!poll.allowMultiselect) mine.clear();
	mine.add(answerId);
	poll.votes.set(userId, mine);
	state.emit('change', { kind: 'poll-vote', message, userId, answerId });
}

/** Ends the poll: final results on the message, then the POLL_RESULT message in the channel. */
export function endPoll(state: DiscordState, message: MessageRecord): void {
	const poll = message.poll;
	if (!poll || poll.finalized) return;
	poll.finalized = true;
	poll.expiry = Math.min(poll.expiry, Date.now());
	state.updateMessage(message);
	const counts = poll.answers.map((a) => ({ answer: a, count: votersOf(poll, a.id).length }));
	const total = new Set([...poll.votes].filter(([, a]) => a.size > 0).map(([u]) => u)).size;
	const best = Math.max(0, ...counts.map((c) => c.count));
	const winners = counts.filter((c) => c.count === best && best > 0);
	const victor = winners.length === 1 ? winners[0] : undefined;
	const field = (name: string, value: string | number) => ({ name, value: String(value), inline: false });
	const result: MessageRecord = {
		id: state.ids.next(),
		channelId: message.channelId,
		guildId: message.guildId,
		authorId: message.authorId,
		content: '',
		embeds: [
			{
				type: 'poll_result',
				fields: [
					field('poll_question_text', poll.question),
					field('victor_answer_votes', victor?.count ?? 0),
					field('total_votes', total),
					...(victor
						? [field('victor_answer_id', victor.answer.id), field('victor_answer_text', victor.answer.text)]
						: []),
				],
			},
		],
		components: [],
		attachments: [],
		flags: 0,
		type: POLL_RESULT_TYPE,
		tts: false,
		editedAt: null,
		webhookId: null,
		interaction: null,
		ephemeralFor: null,
		pinged: { users: [], roles: [], everyone: false },
		poll: null,
		reference: { messageId: message.id, channelId: message.channelId, guildId: message.guildId },
	};
	state.addMessage(result);
}

/** The answers endpoint and the expire endpoint. */
export function pollRoutes(state: DiscordState): Route[] {
	const pollMessage = (channelId: string, messageId: string): MessageRecord => {
		const message = state.messages.get(messageId);
		if (!message || message.channelId !== channelId || message.ephemeralFor !== null) throw fail.unknownMessage();
		if (!message.poll) throw fail.unknownMessage();
		return message;
	};
	return [
		route('GET /channels/:channel/polls/:message/answers/:answer', ({ params, query }) => {
			const message = pollMessage(params.channel ?? '', params.message ?? '');
			const limit = Math.min(Math.max(Number(query.get('limit') ?? 25), 1), 100);
			const after = BigInt(query.get('after') ?? '0');
			const voters = votersOf(message.poll as PollRecord, Number(params.answer))
				.filter((id) => BigInt(id) > after)
				.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
				.slice(0, limit);
			return {
				body: {
					users: voters.flatMap((id) => {
						const user = state.users.get(id);
						return user ? [apiUser(user)] : [];
					}),
				},
			};
		}),
		route('POST /channels/:channel/polls/:message/expire', ({ params }) => {
			const message = pollMessage(params.channel ?? '', params.message ?? '');
			if (message.authorId !== state.botId) throw fail.notAuthor();
			endPoll(state, message);
			return { body: apiMessage(state, message) };
		}),
	];
}
