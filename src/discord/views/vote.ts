import { inlineTitle, truncate } from './format.ts';

/** The poll under a new song's takes, in discord.js's shape (`channel.send`). */
export interface VotePollView {
	title: string;
	takes: { take: number; title: string }[];
	hours: number;
}

const NUMBERS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣', '6️⃣', '7️⃣', '8️⃣', '9️⃣', '🔟'];

export function renderVotePoll(view: VotePollView) {
	return {
		content: `🗳️ Both takes of **${inlineTitle(view.title)}** are in. Vote for your favourite: the winner gets a ⭐ in \`/songs\`.`,
		poll: {
			question: { text: 'Which take wins?' },
			// Discord allows 55 characters per answer.
			answers: view.takes.map((t) => ({
				text: truncate(`Take ${t.take}: ${t.title}`, 55),
				emoji: NUMBERS[t.take - 1] ?? '🎵',
			})),
			duration: view.hours,
			allowMultiselect: false,
		},
	};
}

/** The answer to `/songbot votes`. */
export function renderVoteSettings(
	settings: { enabled: boolean; hours: number },
	weekChannelId: string | undefined,
	notice?: string,
): string {
	const state = settings.enabled
		? `🗳️ New songs get a poll on their takes, open for ${settings.hours} hour${settings.hours === 1 ? '' : 's'}.`
		: '🗳️ New songs get no poll on their takes.';
	const week = weekChannelId
		? `🏆 The song of the week is posted in <#${weekChannelId}> every 7 days.`
		: '🏆 No song of the week post.';
	return [notice, state, week].filter(Boolean).join('\n');
}
