import { join } from 'node:path';
import type { SendableChannels } from 'discord.js';
import { fitAudio } from '../audio/fit.ts';
import { type ClipRecord, songTitle, type TaskRecord } from '../core/records.ts';
import type { ToolRequest } from '../core/studio.ts';
import type { DeliverOptions } from '../core/sink.ts';
import type { Store } from '../core/store.ts';
import type { Tracker } from '../core/tracker-types.ts';
import type { Logger } from '../log.ts';
import { isOnCard } from './card.ts';
import { lostAnswerText, stageOf } from './present.ts';
import { inWorkDir, uploadLimit } from './take-audio.ts';
import { nonceFor, refusalOf } from './take-search.ts';
import { fileName } from './views/format.ts';
import { type Locale, providerErrorText, serverLocale } from './i18n.ts';
import { takeMarkerId } from './views/take.ts';
import { renderToolResult, type StudioTool, type ToolStatusView } from './views/studio.ts';

/**
 * How the Discord sink shows a studio tool's task (a `tool` action: split, WAV, video): its status message instead
 * of a song's tracker, and each result as a small message with the take's marker (so it is posted once, also
 * after a crash). A fixed section and your own audio make songs, shown as songs are.
 */

export type ToolTask = TaskRecord & { request: { action: 'tool'; tool: ToolRequest } };

/** A tool task shown by the studio: one whose results are parts or files, not takes. */
export function isStudioResult(task: TaskRecord): task is ToolTask {
	return task.request.action === 'tool' && (task.kind === 'split' || task.kind === 'wav' || task.kind === 'video');
}

export function toolOf(task: ToolTask): StudioTool {
	const t = task.request.tool;
	if (t.tool === 'split') return t.request.stems ? 'stems' : 'split';
	return t.tool === 'wav' ? 'wav' : 'video';
}

/** The take a tool works on, as the status message names it: its title and take number when known. */
export interface ToolSubject {
	title: string;
	take?: number;
	/** The take's song card links its music video. */
	videoOnCard?: boolean;
}

/** `locale`: the server's (the status message is the channel's). */
export function toolStatusOf(task: ToolTask, subject: ToolSubject | undefined, locale: Locale = 'en'): ToolStatusView {
	const stage = stageOf(task);
	const view: ToolStatusView = {
		tool: toolOf(task),
		stage:
			stage === 'done' || stage === 'partial'
				? 'done'
				: stage === 'failed' || stage === 'submitting' || stage === 'unconfirmed' || stage === 'stalled'
					? stage
					: 'working',
		title: subject?.title ?? songTitle(task),
		requesterId: task.requester.userId,
		...(subject?.take ? { take: subject.take } : {}),
		...(linkedOnCard(task, subject) ? { onCard: true } : {}),
		locale,
	};
	const problem =
		task.state.status === 'failed' ? providerErrorText(task.state.failure, locale) : lostAnswerText(task, locale);
	if (problem) view.problem = problem;
	if (task.state.status === 'failed' && task.charge?.refundedAt !== undefined) view.givenBack = true;
	return view;
}

/** A finished video whose link is on its take's card: the status message only says so. */
function linkedOnCard(task: ToolTask, subject: ToolSubject | undefined): boolean {
	return toolOf(task) === 'video' && subject?.videoOnCard === true && task.clips.some((c) => c.videoUrl);
}

/**
 * Delivers one result of a tool task: a music video onto its take's card when it has one, else a message of its
 * own (a WAV's link also kept in the library). Undefined when `options.confirm` says another process has it.
 */
export async function deliverToolResult(
	deps: { store: Store; log: Logger; botId: string | undefined; keepStudioLink?: KeepStudioLink | undefined },
	channel: SendableChannels,
	task: ToolTask,
	clip: ClipRecord,
	options?: DeliverOptions,
): Promise<{ messageId: string } | undefined> {
	return inWorkDir('songbot-tool-', async (work) => {
		if (options && !(await options.confirm())) return undefined;
		const onCard = await videoOnCard(task, clip, deps.keepStudioLink);
		if (onCard) return onCard;
		await keepWav(task, clip, deps.keepStudioLink, deps.log);
		const subject = await subjectOf(deps.store, task);
		return postToolResult(channel, task, clip, subject, uploadLimit(task, channel), work, deps.botId);
	});
}

/** Posts one result of a tool task; throws TakeRefused (via refusalOf) when Discord refuses it for good. */
export async function postToolResult(
	channel: SendableChannels,
	task: ToolTask,
	clip: ClipRecord,
	subject: ToolSubject | undefined,
	limitBytes: number,
	work: string,
	botId: string | undefined,
): Promise<{ messageId: string }> {
	const tool = toolOf(task);
	const title = subject?.title ?? songTitle(task);
	const url = clip.videoUrl ?? clip.audioUrl ?? '';
	let delivery: Parameters<typeof renderToolResult>[0]['delivery'] = { kind: 'link', url };
	const files: { attachment: string; name: string }[] = [];
	if (clip.audioRefused) delivery = { kind: 'refused', reason: clip.audioRefused };
	else if (clip.file && tool !== 'video') {
		const ext = tool === 'wav' ? 'wav' : 'mp3';
		const name = fileName(title, clip.stem ? `(${clip.stem})` : `(${tool})`, ext);
		// A part is re-encoded to fit like a take; a WAV is lossless or nothing, so it is attached only as it is.
		const fit =
			tool === 'wav'
				? clip.file.bytes <= limitBytes
					? { kind: 'original' as const, file: clip.file.path }
					: { kind: 'too-large' as const }
				: await fitAudio(clip.file.path, limitBytes, join(work, 'fit.mp3'));
		if (fit.kind === 'too-large') delivery = { kind: 'link', url, tooLarge: true };
		else {
			files.push({ attachment: fit.file, name });
			delivery = { kind: 'attached' };
		}
	}
	const payload = renderToolResult({
		tool,
		title,
		...(subject?.take ? { take: subject.take } : {}),
		...(clip.stem ? { stem: clip.stem } : {}),
		markerId: takeMarkerId(task.id, clip.id),
		delivery,
		locale: serverLocale('guild' in channel ? channel.guild : undefined),
	});
	const message = await channel
		.send({
			...payload,
			files,
			allowedMentions: { parse: [] },
			nonce: nonceFor(task.id, clip.id, delivery.kind),
			enforceNonce: true,
		})
		.catch((error: unknown) => {
			throw refusalOf(error, channel, botId, files.length);
		});
	return { messageId: message.id };
}

type KeepStudioLink = Tracker['keepStudioLink'];

/**
 * A finished music video goes on its take's song card (a link there, kept on the take's record) rather than in a
 * message of its own: resolves with the card's id. Undefined when the take has no card here (or no video came),
 * so the link is posted as a message as before.
 */
export async function videoOnCard(
	task: ToolTask,
	clip: ClipRecord,
	keep: KeepStudioLink | undefined,
): Promise<{ messageId: string } | undefined> {
	const tool = task.request.tool;
	const url = clip.videoUrl;
	if (tool.tool !== 'video' || !url || clip.audioRefused || !keep) return undefined;
	const source = await keep(tool.source.taskId, tool.source.clipId, { kind: 'video', url });
	const take = source?.clips.find((c) => c.id === tool.source.clipId);
	const cardId = source?.place.messageId;
	return source && take && cardId && isOnCard(source, take) ? { messageId: cardId } : undefined;
}

/** A WAV is posted and kept in the library too: its link on the take's record, for /songs. */
export async function keepWav(
	task: ToolTask,
	clip: ClipRecord,
	keep: KeepStudioLink | undefined,
	log: Logger,
): Promise<void> {
	const tool = task.request.tool;
	if (tool.tool !== 'wav' || !clip.audioUrl || !keep) return;
	try {
		const kept = await keep(tool.source.taskId, tool.source.clipId, { kind: 'wav', url: clip.audioUrl });
		// The WAV is still posted: only /songs goes without its link.
		if (!kept) log.info({ taskId: task.id }, 'WAV link not kept in the library: its take is gone or held elsewhere');
	} catch (error) {
		log.warn({ err: error, taskId: task.id }, 'could not keep the WAV link in the library');
	}
}

/** The take a tool task worked on, from the store (undefined when it is gone: the task's own title is used). */
export async function subjectOf(
	store: { getTask(id: string): Promise<TaskRecord | undefined> },
	task: ToolTask,
): Promise<ToolSubject | undefined> {
	const t = task.request.tool;
	const source = t.tool === 'split' || t.tool === 'replace' ? t.request.source : 'source' in t ? t.source : undefined;
	if (!source) return undefined;
	const record = await store.getTask(source.taskId).catch(() => undefined);
	const clip = record?.clips.find((c) => c.id === source.clipId);
	if (!record || !clip) return undefined;
	return {
		title: clip.title ?? songTitle(record),
		take: clip.take,
		...(clip.musicVideoUrl && isOnCard(record, clip) ? { videoOnCard: true } : {}),
	};
}
