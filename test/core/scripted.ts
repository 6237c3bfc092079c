import { ProviderError } from '../../src/core/errors.ts';
import type { AudioCache } from '../../src/core/ports.ts';
import type {
	Capabilities,
	Family,
	InputLimits,
	SongProvider,
	Submitted,
	TaskRef,
	TaskSnapshot,
} from '../../src/core/provider.ts';
import { type ClipRecord, deliveryMarker, type LocalAudio, type TaskRecord } from '../../src/core/records.ts';
import type { TaskSink } from '../../src/core/sink.ts';
import type { TaskEvent } from '../../src/core/task.ts';

/**
 * A scripted in-memory SongProvider for pure tracker logic: the test sets what each task looks like now;
 * `fetch` answers with it and records which ids each call carried.
 */
export class ScriptedProvider implements SongProvider {
	readonly family: Family;
	readonly capabilities: Capabilities;
	readonly tasks = new Map<string, TaskSnapshot>();
	readonly fetches: string[][] = [];
	readonly submits: { callbackUrl?: string }[] = [];
	fetchError: Error | undefined;
	/** The next submit is refused with this error (nothing is created). */
	submitError: Error | undefined;
	/** The next submit creates the task, then its answer is lost (a timeout that may have reached the provider). */
	loseNextAnswer = false;
	/** The next submit creates the task, then waits for this before answering (a callback may come first). */
	holdAnswer: Promise<void> | undefined;
	#next = 0;
	readonly #idPrefix: string;

	/** `idPrefix`: several processes' providers must not hand out the same task ids (a real provider never does). */
	constructor(family: Family = 'newapi', batchSize = 100, idPrefix = 't') {
		this.family = family;
		this.#idPrefix = idPrefix;
		this.capabilities = {
			extend: true,
			lyrics: true,
			upload: false,
			cover: false,
			concat: false,
			negativeStyle: false,
			vocalGender: false,
			callbacks: true,
			credits: false,
			batchSize,
			models: ['v5'],
			defaultModel: 'v5',
		};
	}

	limits(): InputLimits {
		return { description: 500, lyrics: 5000, style: 1000, title: 100, negativeStyle: 0, lyricsPrompt: 200 };
	}
	validate(): void {}

	async generate(_request: unknown, options?: { callbackUrl?: string }): Promise<Submitted> {
		this.submits.push(options?.callbackUrl ? { callbackUrl: options.callbackUrl } : {});
		const refusal = this.submitError;
		this.submitError = undefined;
		if (refusal) throw refusal;
		this.#next += 1;
		const taskId = `${this.#idPrefix}${this.#next}`;
		this.tasks.set(taskId, { taskId, kind: 'music', status: 'queued', clips: [] });
		const hold = this.holdAnswer;
		this.holdAnswer = undefined;
		await hold;
		if (this.loseNextAnswer) {
			this.loseNextAnswer = false;
			throw new ProviderError({ kind: 'timeout', detail: 'no answer within 60000 ms', maybeAccepted: true });
		}
		return { taskId };
	}
	extend = this.generate;
	cover = this.generate;
	concat = this.generate;
	upload = this.generate;
	async lyrics(): Promise<Submitted> {
		this.#next += 1;
		const taskId = `${this.#idPrefix}${this.#next}`;
		this.tasks.set(taskId, { taskId, kind: 'lyrics', status: 'queued', clips: [] });
		return { taskId };
	}

	async fetch(refs: readonly TaskRef[]): Promise<Map<string, TaskSnapshot>> {
		this.fetches.push(refs.map((r) => r.taskId));
		if (this.fetchError) throw this.fetchError;
		const out = new Map<string, TaskSnapshot>();
		for (const ref of refs) {
			const snap = this.tasks.get(ref.taskId);
			if (snap) out.set(ref.taskId, structuredClone(snap));
		}
		return out;
	}
	async credits(): Promise<number | undefined> {
		return undefined;
	}
	parseCallback(): never {
		throw new ProviderError({ kind: 'protocol' });
	}

	/** Moves a task to a well-known stage. */
	set(taskId: string, stage: 'running' | 'first' | 'done' | 'partial' | 'failed'): void {
		const clipA = { id: `${taskId}-a`, title: 'Rain', lyrics: '[Verse] la' };
		const clipB = { id: `${taskId}-b`, title: 'Rain', lyrics: '[Verse] la' };
		const url = (id: string) => `https://cdn.example/${id}.mp3`;
		const snap = (status: TaskSnapshot['status'], clips: TaskSnapshot['clips'], extra: Partial<TaskSnapshot> = {}) =>
			this.tasks.set(taskId, { taskId, kind: 'music', status, clips, ...extra });
		if (stage === 'running')
			snap('running', [
				{ ...clipA, state: 'streaming' },
				{ ...clipB, state: 'streaming' },
			]);
		if (stage === 'first')
			snap('partial', [
				{ ...clipA, state: 'complete', audioUrl: url(clipA.id) },
				{ ...clipB, state: 'streaming' },
			]);
		if (stage === 'done')
			snap('succeeded', [
				{ ...clipA, state: 'complete', audioUrl: url(clipA.id) },
				{ ...clipB, state: 'complete', audioUrl: url(clipB.id) },
			]);
		if (stage === 'partial')
			snap(
				'failed',
				[
					{ ...clipA, state: 'complete', audioUrl: url(clipA.id) },
					{ ...clipB, state: 'error', errorMessage: 'take 2 failed' },
				],
				{ failureReason: 'GENERATE_AUDIO_FAILED' },
			);
		if (stage === 'failed') snap('failed', [], { failureReason: 'Internal Error' });
	}
}

/** A channel in memory: posts carry their marker, like Discord messages carrying it in a custom id. */
export class MemorySink implements TaskSink {
	readonly updates: { task: TaskRecord; events: readonly TaskEvent[] }[] = [];
	readonly posts: { messageId: string; marker: string; file?: LocalAudio; link?: string }[] = [];
	readonly lookups: string[] = [];
	/** Make the next N posts fail before reaching the channel. */
	failPosts = 0;
	/** Make the next N posts reach the channel and then fail (the answer is lost). */
	loseAnswers = 0;

	async update(task: TaskRecord, events: readonly TaskEvent[]): Promise<void> {
		this.updates.push({ task, events });
	}
	async deliver(task: TaskRecord, clip: ClipRecord): Promise<{ messageId: string }> {
		if (this.failPosts > 0) {
			this.failPosts -= 1;
			throw new Error('Discord is unavailable');
		}
		const messageId = `m${this.posts.length + 1}`;
		const post: (typeof this.posts)[number] = { messageId, marker: deliveryMarker(task.id, clip.id) };
		if (clip.file) post.file = clip.file;
		else if (clip.audioUrl) post.link = clip.audioUrl;
		this.posts.push(post);
		if (this.loseAnswers > 0) {
			this.loseAnswers -= 1;
			throw new Error('socket hang up');
		}
		return { messageId };
	}
	async findDelivered(task: TaskRecord, clip: ClipRecord): Promise<string | undefined> {
		const marker = deliveryMarker(task.id, clip.id);
		this.lookups.push(marker);
		return this.posts.find((p) => p.marker === marker)?.messageId;
	}
	events(): TaskEvent[] {
		return this.updates.flatMap((u) => u.events);
	}
	markers(): string[] {
		return this.posts.map((p) => p.marker).sort();
	}
}

/** An audio cache that "downloads" instantly, or fails the first N times. */
export class MemoryAudio implements AudioCache {
	readonly downloads: string[] = [];
	readonly removed: string[] = [];
	failures = 0;
	async ensure(taskId: string, clipId: string, url: string): Promise<LocalAudio> {
		if (this.failures > 0) {
			this.failures -= 1;
			throw new Error(`download of ${url} failed`);
		}
		this.downloads.push(clipId);
		return { path: `/audio/${taskId}/${clipId}.mp3`, bytes: 1234 };
	}
	async remove(taskId: string): Promise<void> {
		this.removed.push(taskId);
	}
}
