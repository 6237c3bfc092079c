import { createHash } from 'node:crypto';
import { type BaseInteraction, type ButtonInteraction, MessageFlags } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import type { TaskRecord } from '../src/core/records.ts';
import { libraryRank } from '../src/core/store.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { encodeCustomId, type ParsedCustomId } from '../src/discord/custom-id.ts';
import { visibleSongs } from '../src/discord/library.ts';
import { collapseJams } from '../src/discord/jam-library.ts';
import { libraryEntryOf, shareSong } from '../src/discord/library-actions.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { PLAY_VOICE, requirePermissions } from '../src/discord/permissions.ts';
import { SAVED_STATE_TTL_MS } from '../src/discord/saved-state.ts';
import type { Take } from '../src/voice/index.ts';
import { takesOf } from './play.ts';
import {
	LIBRARY_PAGE_SIZE,
	type LibraryFilter,
	renderEmptyLibrary,
	renderLibraryPage,
} from '../src/discord/views/library.ts';
import { localeOf, slash, t } from '../src/discord/i18n.ts';
import { msg } from '../src/i18n/index.ts';

/**
 * `/songs`: the server's song library as an ephemeral message: browsing is personal, paging a shared message
 * would move it under everyone else's eyes, and an interaction reply needs no channel permission. Filters: a
 * search (every song, through the store's index), a style, a person (or `mine`), and `top` (vote winners).
 * Buttons carry their state (`songs:older|newer|playall:<page>:<before>:<filter>`), so they work after a restart.
 */
export const songs = {
	name: 'songs',
	data() {
		return {
			...slash('cmd.songs'),
			dm_permission: false,
			options: [
				{ type: 3, ...slash('cmd.songs.search'), max_length: 100 },
				{ type: 3, ...slash('cmd.songs.style'), max_length: 60 },
				{ type: 6, ...slash('cmd.songs.by') },
				{ type: 5, ...slash('cmd.songs.mine') },
				{ type: 5, ...slash('cmd.songs.top') },
			],
		};
	},

	async execute(interaction, ctx) {
		const text = (name: string) => interaction.options.getString(name)?.trim() || undefined;
		const by = interaction.options.getBoolean('mine') ? interaction.user.id : interaction.options.getUser('by')?.id;
		const search = text('search');
		const style = text('style');
		const filter: LibraryFilter = {
			...(search ? { search } : {}),
			...(style ? { style } : {}),
			...(by ? { by } : {}),
			...(interaction.options.getBoolean('top') ? { order: 'top' as const } : {}),
		};
		const payload = await pageFor(interaction, ctx, { page: 0, filter });
		await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},

	async button(interaction, ctx, id) {
		if (id.action === 'share') return shareSong(interaction, ctx, id.args[0]);
		if (id.action === 'playall') {
			const { records } = await readPage(interaction, ctx, await decodeState(ctx, id), PLAY_ALL_MAX);
			return playAll(interaction, ctx, records);
		}
		if (id.action !== 'older' && id.action !== 'newer') return;
		const state = await decodeState(ctx, id);
		await interaction.update({ ...(await pageFor(interaction, ctx, state)), allowedMentions: NO_MENTIONS });
	},
} satisfies Command<Context>;

/** Where a page starts: `before` (older pages, a cursor) or by walking from the top (newer pages). */
interface PageState {
	page: number;
	before?: number;
	filter: LibraryFilter;
}

/** The songs of the page the state names (only songs of channels the viewer can see), and the page number. */
async function readPage(interaction: BaseInteraction, ctx: Context, state: PageState, limit = LIBRARY_PAGE_SIZE) {
	const guildId = interaction.guildId;
	if (!interaction.inGuild() || !guildId) throw new UserError('guild.only', msg('error.guild_only.library'));
	// Only songs of channels the person can see (src/discord/library.ts).
	const read = (before: number | undefined) =>
		visibleSongs(ctx, interaction, {
			limit,
			...(before !== undefined ? { before } : {}),
			...state.filter,
		});
	let { records, more } = await read(state.before);
	let page = state.page;
	if (state.before === undefined) {
		// Newer pages have no cursor of their own: walk from the first song to the page asked for.
		for (let p = 0; p < page; p++) {
			const last = records.at(-1);
			if (!more || !last) {
				page = p;
				break;
			}
			({ records, more } = await read(libraryRank(last, state.filter.order)));
		}
	}
	return { records, more, page };
}

async function pageFor(interaction: BaseInteraction, ctx: Context, state: PageState) {
	const { records, more, page } = await readPage(interaction, ctx, state);
	if (records.length === 0 && page === 0) return renderEmptyLibrary(state.filter, localeOf(interaction));
	const token = await filterToken(ctx, state.filter);
	const last = records.at(-1);
	// A jam is one song with its parts: its earlier parts are reached from its newest piece.
	const locale = localeOf(interaction);
	// Through the jams, so a jam an older version closed gets its expiry when first listed.
	const { jams } = ctx;
	const collapsed = await collapseJams(ctx.store, records, jams && ((threadId) => jams.get(threadId)));
	const entries = await Promise.all(collapsed.map((r) => libraryEntryOf(ctx, r, locale)));
	const cursor = (record: TaskRecord) => libraryRank(record, state.filter.order).toString(36);
	return renderLibraryPage({
		entries,
		page,
		filter: state.filter,
		...(more && last ? { olderId: encodeCustomId('songs', 'older', page + 1, cursor(last), token) } : {}),
		...(page > 0 ? { newerId: encodeCustomId('songs', 'newer', page - 1, '', token) } : {}),
		playAllId: encodeCustomId('songs', 'playall', page, state.before?.toString(36) ?? '', token),
		locale: localeOf(interaction),
	});
}

/**
 * The filter as a custom-id argument: `s<text>` for a plain search that fits in the 100 characters, else
 * `f<key>` of a copy in the store (long or non-Latin searches grow threefold when percent-encoded).
 */
async function filterToken(ctx: Context, filter: LibraryFilter): Promise<string> {
	const { search, ...rest } = filter;
	if (!search && Object.keys(rest).length === 0) return '';
	if (search && Object.keys(rest).length === 0) {
		const literal = `s${search}`;
		try {
			encodeCustomId('songs', 'playall', 9999, Number.MAX_SAFE_INTEGER.toString(36), literal);
			return literal;
		} catch {
			// Too long: stored below.
		}
	}
	const json = JSON.stringify(filter);
	const key = createHash('sha256').update(json).digest('hex').slice(0, 16);
	await ctx.store.setValue(`songs:filter:${key}`, filter, { ttlMs: SAVED_STATE_TTL_MS.search });
	return `f${key}`;
}

const STALE = msg('error.songs.stale');

async function decodeState(ctx: Context, id: ParsedCustomId): Promise<PageState> {
	const [pageArg, beforeArg, token = ''] = id.args;
	const page = Number(pageArg);
	const before = beforeArg ? Number.parseInt(beforeArg, 36) : undefined;
	if (!Number.isInteger(page) || page < 0 || (before !== undefined && !Number.isFinite(before)))
		throw new UserError('songs.stale', STALE);
	let filter: LibraryFilter = {};
	if (token.startsWith('s')) filter = { search: token.slice(1) };
	else if (token.startsWith('k')) {
		// Buttons of an earlier version: a long search stored alone.
		const search = await ctx.store.getValue<string>(`songs:search:${token.slice(1)}`);
		if (search === undefined) throw new UserError('songs.stale', STALE);
		filter = { search };
	} else if (token.startsWith('f')) {
		const stored = await ctx.store.getValue<LibraryFilter>(`songs:filter:${token.slice(1)}`);
		if (stored === undefined) throw new UserError('songs.stale', STALE);
		filter = stored;
	}
	return { page, ...(before !== undefined ? { before } : {}), filter };
}

/** Songs Play all queues: the listed page and the ones after it, up to this many. */
const PLAY_ALL_MAX = 20;

/** Play all: one take of each song (the vote's winner, else take 1) into the voice queue, in list order. */
async function playAll(interaction: ButtonInteraction, ctx: Context, records: TaskRecord[]): Promise<void> {
	if (!interaction.inCachedGuild()) throw new UserError('guild.only', msg('error.guild_only.play'));
	const channel = interaction.member.voice.channel;
	if (!channel) throw new UserError('voice.join_first', msg('error.voice.join_first_all'));
	requirePermissions(interaction.guild.members.me?.permissionsIn(channel), PLAY_VOICE, `<#${channel.id}>`, {
		locale: localeOf(interaction),
	});
	const takes: Take[] = [];
	for (const record of records) {
		const complete = record.clips.filter((c) => c.state === 'complete');
		const clip = complete.find((c) => c.take === record.votes?.winner) ?? complete[0];
		if (!clip) continue;
		// A song without audio any more is skipped, not the whole list.
		const found = await takesOf(ctx, interaction, {
			command: 'play',
			action: 'clip',
			args: [record.id, clip.id],
		}).catch((err: unknown) => {
			if (err instanceof UserError) return [];
			throw err;
		});
		takes.push(...found);
	}
	if (takes.length === 0) throw new UserError('songs.nothing_to_play', msg('error.songs.nothing_to_play'));
	const target = {
		guildId: interaction.guildId,
		channelId: channel.id,
		adapterCreator: channel.guild.voiceAdapterCreator,
	};
	const { player, position, added } = await ctx.voice.playAll(target, takes, interaction.user.id);
	const locale = localeOf(interaction);
	const queued =
		added < takes.length
			? t(locale, 'songs.queued_full', { added, left: takes.length - added })
			: t(locale, added === 1 ? 'songs.queued_one' : 'songs.queued', { added });
	if (position === 0) {
		await ctx.playerMessages.show(interaction, player);
		if (added < takes.length)
			await interaction.followUp({ content: queued, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
		return;
	}
	await interaction.reply({ content: queued, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
