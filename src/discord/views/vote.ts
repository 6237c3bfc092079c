import { inlineTitle, truncate } from './format.ts';
import { type Locale, t } from '../i18n.ts';

/** The poll under a new song's takes, in discord.js's shape (`channel.send`). */
export interface VotePollView {
	title: string;
	takes: { take: number; title: string }[];
	hours: number;
	/** The server's language (English when unset). */
	locale?: Locale;
}

const NUMBERS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣', '6️⃣', '7️⃣', '8️⃣', '9️⃣', '🔟'];

export function renderVotePoll(view: VotePollView) {
	const locale = view.locale ?? 'en';
	return {
		content: t(locale, 'votes.poll', { title: inlineTitle(view.title) }),
		poll: {
			question: { text: t(locale, 'votes.question') },
			// Discord allows 55 characters per answer.
			answers: view.takes.map((take) => ({
				text: truncate(t(locale, 'votes.answer', { take: take.take, title: take.title }), 55),
				emoji: NUMBERS[take.take - 1] ?? '🎵',
			})),
			duration: view.hours,
			allowMultiselect: false,
		},
	};
}

/** The answer to `/songbot votes`. */
export function renderVoteSettings(
	settings: { enabled: boolean; hours: number; jamHours?: number },
	weekChannelId: string | undefined,
	notice?: string,
	locale: Locale = 'en',
): string {
	const state = settings.enabled
		? t(locale, settings.hours === 1 ? 'votes.on_one' : 'votes.on', { hours: settings.hours })
		: t(locale, 'votes.off');
	const week = weekChannelId ? t(locale, 'votes.week', { channel: weekChannelId }) : t(locale, 'votes.no_week');
	const jam =
		settings.jamHours === undefined
			? undefined
			: t(locale, settings.jamHours === 1 ? 'votes.jam_one' : 'votes.jam', { hours: settings.jamHours });
	return [notice, state, week, jam].filter(Boolean).join('\n');
}
