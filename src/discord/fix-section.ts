import { randomBytes } from 'node:crypto';
import {
	type ButtonInteraction,
	MessageFlags,
	type ModalSubmitInteraction,
	type StringSelectMenuInteraction,
} from 'discord.js';
import { UserError } from '../core/errors.ts';
import { SECTION_LIMITS, type TimedWord } from '../core/studio.ts';
import type { Context } from './context.ts';
import { encodeCustomId } from './custom-id.ts';
import { fieldText, modal } from './modals.ts';
import { NO_MENTIONS } from './router.ts';
import { startSong } from './start-song.ts';
import { creditsFrom, loadTake } from './take-source.ts';
import { clock, truncate } from './views/format.ts';
import { msg } from '../i18n/index.ts';
import { localeOf, t } from './i18n.ts';

/**
 * Fix a section (issue 17): the take's timed lyrics (free at the provider) become a menu of sections of 6 to 60
 * seconds and at most half the take; the person picks one, writes its new words, and a new take is made with only
 * that part sung anew (replace-section, charged at the server's `fix` cost and tracked like a song).
 */

export interface Line {
	text: string;
	startSec: number;
	endSec: number;
}

interface FixState {
	guildId: string;
	userId: string;
	taskId: string;
	clipId: string;
	lines: Line[];
}

const fixKey = (key: string) => `studio:fix:${key}`;
const FIX_TTL_MS = 3_600_000;
const MENU_MAX = 25;

/** Sung lines from timed words: a word ending in a line break ends its line; section tags are not sung. */
export function linesOf(words: readonly TimedWord[]): Line[] {
	const lines: Line[] = [];
	let current: TimedWord[] = [];
	const flush = () => {
		const text = current
			.map((w) => w.word.trim())
			.filter(Boolean)
			.join(' ');
		if (text && current[0] && current.at(-1))
			lines.push({ text, startSec: current[0].startSec, endSec: (current.at(-1) as TimedWord).endSec });
		current = [];
	};
	for (const word of words) {
		if (/^\s*\[[^\]]*\]\s*$/.test(word.word)) continue;
		current.push(word);
		if (word.word.includes('\n')) flush();
	}
	flush();
	return lines;
}

/** Sections that start at a line and run whole lines until long enough; those the provider would refuse are left out. */
export function sectionsOf(lines: readonly Line[], durationSec: number | undefined): { from: number; to: number }[] {
	const out: { from: number; to: number }[] = [];
	for (let from = 0; from < lines.length && out.length < MENU_MAX; from++) {
		let to = from;
		const start = (lines[from] as Line).startSec;
		while (to < lines.length - 1 && (lines[to] as Line).endSec - start < SECTION_LIMITS.minSec) to++;
		const length = (lines[to] as Line).endSec - start;
		const half = durationSec === undefined ? Infinity : durationSec / 2 + 0.01;
		if (length >= SECTION_LIMITS.minSec && length <= SECTION_LIMITS.maxSec && length <= half) out.push({ from, to });
	}
	return out;
}

/** The Fix a section button: the menu of sections, only for the person who clicked. */
export async function openFix(interaction: ButtonInteraction, ctx: Context, args: string[]): Promise<void> {
	const studio = ctx.provider.studio;
	const [taskId, clipId] = args;
	const source = await loadTake(ctx, interaction, taskId && clipId ? { taskId, clipId } : undefined);
	if (!studio) throw new UserError('studio.unavailable', msg('studio.not_offered'));
	await interaction.deferReply({ flags: MessageFlags.Ephemeral });
	const locale = localeOf(interaction);
	const lines = linesOf(await studio.timestampedLyrics({ taskId: source.task.id, clipId: source.clip.id }));
	const sections = sectionsOf(lines, source.clip.durationSec);
	if (sections.length === 0) {
		await interaction.editReply({ content: t(locale, 'studio.fix_none'), allowedMentions: NO_MENTIONS });
		return;
	}
	const key = randomBytes(8).toString('hex');
	const state: FixState = {
		guildId: interaction.guildId ?? '',
		userId: interaction.user.id,
		taskId: source.task.id,
		clipId: source.clip.id,
		lines,
	};
	await ctx.store.setValue(fixKey(key), state, { ttlMs: FIX_TTL_MS });
	const options = sections.map(({ from, to }) => {
		const start = (lines[from] as Line).startSec;
		const end = (lines[to] as Line).endSec;
		const words = lines
			.slice(from, to + 1)
			.map((l) => l.text)
			.join(' / ');
		return { label: truncate(`${clock(start)}–${clock(end)} · ${words}`, 100), value: `${from}-${to}` };
	});
	await interaction.editReply({
		content: t(locale, 'studio.fix_pick'),
		components: [
			{
				type: 1,
				components: [
					{
						type: 3,
						custom_id: encodeCustomId('studio', 'fix-pick', key),
						placeholder: t(locale, 'studio.fix_placeholder'),
						options,
					},
				],
			},
		],
		allowedMentions: NO_MENTIONS,
	});
}

async function loadState(interaction: { guildId: string | null; user: { id: string } }, ctx: Context, key?: string) {
	const state = key ? await ctx.store.getValue<FixState>(fixKey(key)) : undefined;
	if (!state || state.guildId !== (interaction.guildId ?? '') || state.userId !== interaction.user.id)
		throw new UserError('studio.fix-expired', msg('studio.fix_expired'));
	return state;
}

function range(state: FixState, from: number, to: number): { start: number; end: number; words: string } {
	const picked = state.lines.slice(from, to + 1);
	if (picked.length === 0 || from > to) throw new UserError('studio.fix-expired', msg('studio.fix_expired'));
	return {
		start: (picked[0] as Line).startSec,
		end: (picked.at(-1) as Line).endSec,
		words: picked.map((l) => l.text).join('\n'),
	};
}

/** A section picked: the form for its new words, filled in with the words sung there now. */
export async function pickSection(interaction: StringSelectMenuInteraction, ctx: Context, args: string[]) {
	const key = args[0];
	const state = await loadState(interaction, ctx, key);
	const [from, to] = (interaction.values[0] ?? '').split('-').map(Number);
	const { start, end, words } = range(state, from ?? -1, to ?? -1);
	const source = await loadTake(ctx, interaction, { taskId: state.taskId, clipId: state.clipId });
	const limits = ctx.provider.limits(ctx.provider.capabilities.defaultModel);
	const locale = localeOf(interaction);
	const id = encodeCustomId('studio', 'fix-words', key as string, from as number, to as number);
	await interaction.showModal(
		modal(id, t(locale, 'studio.fix_form_title'), [
			{
				id: 'words',
				label: t(locale, 'studio.fix_words', { from: clock(start), to: clock(end) }),
				long: true,
				required: true,
				max: 1000,
				value: words,
			},
			// The provider needs the take's style; it is filled in where the bot knows it.
			{ id: 'style', label: t(locale, 'studio.fix_style'), required: true, max: limits.style, value: source.style },
		]),
	);
}

/** The new words sent: a new take with that section replaced, made and shown like a song. */
export async function fixWithWords(interaction: ModalSubmitInteraction, ctx: Context, args: string[]) {
	const [key, fromArg, toArg] = args;
	const state = await loadState(interaction, ctx, key);
	const { start, end } = range(state, Number(fromArg), Number(toArg));
	const words = fieldText(interaction, 'words');
	if (!words) throw new UserError('input.lyrics', msg('studio.fix_needs_words'));
	const source = await loadTake(ctx, interaction, { taskId: state.taskId, clipId: state.clipId });
	const style = fieldText(interaction, 'style') ?? source.style;
	if (!style) throw new UserError('input.style', msg('studio.fix_needs_style'));
	await startSong(interaction, ctx, {
		request: {
			action: 'tool',
			tool: {
				tool: 'replace',
				request: {
					source: { taskId: source.task.id, clipId: source.clip.id },
					lyrics: words,
					style,
					title: source.title,
					fromSec: start,
					toSec: end,
					...(source.clip.durationSec === undefined ? {} : { durationSec: source.clip.durationSec }),
				},
			},
		},
		lineage: { type: 'remix', taskId: source.task.id, clipId: source.clip.id },
		credits: creditsFrom(source.task, 'remixed', interaction.user.id),
		preview: { mode: 'remix', model: '', title: source.title, style },
	});
}
