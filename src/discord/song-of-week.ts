import { randomUUID } from 'node:crypto';
import { type Client, PermissionFlagsBits } from 'discord.js';
import { readGuildSettings } from '../core/settings.ts';
import type { Store } from '../core/store.ts';
import type { Logger } from '../log.ts';
import { libraryEntryOf } from './library-actions.ts';
import { NO_MENTIONS } from './router.ts';
import { renderSongOfWeek } from './views/library.ts';
import { serverLocale } from './i18n.ts';

/**
 * The weekly "song of the week" post, for servers that chose a channel for it (`/songbot votes`): the song of the
 * past seven days whose take won its vote with the most votes. The first post goes out when the channel is set,
 * then one every seven days; the time of the last one is in the store, so restarts neither skip nor repeat a week.
 * Only songs of channels everyone can see (or of that very channel) are posted there.
 */

export const WEEK_MS = 7 * 24 * 3_600_000;
/** How often servers are looked at; a post is at most this late. */
const CHECK_EVERY_MS = 3_600_000;
const lastKey = (guildId: string) => `song-of-week:last:${guildId}`;

export interface SongOfWeekDeps {
	client: Client;
	store: Store;
	log: Logger;
	now?: () => number;
}

export class SongOfWeek {
	readonly #deps: SongOfWeekDeps;
	readonly #now: () => number;
	#timer: NodeJS.Timeout | undefined;

	constructor(deps: SongOfWeekDeps) {
		this.#deps = deps;
		this.#now = deps.now ?? Date.now;
	}

	start(): void {
		const run = () => {
			for (const guildId of this.#deps.client.guilds.cache.keys())
				void this.check(guildId).catch((err: unknown) =>
					this.#deps.log.warn({ err, guildId }, 'song of the week failed'),
				);
		};
		run();
		this.#timer = setInterval(run, CHECK_EVERY_MS);
		this.#timer.unref();
	}

	stop(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}

	/** Posts the server's song of the week when one is due. */
	async check(guildId: string): Promise<void> {
		const { store, client } = this.#deps;
		const channelId = (await readGuildSettings(store, guildId)).songOfWeek?.channelId;
		if (!channelId) return;
		const now = this.#now();
		const last = await store.getValue<number>(lastKey(guildId));
		if (last !== undefined && now - last < WEEK_MS) return;
		// One post per week whichever process gets here first: the claim names the week it follows.
		const token = randomUUID();
		if ((await store.claimValue(`song-of-week:${guildId}:${last ?? 0}`, token)) !== token) return;
		await store.setValue(lastKey(guildId), now);
		const guild = client.guilds.cache.get(guildId);
		const channel = guild?.channels.cache.get(channelId);
		if (!guild || !channel?.isSendable() || !('permissionsFor' in channel)) return;
		const everyoneSees = async (id: string) =>
			id === channelId ||
			(guild.channels.cache.get(id)?.permissionsFor(guild.roles.everyone).has(PermissionFlagsBits.ViewChannel) ??
				false);
		const candidates = await store.listLibrary(guildId, { limit: 50, order: 'top' });
		let song;
		for (const record of candidates)
			if (!record.hidden && record.createdAt >= now - WEEK_MS && (await everyoneSees(record.place.channelId))) {
				song = record;
				break;
			}
		if (!song) return;
		const entry = await libraryEntryOf({ store }, song, serverLocale(guild));
		await channel.send({
			...renderSongOfWeek(entry, song.place.channelId, serverLocale(guild)),
			allowedMentions: NO_MENTIONS,
		});
		this.#deps.log.info({ guildId, taskId: song.id }, 'song of the week posted');
	}
}
