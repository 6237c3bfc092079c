import { type Client, DiscordAPIError, type SendableChannels } from 'discord.js';
import type { Capabilities } from '../core/provider.ts';
import type { ClipRecord, TaskRecord } from '../core/records.ts';
import type { Store } from '../core/store.ts';
import type { Logger } from '../log.ts';
import { channelLocale } from './card.ts';
import { takeViewOf } from './present.ts';
import { parentTitle } from './request-facts.ts';
import { type TakeAudio, TOO_LARGE } from './take-audio.ts';
import { nonceFor, refusalOf } from './take-search.ts';
import { renderTake, type TakeView } from './views/take.ts';

/** What posting a take as a message of its own needs from the sink. */
export interface PostDeps {
	client: Client;
	store: Store;
	capabilities: Capabilities;
	log: Logger;
	takeActions?: (task: TaskRecord, clip: ClipRecord) => TakeView['extraActions'];
}

/** The take as a message of its own: when there is no card, or it cannot hold the take. */
export async function postAlone(
	deps: PostDeps,
	task: TaskRecord,
	clip: ClipRecord,
	channel: SendableChannels,
	{ audio, files }: TakeAudio,
	how: { mention: boolean; alone: string | undefined },
): Promise<{ messageId: string }> {
	const parent = await parentTitle(deps.store, task);
	const extraActions = deps.takeActions?.(task, clip);
	const base = {
		capabilities: deps.capabilities,
		mention: how.mention,
		...(extraActions ? { extraActions } : {}),
		contributors: task.credits ?? [{ role: 'asked' as const, userId: task.requester.userId }],
		...(parent ? { parentTitle: parent } : {}),
		locale: channelLocale(deps.client, task),
	};
	const botId = deps.client.user?.id;
	const post = (audio: TakeView['audio'], files: { attachment: string; name: string }[]) =>
		channel
			.send({
				...renderTake({ ...takeViewOf(task, clip, { ...base, audio }), ...(how.alone ? { alone: how.alone } : {}) }),
				files,
				allowedMentions: { parse: [], users: how.mention ? [task.requester.userId] : [] },
				// A retry soon after a lost answer gets the message already made instead of a second one.
				nonce: nonceFor(task.id, clip.id, audio.kind),
				enforceNonce: true,
			})
			.catch((error: unknown) => {
				throw refusalOf(error, channel, botId, files.length);
			});
	const uploads = files.map((f) => ({ attachment: f.attachment, name: f.name }));
	try {
		return { messageId: (await post(audio, uploads)).id };
	} catch (error) {
		// 40005: the limit is lower than we knew (a boost ended, a bot-side change): post the link instead.
		if (!(error instanceof DiscordAPIError && error.code === 40005) || files.length === 0) throw error;
		deps.log.info({ taskId: task.id, clipId: clip.id }, 'Discord refused the file as too large');
		const url = clip.audioUrl ?? clip.streamUrl ?? '';
		const message = await post({ kind: 'link', url, reason: TOO_LARGE }, []);
		return { messageId: message.id };
	}
}
