import { createHash } from 'node:crypto';
import { type BaseInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../src/core/errors.ts';
import { songTitle, type TaskRecord } from '../src/core/records.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { encodeCustomId, type ParsedCustomId } from '../src/discord/custom-id.ts';
import { lineageText, parentTitle } from '../src/discord/present.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { escapeMarkdown } from '../src/discord/views/format.ts';
import {
	jumpUrl,
	LIBRARY_PAGE_SIZE,
	type LibraryEntry,
	renderEmptyLibrary,
	renderLibraryPage,
} from '../src/discord/views/library.ts';

/**
 * `/songs`: the server's song library, newest first, as an ephemeral message: browsing is personal, paging a
 * shared message would move it under everyone else's eyes, and an interaction reply needs no channel permission.
 * Paging buttons carry their state (`songs:older|newer:<page>:<before>:<search>`), so they work after a restart.
 */
export const songs = {
	name: 'songs',
	data() {
		return {
			name: 'songs',
			description: 'Browse the songs made in this server, newest first',
			dm_permission: false,
			options: [{ type: 3, name: 'search', description: 'Part of a title, style or requester name', max_length: 100 }],
		};
	},

	async execute(interaction, ctx) {
		const search = interaction.options.getString('search')?.trim() || undefined;
		const payload = await pageFor(interaction, ctx, { page: 0, search });
		await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},

	async button(interaction, ctx, id) {
		if (id.action !== 'older' && id.action !== 'newer') return;
		const state = await decodeState(ctx, id);
		await interaction.update({ ...(await pageFor(interaction, ctx, state)), allowedMentions: NO_MENTIONS });
	},
} satisfies Command<Context>;

/** Where a page starts: `before` (older pages, a cursor) or by walking from the top (newer pages). */
interface PageState {
	page: number;
	before?: number;
	search?: string | undefined;
}

async function pageFor(interaction: BaseInteraction, ctx: Context, state: PageState) {
	const guildId = interaction.guildId;
	if (!interaction.inGuild() || !guildId) throw new UserError('guild.only', 'The song library lives in a server.');
	const canSee = visibleTo(interaction);
	const read = (before: number | undefined) => readPage(ctx, guildId, canSee, before, state.search);
	let { records, more } = await read(state.before);
	let page = state.page;
	if (state.before === undefined) {
		// Newer pages have no cursor of their own: walk from the newest song to the page asked for.
		for (let p = 0; p < page; p++) {
			const last = records.at(-1);
			if (!more || !last) {
				page = p;
				break;
			}
			({ records, more } = await read(last.createdAt));
		}
	}
	if (records.length === 0 && page === 0) return renderEmptyLibrary(state.search);
	const token = await searchToken(ctx, state.search);
	const last = records.at(-1);
	const entries = await Promise.all(records.map((r) => entryOf(ctx, r)));
	return renderLibraryPage({
		entries,
		page,
		...(state.search ? { search: state.search } : {}),
		...(more && last
			? { olderId: encodeCustomId('songs', 'older', page + 1, last.createdAt.toString(36), token) }
			: {}),
		...(page > 0 ? { newerId: encodeCustomId('songs', 'newer', page - 1, '', token) } : {}),
	});
}

/** Songs are listed only where the person can see the channel they were made in (private channels stay so). */
function visibleTo(interaction: BaseInteraction): (channelId: string) => boolean {
	return (channelId) => {
		if (channelId === interaction.channelId) return true;
		const channel = interaction.guild?.channels.cache.get(channelId);
		// Unknown here (an archived thread, a deleted channel): listed, as its messages may still open.
		if (!channel) return true;
		// The interaction's own member: the bot does not cache members (src/discord/client-options.ts).
		const who = interaction.inCachedGuild() ? interaction.member : interaction.user;
		return channel.permissionsFor(who)?.has(PermissionFlagsBits.ViewChannel) ?? false;
	};
}

/** One page of visible songs after `before`, and whether there are more. */
async function readPage(
	ctx: Context,
	guildId: string,
	canSee: (channelId: string) => boolean,
	before: number | undefined,
	search: string | undefined,
): Promise<{ records: TaskRecord[]; more: boolean }> {
	const found: TaskRecord[] = [];
	const batch = (LIBRARY_PAGE_SIZE + 1) * 2;
	let cursor = before;
	// Bounded, so a library of mostly hidden songs cannot keep the interaction past Discord's 3 seconds.
	for (let round = 0; round < 10 && found.length <= LIBRARY_PAGE_SIZE; round++) {
		const records = await ctx.store.listLibrary(guildId, {
			limit: batch,
			...(cursor !== undefined ? { before: cursor } : {}),
			...(search ? { search } : {}),
		});
		found.push(...records.filter((r) => canSee(r.place.channelId)));
		if (records.length < batch) break;
		cursor = records.at(-1)?.createdAt;
	}
	return { records: found.slice(0, LIBRARY_PAGE_SIZE), more: found.length > LIBRARY_PAGE_SIZE };
}

async function entryOf(ctx: Context, record: TaskRecord): Promise<LibraryEntry> {
	const { guildId, channelId } = record.place;
	const authorIds = [...new Set((record.credits ?? [{ userId: record.requester.userId }]).map((c) => c.userId))];
	const lineage = lineageText(record, await parentTitle(ctx.store, record)) ?? (await fullSongOf(ctx, record));
	return {
		taskId: record.id,
		title: songTitle(record),
		authorIds,
		createdAt: record.createdAt,
		...(lineage ? { lineage } : {}),
		takes: record.clips
			.filter((c) => c.state === 'complete')
			.map((c) => ({
				clipId: c.id,
				take: c.take,
				...(c.durationSec !== undefined ? { durationSec: c.durationSec } : {}),
				...(c.delivery?.status === 'delivered' ? { jumpUrl: jumpUrl(guildId, channelId, c.delivery.messageId) } : {}),
			})),
	};
}

/** A concatenated chain has no lineage of its own; name the take it completes. */
async function fullSongOf(ctx: Context, record: TaskRecord): Promise<string | undefined> {
	if (record.request.action !== 'concat') return undefined;
	const source = record.request.source;
	const parent = source.taskId ? await ctx.store.getTask(source.taskId) : undefined;
	const title = parent?.clips.find((c) => c.id === source.clipId)?.title ?? (parent ? songTitle(parent) : undefined);
	return `full song of *${escapeMarkdown(title ?? 'an earlier take')}*`;
}

/**
 * The search as a custom-id argument: `s<text>` when it fits in the 100 characters, else `k<key>` of a copy in
 * the store (long or non-Latin searches grow threefold when percent-encoded).
 */
async function searchToken(ctx: Context, search: string | undefined): Promise<string> {
	if (!search) return '';
	const literal = `s${search}`;
	try {
		encodeCustomId('songs', 'older', 9999, Number.MAX_SAFE_INTEGER.toString(36), literal);
		return literal;
	} catch {
		const key = createHash('sha256').update(search).digest('hex').slice(0, 16);
		await ctx.store.setValue(`songs:search:${key}`, search);
		return `k${key}`;
	}
}

async function decodeState(ctx: Context, id: ParsedCustomId): Promise<PageState> {
	const [pageArg, beforeArg, token = ''] = id.args;
	const page = Number(pageArg);
	const before = beforeArg ? Number.parseInt(beforeArg, 36) : undefined;
	if (!Number.isInteger(page) || page < 0 || (before !== undefined && !Number.isFinite(before)))
		throw new UserError('songs.stale', 'This list is out of date. Run `/songs` again.');
	let search: string | undefined;
	if (token.startsWith('s')) search = token.slice(1);
	else if (token.startsWith('k')) {
		search = await ctx.store.getValue<string>(`songs:search:${token.slice(1)}`);
		if (search === undefined) throw new UserError('songs.stale', 'This list is out of date. Run `/songs` again.');
	}
	return { page, ...(before !== undefined ? { before } : {}), search };
}
