import { randomUUID } from 'node:crypto';
import type { FakeClip, FakeTask, Outcome, SentCallback, Stage, Timeline } from './types.ts';

/**
 * The family-neutral heart of the fakes: tasks moving through stages on a timeline, outcomes,
 * credits, throttling and callback delivery. Families only render what is here.
 */

const MUSIC_STAGES: Stage[] = ['submitted', 'queued', 'text', 'streaming', 'first', 'done'];
const SHORT_STAGES: Stage[] = ['submitted', 'queued', 'done'];
const TAKES: Record<FakeClip['audio'], number> = { 'take-1': 12, 'take-2': 9, broken: 4 };

export type ClipPhase = 'pending' | 'text' | 'streaming' | 'complete' | 'error';

export interface TaskInit {
	id: string;
	kind: FakeTask['kind'];
	op: string;
	request: Record<string, unknown>;
	model: string;
	/** Texts checked against the blocked words. */
	texts: readonly unknown[];
	title?: string;
	tags?: string;
	lyrics?: string;
	clipCount?: number;
	clipType?: FakeClip['type'];
	callbackUrl?: string | undefined;
	sourceTaskId?: string | undefined;
	sourceClipId?: string | undefined;
}

export interface EngineSettings {
	outcome: Outcome;
	timeline: Timeline;
	credits: number;
	blockedWords: string[];
	duplicateCallbacks: boolean;
	brokenAudio: boolean;
	rateLimit?: { max: number; windowMs: number } | undefined;
}

export class FakeEngine {
	readonly tasks = new Map<string, FakeTask>();
	readonly callbacks: SentCallback[] = [];
	settings: EngineSettings;
	/** Called after every stage change; the family sends its callbacks from here. */
	onStage: (task: FakeTask, previous: Stage) => void = () => {};
	/** Called once per new task before it is stored (a studio's made-up titles, lyrics and durations). */
	compose: (task: FakeTask) => void = () => {};
	#timers = new Set<NodeJS.Timeout>();
	#pending = new Set<Promise<void>>();
	#chains = new Map<string, Promise<void>>();
	#submits: number[] = [];

	constructor(settings: EngineSettings) {
		this.settings = settings;
	}

	create(init: TaskInit): FakeTask {
		const now = Date.now();
		const blocked = init.texts.some(
			(t) => typeof t === 'string' && this.settings.blockedWords.some((w) => t.toLowerCase().includes(w.toLowerCase())),
		);
		const count = init.clipCount ?? (init.kind === 'lyrics' ? 0 : 2);
		const clips: FakeClip[] = Array.from({ length: count }, (_, index) => {
			const audio = index === 0 ? 'take-1' : this.settings.brokenAudio ? 'broken' : 'take-2';
			return {
				id: randomUUID(),
				index,
				title: init.title || `Fake Song ${this.tasks.size + 1}`,
				tags: init.tags ?? 'pop',
				lyrics: init.lyrics || '[Verse]\nA fake little song\nplayed all night long',
				audio,
				durationSec: init.clipType === 'concat' ? 21 : TAKES[audio],
				createdAt: now,
				type: init.clipType ?? 'gen',
			};
		});
		const task: FakeTask = {
			id: init.id,
			kind: init.kind,
			op: init.op,
			request: init.request,
			model: init.model,
			stage: 'submitted',
			outcome: blocked ? 'content_policy' : this.settings.outcome,
			clips,
			createdAt: now,
			polls: 0,
			...(init.callbackUrl ? { callbackUrl: init.callbackUrl } : {}),
			...(init.sourceTaskId ? { sourceTaskId: init.sourceTaskId } : {}),
			...(init.sourceClipId ? { sourceClipId: init.sourceClipId } : {}),
		};
		if (init.kind === 'lyrics') {
			const theme = typeof init.request.prompt === 'string' ? init.request.prompt : 'a song';
			task.lyrics = [1, 2].map((n) => ({
				title: `Lyrics ${n}`,
				text: `[Verse]\nVersion ${n} about ${theme}\n[Chorus]\nLa la la`,
			}));
		}
		this.compose(task);
		this.tasks.set(task.id, task);
		this.#schedule(task);
		return task;
	}

	/** The sequence of stages this task walks through when all goes well. */
	stagesOf(task: FakeTask): Stage[] {
		return task.kind === 'music' ? MUSIC_STAGES : SHORT_STAGES;
	}

	isTerminal(task: FakeTask): boolean {
		return task.stage === 'done' || task.stage === 'failed';
	}

	/** A poll of this task: on a polls timeline, every N-th poll moves it one stage. */
	poll(task: FakeTask): void {
		task.polls++;
		const t = this.settings.timeline;
		if (t.type === 'polls' && task.polls % Math.max(1, t.every ?? 1) === 0) this.advance(task);
	}

	/** One stage forward, honouring the task's outcome. */
	advance(task: FakeTask, steps = 1): void {
		for (let i = 0; i < steps && !this.isTerminal(task); i++) {
			const stages = this.stagesOf(task);
			const next = stages[stages.indexOf(task.stage) + 1] ?? 'done';
			const afterQueue = next !== 'queued' && next !== 'submitted';
			if (task.outcome === 'content_policy' && afterQueue) {
				this.fail(task, { policy: true });
			} else if (task.outcome === 'failure' && (next === 'first' || (task.kind !== 'music' && next === 'done'))) {
				this.fail(task, {});
			} else if (task.outcome === 'stuck' && (next === 'first' || (task.kind !== 'music' && next === 'done'))) {
				return;
			} else if (task.outcome === 'partial' && next === 'done' && task.kind === 'music') {
				this.fail(task, { partial: true });
			} else {
				this.setStage(task, next);
			}
		}
	}

	/** Walks the task to success through every stage (so each stage's callbacks are sent). */
	complete(task: FakeTask): void {
		while (!this.isTerminal(task)) {
			const stages = this.stagesOf(task);
			this.setStage(task, stages[stages.indexOf(task.stage) + 1] ?? 'done');
		}
	}

	fail(
		task: FakeTask,
		how: { reason?: string; policy?: boolean; partial?: boolean; code?: number; status?: string },
	): void {
		if (this.isTerminal(task)) return;
		const policy = how.policy === true;
		const reason =
			how.reason ??
			(policy
				? 'Song description contains artist name or sensitive words'
				: how.partial
					? 'The second take failed to generate'
					: 'Internal Error, Please try again later.');
		task.failure = {
			reason,
			policy,
			partial: how.partial === true,
			...(how.code === undefined ? {} : { code: how.code }),
			...(how.status === undefined ? {} : { status: how.status }),
		};
		this.setStage(task, 'failed');
	}

	setStage(task: FakeTask, stage: Stage): void {
		const previous = task.stage;
		if (previous === stage) return;
		task.stage = stage;
		const now = Date.now();
		if (task.startedAt === undefined && (stage === 'streaming' || stage === 'text')) task.startedAt = now;
		if (stage === 'done' || stage === 'failed') task.finishedAt = now;
		this.onStage(task, previous);
		this.#schedule(task);
	}

	/** What one clip looks like at the task's current stage. */
	phase(task: FakeTask, clip: FakeClip): ClipPhase {
		switch (task.stage) {
			case 'submitted':
			case 'queued':
				return 'pending';
			case 'text':
				return 'text';
			case 'streaming':
				return 'streaming';
			case 'first':
				return clip.index === 0 ? 'complete' : 'streaming';
			case 'done':
				return 'complete';
			case 'failed':
				return task.failure?.partial && clip.index === 0 ? 'complete' : 'error';
		}
	}

	/** Charges `cost` credits; false (and nothing charged) when the account cannot pay. */
	charge(cost: number): boolean {
		if (this.settings.credits < cost) return false;
		this.settings.credits -= cost;
		return true;
	}

	/** True when this submit exceeds the configured rate limit. */
	throttled(): boolean {
		const limit = this.settings.rateLimit;
		if (!limit) return false;
		const now = Date.now();
		this.#submits = this.#submits.filter((t) => now - t < limit.windowMs);
		if (this.#submits.length >= limit.max) return true;
		this.#submits.push(now);
		return false;
	}

	/** POSTs `body` to `url`; per task in order, twice when duplicates are on. */
	/** Extra headers of each callback (kie's signature), set by the family driver. */
	signCallback?: (taskId: string) => Record<string, string>;

	sendCallback(task: FakeTask, url: string, body: unknown): void {
		const times = this.settings.duplicateCallbacks ? 2 : 1;
		for (let i = 0; i < times; i++) {
			const previous = this.#chains.get(task.id) ?? Promise.resolve();
			const next = previous.then(() => this.#deliver(task.id, url, body));
			this.#chains.set(task.id, next);
			this.#pending.add(next);
			void next.finally(() => this.#pending.delete(next));
		}
	}

	/** Resolves when every callback sent so far has been answered (or failed). */
	async flush(): Promise<void> {
		while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
	}

	reset(settings: EngineSettings): void {
		this.stop();
		this.tasks.clear();
		this.callbacks.length = 0;
		this.#submits = [];
		this.settings = settings;
	}

	stop(): void {
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
	}

	/** On a clock timeline, the next stage is due `stepMs` after this one. */
	#schedule(task: FakeTask): void {
		const t = this.settings.timeline;
		if (t.type !== 'clock' || this.isTerminal(task)) return;
		const timer = setTimeout(() => {
			this.#timers.delete(timer);
			this.advance(task);
		}, t.stepMs);
		timer.unref();
		this.#timers.add(timer);
	}

	async #deliver(taskId: string, url: string, body: unknown): Promise<void> {
		const record: SentCallback = { taskId, url, body, at: Date.now() };
		this.callbacks.push(record);
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...this.signCallback?.(taskId) },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(15_000),
			});
			record.status = response.status;
			await response.arrayBuffer();
		} catch (error) {
			record.error = error instanceof Error ? error.message : String(error);
		}
	}
}
