import { type ButtonInteraction, type Client, MessageFlags } from 'discord.js';
import { randomBytes } from 'node:crypto';
import { isUserFacing } from '../core/errors.ts';
import { songTitle, type TaskRecord } from '../core/records.ts';
import { inlineTitle } from './views/format.ts';
import type { Context } from './context.ts';
import { type Locale, localeOf, t } from './i18n.ts';
import { prepareKaraoke, studioReuseKey, toolRecord } from './karaoke.ts';
import { NO_MENTIONS, userFacingText } from './router.ts';
import type { SourceTake } from './take-source.ts';

/**
 * Karaoke pressed on a take that has no split yet (issue 17): the studio starts the split (commands/studio.ts) and
 * the press is remembered here, in the store, so karaoke starts by itself in the presser's voice channel when the
 * split is delivered, also after a restart. One press waits per take; starting is claimed once across processes.
 * The press itself is kept in memory while its token lasts, to tell the presser privately what happened.
 */

interface Wait {
	userId: string;
	/** The text channel the press was in: the player message goes there. */
	channelId: string;
	locale: Locale;
	taskId: string;
	clipId: string;
}

/** Longer than any split takes; a wait older than this is forgotten rather than surprising anyone. */
const WAIT_MS = 30 * 60_000;
/** A press's token answers follow-ups for 15 minutes. */
const PRESS_KEPT_MS = 14 * 60_000;
const STARTED = 'started';

const waitKey = (guildId: string, taskId: string, clipId: string) => `karaoke:wait:${guildId}:${taskId}:${clipId}`;

type Split = TaskRecord & { request: { action: 'tool'; tool: { tool: 'split' } } };

function isSplit(task: TaskRecord): task is Split {
	return task.request.action === 'tool' && task.request.tool.tool === 'split';
}

export class KaraokeWaits {
	readonly #ctx: Context;
	readonly #client: Client;
	readonly #presses = new Map<string, ButtonInteraction>();

	constructor(ctx: Context, client: Client) {
		this.#ctx = ctx;
		this.#client = client;
	}

	/**
	 * Remembers this press until the take's split is delivered; false when someone else's press already waits for
	 * it. Starts at once when the split was delivered meanwhile (its delivery may have come before the wait).
	 */
	async want(interaction: ButtonInteraction, source: SourceTake): Promise<boolean> {
		const guildId = interaction.guildId;
		if (!guildId || !interaction.channelId) return false;
		const key = waitKey(guildId, source.task.id, source.clip.id);
		const wait: Wait = {
			userId: interaction.user.id,
			channelId: interaction.channelId,
			locale: localeOf(interaction),
			taskId: source.task.id,
			clipId: source.clip.id,
		};
		const claim = await this.#ctx.store.claimFor(key, JSON.stringify(wait), WAIT_MS);
		if (!claim.held) return claim.value !== STARTED && JSON.parse(claim.value).userId === wait.userId;
		this.#presses.set(key, interaction);
		setTimeout(() => this.#presses.delete(key), PRESS_KEPT_MS).unref();
		const split = await toolRecord(this.#ctx, studioReuseKey(guildId, 'split', source.task.id, source.clip.id));
		if (split) this.taskChanged(split);
		return true;
	}

	/** The tracker's listener: a delivered split someone waits on starts their karaoke. */
	taskChanged(task: TaskRecord): void {
		if (!isSplit(task) || task.state.status !== 'delivered') return;
		void this.#start(task).catch((err: unknown) =>
			this.#ctx.log.warn({ err, taskId: task.id }, 'could not start the karaoke waiting for this split'),
		);
	}

	async #start(split: Split): Promise<void> {
		const { source } = split.request.tool.request;
		const key = waitKey(split.place.guildId, source.taskId, source.clipId);
		const store = this.#ctx.store;
		const raw = await store.peekClaim(key);
		if (raw === undefined || raw === STARTED || !(await store.updateClaim(key, raw, STARTED))) return;
		// Ours now: the wait is used up, and a later press may wait for a later split of the take.
		await store.dropClaim(key, STARTED);
		const wait = JSON.parse(raw) as Wait;
		const press = this.#presses.get(key);
		this.#presses.delete(key);
		const tell = async (content: string) => {
			await press?.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
		};
		const task = await store.getTask(wait.taskId);
		const clip = task?.clips.find((c) => c.id === wait.clipId);
		const guild = this.#client.guilds.cache.get(split.place.guildId);
		if (!task || !clip || !guild) return;
		const channel = guild.voiceStates.cache.get(wait.userId)?.channel;
		if (!channel)
			return tell(t(wait.locale, 'studio.karaoke_ready_join', { title: inlineTitle(clip.title ?? songTitle(task)) }));
		try {
			const where = { guild, channel, locale: wait.locale };
			const { target, take } = await prepareKaraoke(this.#ctx, where, { task, clip }, split);
			const { player, position } = await this.#ctx.voice.playAll(target, [take], wait.userId);
			if (position === 0) await this.#ctx.playerMessages.post(wait.channelId, player);
			else await tell(t(wait.locale, 'play.queued', { position: position + 1, title: inlineTitle(take.title) }));
		} catch (error) {
			const ref = randomBytes(4).toString('hex');
			if (!isUserFacing(error)) this.#ctx.log.error({ err: error, ref, taskId: split.id }, 'karaoke could not start');
			await tell(isUserFacing(error) ? userFacingText(error, wait.locale) : t(wait.locale, 'router.failed', { ref }));
		}
	}
}
