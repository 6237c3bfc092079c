import { UserError } from '../core/errors.ts';
import { type ModelId, resolveModel } from '../core/provider.ts';
import type { ClipRecord, Credit, CreditRole, TaskRecord } from '../core/records.ts';
import { songTitle } from '../core/records.ts';
import type { Context } from './context.ts';
import { type Viewer, visibleSong } from './library.ts';
import { requestFacts } from './request-facts.ts';
import { clipOf, type TakeRef } from './take-ref.ts';
import { msg } from '../i18n/index.ts';

/** A finished take that a new song builds on (extend, remix, full song), with what the forms pre-fill. */
export interface SourceTake {
	task: TaskRecord;
	clip: ClipRecord;
	title: string;
	style?: string;
	lyrics?: string;
	instrumental: boolean;
}

/**
 * Loads the take a button or an autocomplete choice names, refusing (as a UserError) what a person could cause:
 * an unknown or pruned take, one from another server or from a channel the viewer cannot see, one not finished.
 */
export async function loadTake(ctx: Context, viewer: Viewer, ref: TakeRef | undefined): Promise<SourceTake> {
	if (!ref) throw new UserError('take.pick', msg('error.take.pick'));
	// The library rule: unknown for another server's take, refused for one from a channel the viewer cannot see.
	const task = await visibleSong(ctx, viewer, ref.taskId);
	const clip = task ? clipOf(task, ref) : undefined;
	if (!task || !clip) throw new UserError('take.unknown', msg('error.take.unknown_pick'));
	if (clip.state !== 'complete' || !clip.audioUrl) throw new UserError('take.unfinished', msg('error.take.unfinished'));
	const facts = requestFacts(task);
	const style = clip.tags ?? facts.style;
	const lyrics = clip.lyrics ?? facts.lyrics;
	return {
		task,
		clip,
		title: clip.title ?? songTitle(task),
		instrumental: facts.instrumental,
		...(style ? { style } : {}),
		...(lyrics ? { lyrics } : {}),
	};
}

/** Extending continues the provider's own clip, so the take must come from the provider configured now. */
export function requireSameProvider(ctx: Context, source: SourceTake): void {
	if (source.task.family !== ctx.provider.family)
		throw new UserError('take.other-provider', msg('error.take.other_provider'));
}

/**
 * The model of the source take's request (family B refuses an extension in another model), else the server's
 * default (full songs and uploads have none of their own, or the model is no longer offered).
 */
export function sourceModel(ctx: Context, task: TaskRecord): ModelId {
	const caps = ctx.provider.capabilities;
	const r = task.request;
	const wanted = 'request' in r ? r.request.model : undefined;
	if (wanted && caps.models.includes(wanted)) return wanted;
	const fallback = ctx.config.SUNO_MODEL ? resolveModel(caps, ctx.config.SUNO_MODEL) : undefined;
	return fallback ?? caps.defaultModel;
}

/** Everyone credited on the source, then the person who builds on it (a new song keeps its history). */
export function creditsFrom(task: TaskRecord, role?: CreditRole, userId?: string): Credit[] {
	const credits = task.credits?.length
		? [...task.credits]
		: [{ role: 'asked' as const, userId: task.requester.userId }];
	if (role && userId) credits.push({ role, userId });
	return credits;
}
