import type { ProviderErrorKind } from './errors.ts';
import type {
	Clip,
	CoverRequest,
	ExtendRequest,
	Family,
	GenerateRequest,
	LyricsResult,
	TaskKind,
	TaskStatus,
} from './provider.ts';
import { type ToolRequest, toolKindOf } from './studio.ts';

/**
 * The durable task record: everything needed to resume a task after a restart, render its tracker message,
 * deliver its takes exactly once, and list it later in the guild's song library. Plain JSON, stored as is.
 */

/** What the user asked for, kept so it can be shown, repeated or remixed later. */
export type SongRequest =
	| { action: 'generate'; request: GenerateRequest }
	| { action: 'extend'; request: ExtendRequest }
	| { action: 'cover'; request: CoverRequest }
	| { action: 'lyrics'; prompt: string }
	| { action: 'upload'; audioUrl: string }
	| { action: 'concat'; source: { taskId?: string; clipId: string } }
	/** A studio tool with a task (split, WAV, video, fix a section, your own audio): src/core/studio.ts. */
	| { action: 'tool'; tool: ToolRequest };

/** Where a song comes from: the clip it continues or remixes, or the lyrics sheet it revises. */
export type Lineage =
	| { type: 'extend'; taskId?: string; clipId: string; atSec?: number }
	| { type: 'remix'; taskId?: string; clipId: string }
	| { type: 'lyrics-version'; taskId: string; version: number };

/** Who contributed what to a song, shown on every take ("lyrics by", "extended by", …). */
export type CreditRole = 'asked' | 'lyrics' | 'edited' | 'extended' | 'remixed';
export interface Credit {
	role: CreditRole;
	userId: string;
}

export interface Requester {
	userId: string;
	/** Display name at the time of the request (shown in the library even if the user leaves). */
	name: string;
}

/** Where the tracker message lives; edited by id because interaction tokens die after 15 minutes. */
export interface TrackerPlace {
	guildId: string;
	channelId: string;
	messageId?: string;
	/**
	 * Every message that mentioned the requester about the song (failed, stalled, undelivered, ready), once posted or
	 * found: deleting the song deletes them too. A song is pinged a handful of times at most (`MAX_PINGS` kept).
	 */
	pingMessageIds?: string[];
	/** The ready reply alone, as builds of 2026-12-03 kept it before `pingMessageIds`: still read, never written. */
	readyMessageId?: string;
	/**
	 * The per-file upload limit Discord reported with the interaction that asked for the song (it is only ever
	 * told to the bot that way, and boosts or server settings can make it differ from the boost tier's).
	 */
	uploadLimitBytes?: number;
}

/** What one request took from the daily limits: the counters (keys carry the day) and the cooldown claim. */
export interface QuotaCharge {
	guildId: string;
	userId: string;
	cost: number;
	counters: { key: string; by: number; ttlMs: number }[];
	cooldown?: { key: string; token: string };
	/** When it was given back; saved before the counters change, so it is given back at most once. */
	refundedAt?: number;
}

/** `generation`: the provider failed without a more specific reason. */
export type FailureKind = ProviderErrorKind | 'generation';

export interface Failure {
	kind: FailureKind;
	/** Safe to show in Discord. */
	message: string;
	/** `provider`: the provider said so (final). `timeout`: our own deadline; a late success still counts. */
	source: 'provider' | 'timeout';
}

/**
 * How a request whose answer was lost can still be found: the provider calls back to a URL carrying the intent
 * id (family B's callBackUrl, family A's notify_hook), or nothing tells the bot (no callbacks: it says so).
 */
export type Recovery = 'callback' | 'none';

/**
 * The task lifecycle. The first three belong to an *intent* (a request saved before it leaves the bot, keyed by
 * its intent id while the provider's task id is unknown): `sending` while the submit is in flight;
 * `unconfirmed` when the answer was lost (timeout, reset, a crash between sending and saving) and the provider
 * may have the request; `moved` once the task id is known and the task's own record has taken over.
 * `stalled` still polls and still delivers a late success; `finished` means the provider
 * is done and at least one take is complete (deliveries may be outstanding); `delivered` means every
 * complete take has been posted (or given up on); `failed` means there is nothing to deliver.
 */
export type TaskState =
	| { status: 'sending' }
	| { status: 'unconfirmed'; since: number; recovery: Recovery }
	| { status: 'moved'; taskId: string; at: number }
	| { status: 'submitted' }
	| { status: 'queued' }
	| { status: 'running' }
	| { status: 'stalled'; since: number }
	| { status: 'finished'; outcome: Outcome }
	| { status: 'delivered'; outcome: Outcome; at: number }
	| { status: 'failed'; failure: Failure; at: number };

/** `partial`: at least one take failed while another succeeded. */
export type Outcome = 'complete' | 'partial';

export interface LocalAudio {
	path: string;
	bytes: number;
}

/**
 * `posting` is written before a take is posted, so after a crash the tracker knows a message may already
 * exist and asks the channel (`TaskSink.findDelivered`) before posting again.
 */
export type Delivery =
	| { status: 'posting'; attempts: number; nextAttemptAt: number; lastError?: string }
	| { status: 'delivered'; messageId: string; at: number; recovered?: boolean }
	| { status: 'abandoned'; reason: string; at: number };

export interface ClipRecord extends Clip {
	/** 1-based, in the order the provider first reported the clips. */
	take: number;
	/** The local copy of the final audio, once downloaded. */
	file?: LocalAudio;
	delivery?: Delivery;
	/** The error was our overall timeout, not the provider: a late completion is still accepted. */
	timedOut?: boolean;
	/** Why the provider's audio was refused (AudioRefusedError.reason), for the posted take; never saved. */
	audioRefused?: string;
	/**
	 * The music video made of this take by the studio's video tool (not the provider's own `videoUrl` of a take):
	 * the song card links it (issue 17).
	 */
	musicVideoUrl?: string;
	/** The lossless WAV the studio made of this take (its download link): /songs lists it with the take. */
	wavUrl?: string;
}

export interface TaskRecord {
	v: 1;
	/** The provider's task id; for an intent (see TaskState), the intent id. */
	id: string;
	/** The intent this task was submitted under (callbacks carry it in their URL path). */
	intentId?: string;
	family: Family;
	kind: TaskKind;
	request: SongRequest;
	requester: Requester;
	place: TrackerPlace;
	lineage?: Lineage;
	/** Everyone who contributed, in order, including those of the songs this one builds on. */
	credits?: Credit[];
	/** What the requester's quota showed when the song was asked for (display only). */
	quota?: { userLeft?: number; guildLeft?: number };
	/** What the request took from the quotas, so it can be given back later, on any process (src/core/refund.ts). */
	charge?: QuotaCharge;
	/** The provider said it gave its own credits for this failed task back (family B code 531). */
	providerRefunded?: boolean;
	state: TaskState;
	/** Furthest status the provider reported; statuses only move forward, so stale reports change nothing. */
	providerStatus?: TaskStatus;
	progressPct?: number;
	failureReason?: string;
	clips: ClipRecord[];
	lyrics?: LyricsResult[];
	createdAt: number;
	updatedAt: number;
	/** Last time a report changed anything; the stall timeout counts from here. */
	lastProgressAt: number;
	finishedAt?: number;
	/** Set once the task is terminal and every take is delivered; the task then leaves the active index. */
	settledAt?: number;
	/**
	 * Taken out of the library by an admin or its requester: listings, autocomplete and Play skip it. A deleted
	 * song also lost its messages and local files; the record stays (without files) until retention prunes it.
	 */
	hidden?: { by: string; at: number; deleted?: boolean };
	/** The channel's vote on the takes, once its poll ended (src/discord/votes.ts). */
	votes?: VoteResult;
}

/** How a poll on the takes ended. */
export interface VoteResult {
	/** Votes per take, in take order (index 0 is take 1). */
	counts: number[];
	/** The take number with the most votes; absent on a tie or when nobody voted. */
	winner?: number;
	endedAt: number;
}

/** Votes of the winning take (0 without a winner): what `/songs top` ranks by. */
export function winningVotes(record: TaskRecord): number {
	const winner = record.votes?.winner;
	return winner === undefined ? 0 : (record.votes?.counts[winner - 1] ?? 0);
}

/** Statuses in which the provider is still asked about the task. */
export function isPollable(record: { state: { status: TaskState['status'] } }): boolean {
	const status = record.state.status;
	return status === 'submitted' || status === 'queued' || status === 'running' || status === 'stalled';
}

/** Nothing more will happen on the provider side and every take is posted or given up on. */
export function isTerminal(record: TaskRecord): boolean {
	const status = record.state.status;
	return status === 'delivered' || status === 'failed' || status === 'moved';
}

/** A request whose provider task id is not known (yet): sent, or sent with its answer lost. */
export function awaitsTaskId(record: TaskRecord): boolean {
	return record.state.status === 'sending' || record.state.status === 'unconfirmed';
}

/** Complete takes that still have to be posted (never posted, or a post that did not finish). */
export function pendingDeliveries(record: TaskRecord): ClipRecord[] {
	return record.clips.filter(
		(clip) => clip.state === 'complete' && (clip.delivery === undefined || clip.delivery.status === 'posting'),
	);
}

/**
 * The marker a delivered take's Discord message must carry (e.g. in a button custom id or the content),
 * so that `TaskSink.findDelivered` can recognise it after a crash. At most 100 characters for sane ids.
 */
export function deliveryMarker(taskId: string, clipId: string): string {
	return `songbot:${taskId}:${clipId}`;
}

/**
 * The title the request named the song by: the one the person typed (a remix's is typed too, pre-filled with its
 * source's), or for an extension the title of the take it continues. Undefined when there is none, for lyrics,
 * uploads, full songs and studio tools: the provider's title is used then.
 */
export function requestedTitle(record: Pick<TaskRecord, 'request'>): string | undefined {
	const request = record.request;
	return 'request' in request ? request.request.title?.trim() || undefined : undefined;
}

/** A human title for lists and autocomplete: the first take's title, else the requested one. */
export function songTitle(record: TaskRecord): string {
	const fromClip = record.clips.find((clip) => clip.title)?.title;
	if (fromClip) return fromClip;
	const request = record.request;
	if ('request' in request && request.request.title) return request.request.title;
	if (request.action === 'lyrics') return record.lyrics?.[0]?.title ?? 'Lyrics';
	if (request.action === 'tool' && 'request' in request.tool && 'title' in request.tool.request)
		return request.tool.request.title;
	return 'Untitled';
}

/** Kind of task a request produces, as the provider's status endpoints need it. */
export function kindOf(request: SongRequest): TaskKind {
	switch (request.action) {
		case 'lyrics':
			return 'lyrics';
		case 'upload':
			return 'upload';
		case 'concat':
			return 'concat';
		case 'tool':
			return toolKindOf(request.tool);
		default:
			return 'music';
	}
}
