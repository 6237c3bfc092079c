import type { ButtonInteraction } from 'discord.js';
import { UserError } from '../core/errors.ts';
import { type Jam, jamCredits, lyricsOf, unsungSections, withPart } from '../core/jam.ts';
import type { ModelId } from '../core/provider.ts';
import type { TaskRecord } from '../core/records.ts';
import type { Context } from './context.ts';
import { indexJamTask } from './jam-library.ts';
import { type SongStart, startSong } from './start-song.ts';
import { loadTake, requireSameProvider, sourceModel } from './take-source.ts';
import { REFUSALS } from './views/jam.ts';

/**
 * The jam's song, through the one start-song path (the quota, limits, word filter and refunds of the person who
 * presses the button): "Make it" sings the sheet, "Next part" extends the chosen take of the last part with the
 * sections written since, "Full song" joins the last part with everything before it (where the provider can).
 * Each part's task is kept on the jam, so the sheet, the final card and the credits know them.
 */

type Jams = NonNullable<Context['jams']>;

/** `chosen`: the server's model (commands/song.ts `chooseModel`). */
export async function makeFirstPart(
	interaction: ButtonInteraction,
	ctx: Context,
	jams: Jams,
	jam: Jam,
	chosen: ModelId,
) {
	const sections = unsungSections(jam);
	if (sections.length === 0) throw new UserError('jam.empty', REFUSALS.empty);
	await singPart(interaction, ctx, jams, jam, sections, `jam:${jam.threadId}:1`, {
		request: {
			action: 'generate',
			request: { mode: 'custom', model: chosen, lyrics: lyricsOf(sections), style: jam.style, title: jam.title },
		},
		preview: { mode: 'custom', model: chosen, title: jam.title, style: jam.style },
	});
}

export async function nextPart(interaction: ButtonInteraction, ctx: Context, jams: Jams, jam: Jam) {
	if (!ctx.provider.capabilities.extend) throw new UserError('provider.extend', REFUSALS.extend);
	const sections = unsungSections(jam);
	if (sections.length === 0) throw new UserError('jam.no-new', REFUSALS['no-new']);
	const source = await chosenTake(interaction, ctx, jam);
	requireSameProvider(ctx, source);
	const model = sourceModel(ctx, source.task);
	await singPart(interaction, ctx, jams, jam, sections, `jam:${jam.threadId}:${jam.parts.length + 1}`, {
		request: {
			action: 'extend',
			request: {
				source: { taskId: source.task.id, clipId: source.clip.id },
				model,
				lyrics: lyricsOf(sections),
				style: jam.style,
				title: jam.title,
			},
		},
		lineage: { type: 'extend', taskId: source.task.id, clipId: source.clip.id },
		preview: { mode: 'extend', model, title: jam.title, style: jam.style },
	});
}

/**
 * One part of the jam through the start-song path, credited to every writer, and kept on the jam with the sections
 * it sings. `origin` names the part, so two presses of one button make one song.
 */
async function singPart(
	interaction: ButtonInteraction,
	ctx: Context,
	jams: Jams,
	jam: Jam,
	sections: ReturnType<typeof unsungSections>,
	origin: string,
	start: Omit<SongStart, 'credits' | 'origin'>,
) {
	const record = await startSong(interaction, ctx, { ...start, credits: jamCredits(jam, interaction.user.id), origin });
	if (!record) return;
	const sectionIds = sections.map((s) => s.id);
	await savePart(ctx, jams, jam.threadId, record, sectionIds, interaction.user.id);
}

export async function fullSong(interaction: ButtonInteraction, ctx: Context, jams: Jams, jam: Jam) {
	if (!ctx.provider.capabilities.concat) throw new UserError('provider.concat', REFUSALS.concat);
	if (jam.parts.length < 2) throw new UserError('jam.one-part', REFUSALS['one-part']);
	const source = await chosenTake(interaction, ctx, jam);
	requireSameProvider(ctx, source);
	const record = await startSong(interaction, ctx, {
		request: { action: 'concat', source: { taskId: source.task.id, clipId: source.clip.id } },
		credits: jamCredits(jam, interaction.user.id),
		preview: { mode: 'full', model: '', title: jam.title },
	});
	if (!record) return;
	await indexJamTask(ctx.store, record.id, jam.threadId);
	const result = await jams.update(jam.threadId, (current) => ({
		ok: true,
		jam: { ...current, fullSongTaskId: record.id, fullSongParts: jam.parts.length, lastActivityAt: ctx.now() },
	}));
	if (result?.ok) await jams.refresh(result.jam);
}

/** The take the next part continues: the winner of the last part's vote, else its first complete take. */
async function chosenTake(interaction: ButtonInteraction, ctx: Context, jam: Jam) {
	const last = jam.parts.at(-1);
	if (!last) throw new UserError('jam.no-parts', REFUSALS['no-parts']);
	const task = await ctx.store.getTask(last.taskId);
	const done = task?.state.status === 'delivered' || task?.state.status === 'finished';
	const complete = task?.clips.filter((c) => c.state === 'complete') ?? [];
	if (!task || !done || complete.length === 0) throw new UserError('jam.unfinished', REFUSALS.unfinished);
	const winner = complete.find((c) => c.take === task.votes?.winner) ?? complete[0];
	return loadTake(ctx, interaction, { taskId: task.id, clipId: winner?.id ?? '' });
}

async function savePart(
	ctx: Context,
	jams: Jams,
	threadId: string,
	record: TaskRecord,
	sectionIds: number[],
	askedBy: string,
) {
	await indexJamTask(ctx.store, record.id, threadId);
	const result = await jams.update(threadId, (current) => ({
		ok: true,
		jam: withPart(current, { taskId: record.id, sectionIds, askedBy }, ctx.now()),
	}));
	if (result?.ok) await jams.refresh(result.jam);
}
