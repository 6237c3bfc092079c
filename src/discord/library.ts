import { type BaseInteraction, GuildMember, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../core/errors.ts';
import type { TaskRecord } from '../core/records.ts';
import { type LibraryQuery, libraryRank } from '../core/store.ts';
import type { Context } from './context.ts';
import { msg } from '../i18n/index.ts';

/**
 * The one library rule: a song is visible to a member only if they can view the channel it was made in (and it
 * belongs to the server they are in). `/songs`, `/extend` autocomplete, and every button that names a song
 * (Play, Remix, Extend, Full song, Lyrics) read songs through here, so a private channel's songs stay there.
 * A song an admin or its requester hid or deleted (/remove-song) is seen by nobody.
 */

/** Who is looking: any interaction of a member in a server. */
export type Viewer = Pick<BaseInteraction, 'guildId' | 'user' | 'guild' | 'client'> &
	Partial<Pick<BaseInteraction, 'member'>>;

/** Answers "can this member view that channel?", remembering each answer for one listing. */
export function channelRule(viewer: Viewer): (channelId: string) => Promise<boolean> {
	const known = new Map<string, Promise<boolean>>();
	return (channelId) => {
		let answer = known.get(channelId);
		if (!answer) {
			answer = canView(viewer, channelId);
			known.set(channelId, answer);
		}
		return answer;
	};
}

async function canView(viewer: Viewer, channelId: string): Promise<boolean> {
	// Even the channel the interaction comes from is checked: a form opened before access was taken away is
	// submitted from there, and a client can claim any channel.
	const guild = viewer.guild;
	if (!guild) return false;
	// Threads (archived ones especially) are not always cached; a channel that cannot be found is hidden.
	const channel =
		guild.channels.cache.get(channelId) ??
		(await viewer.client.channels.fetch(channelId, { allowUnknownGuild: true }).catch(() => null));
	if (!channel || !('guildId' in channel) || channel.guildId !== guild.id || !('permissionsFor' in channel))
		return false;
	// The interaction's own member: the bot caches almost no members (src/discord/client-options.ts), so the
	// user alone would resolve to nobody.
	const who = viewer.member instanceof GuildMember ? viewer.member : viewer.user;
	return channel.permissionsFor(who)?.has(PermissionFlagsBits.ViewChannel) ?? false;
}

/** True when the viewer may see this song. */
export async function canSeeSong(viewer: Viewer, task: TaskRecord, rule = channelRule(viewer)): Promise<boolean> {
	return task.place.guildId === viewer.guildId && !task.hidden && (await rule(task.place.channelId));
}

/**
 * The song with this id, when the viewer may see it: undefined when it is unknown or of another server (its
 * title is none of this server's business).
 * @throws UserError('song.hidden') when it was made in a channel the viewer cannot see.
 */
export async function visibleSong(ctx: Context, viewer: Viewer, taskId: string | undefined) {
	const task = taskId ? await ctx.tracker.get(taskId) : undefined;
	if (!task || task.place.guildId !== viewer.guildId) return undefined;
	if (task.hidden) throw new UserError('song.removed', msg('error.song.removed'));
	if (!(await canSeeSong(viewer, task))) throw new UserError('song.hidden', msg('error.song.hidden_channel'));
	return task;
}

/** Scans at most this many batches, so a library of mostly hidden songs cannot outlast Discord's 3 seconds. */
const MAX_BATCHES = 10;

/** Up to `query.limit` songs the viewer may see, newest first (from `before`), and whether there are more. */
export async function visibleSongs(
	ctx: Context,
	viewer: Viewer,
	query: LibraryQuery,
): Promise<{ records: TaskRecord[]; more: boolean }> {
	const guildId = viewer.guildId;
	if (!guildId) return { records: [], more: false };
	const rule = channelRule(viewer);
	const found: TaskRecord[] = [];
	const batch = (query.limit + 1) * 2;
	let cursor = query.before;
	for (let round = 0; round < MAX_BATCHES && found.length <= query.limit; round++) {
		const records = await ctx.store.listLibrary(guildId, {
			...query,
			limit: batch,
			...(cursor !== undefined ? { before: cursor } : {}),
		});
		for (const record of records) if (await canSeeSong(viewer, record, rule)) found.push(record);
		if (records.length < batch) break;
		const last = records.at(-1);
		cursor = last && libraryRank(last, query.order);
	}
	return { records: found.slice(0, query.limit), more: found.length > query.limit };
}
