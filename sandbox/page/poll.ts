/**
 * A native poll as Discord shows it under its message: the question, each answer with its votes (and the share of
 * them once the person voted or the poll ended), the time left or "Poll closed". Clicking an answer votes through
 * the double, as a member clicking it in Discord; the bot reads the results when the poll ends.
 */
import { h, post } from './api.ts';
import type { MessageDto, PollDto } from './types.ts';

/** Discord's "23h left": days, hours or minutes, rounded. */
function timeLeft(poll: PollDto, now = Date.now()): string {
	const ms = poll.expiry - now;
	if (poll.ended || ms <= 0) return 'Poll closed';
	const [unit, size]: [string, number] =
		ms >= 86_400_000 ? ['d', 86_400_000] : ms >= 3_570_000 ? ['h', 3_600_000] : ['m', 60_000];
	return `${Math.max(1, Math.round(ms / size))}${unit} left`;
}

export function pollElement(m: MessageDto, poll: PollDto, user: () => string): HTMLElement {
	const total = poll.answers.reduce((sum, a) => sum + a.votes, 0);
	const results = poll.ended || poll.voted !== null;
	const answers = poll.answers.map((answer, i) => {
		const id = i + 1;
		const share = total > 0 ? Math.round((answer.votes / total) * 100) : 0;
		const button = h(
			'button',
			{
				type: 'button',
				class: `sb-poll-answer${poll.voted === id ? ' voted' : ''}`,
				'data-answer': answer.text,
				'data-votes': answer.votes,
				disabled: poll.ended,
				style: results ? `--share: ${share}%` : undefined,
			},
			[
				h('span', { class: 'sb-poll-text' }, [answer.text]),
				results && h('span', { class: 'sb-poll-count' }, [`${answer.votes} · ${share}%`]),
			],
		);
		button.addEventListener('click', () => {
			void post('/api/vote', { user: user(), message: m.id, answer: id }).catch(() => {});
		});
		return button;
	});
	// Not a Discord control: the sandbox's way to skip the hours a poll runs and see what the bot does at its end.
	const end =
		!poll.ended && h('button', { type: 'button', class: 'sb-poll-end', title: 'Sandbox only' }, ['End poll now']);
	if (end) end.addEventListener('click', () => void post('/api/poll/end', { message: m.id }).catch(() => {}));
	return h('div', { class: 'sb-poll', 'data-poll': m.id, 'data-ended': poll.ended }, [
		h('div', { class: 'sb-poll-question' }, [poll.question]),
		h('div', { class: 'sb-poll-hint' }, [poll.ended ? 'Final results' : 'Select one answer']),
		...answers,
		h('div', { class: 'sb-poll-footer' }, [
			h('span', { class: 'sb-poll-status' }, [`${total} ${total === 1 ? 'vote' : 'votes'} · ${timeLeft(poll)}`]),
			end,
		]),
	]);
}

/** The line Discord posts when a poll ends: its winner with their share, or that nobody won. */
export function pollResultElement(result: NonNullable<MessageDto['pollResult']>): HTMLElement {
	const share = result.total > 0 ? Math.round((result.votes / result.total) * 100) : 0;
	const text = result.winner
		? `“${result.winner}” won with ${result.votes} ${result.votes === 1 ? 'vote' : 'votes'} (${share}%)`
		: 'No answer won';
	return h('div', { class: 'sb-poll-result' }, [`📊 The poll “${result.question}” has closed. ${text}.`]);
}
