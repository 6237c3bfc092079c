import { type EngineSettings, FakeEngine } from './engine.ts';
import { NewApiDriver } from './newapi.ts';
import { FakeServer } from './server.ts';
import { SunoApiDriver } from './sunoapi.ts';
import type {
	FakeFamily,
	FakeMode,
	FakeProviderOptions,
	FakeTask,
	FaultKind,
	ServerFaultKind,
	FaultSpec,
	NewApiMode,
	Outcome,
	RecordedRequest,
	RouteClass,
	SentCallback,
	SunoApiMode,
	Timeline,
	V1MusicMode,
} from './types.ts';
import { V1MusicDriver } from './v1music.ts';

export type * from './types.ts';

/**
 * A fake music provider on 127.0.0.1 speaking one family's wire format with its quirks, serving the
 * real audio fixtures, recording every request, and scriptable from tests. See README.md here.
 */
export interface FakeProvider {
	readonly family: FakeFamily;
	readonly mode: FakeMode;
	/** What to configure as SUNO_BASE_URL (includes the family-A mount prefix, if any). */
	readonly baseUrl: string;
	/** `http://127.0.0.1:<port>` without any prefix. */
	readonly origin: string;
	readonly apiKey: string;
	/** Every request received, files included, in order. */
	readonly requests: RecordedRequest[];
	/** Every callback (B) / notify_hook (A reseller) sent, with the receiver's status or error. */
	readonly callbacks: SentCallback[];
	readonly tasks: ReadonlyMap<string, FakeTask>;
	/** Requests of one route class (`submit`, `fetch`, `credits`, `file`, `other`) or one op (`generate`, `fetch-one`, ...). */
	requestsOf(routeOrOp: RouteClass | string): RecordedRequest[];
	/** The task with this id; throws when unknown. */
	task(id: string): FakeTask;
	readonly credits: number;
	setCredits(credits: number): void;
	/** Outcome of tasks created from now on, or of one existing task. */
	setOutcome(outcome: Outcome, taskId?: string): void;
	setTimeline(timeline: Timeline): void;
	/** Scripts a fault: `inject('rate_limited')`, `inject('unavailable', {on: 'fetch', times: 2})`, `inject({status: 500, raw: 'x'})`. */
	inject(fault: FaultKind | ServerFaultKind | FaultSpec, options?: Omit<FaultSpec, 'kind'>): void;
	clearFaults(): void;
	/** Moves one task (or every unfinished task) `steps` stages forward, honouring its outcome. */
	advance(taskId?: string, steps?: number): void;
	/** Walks the task to success through every stage (callbacks included). */
	completeTask(taskId: string): void;
	/** Fails the task now; `policy` makes it a content-policy refusal, `partial` keeps take 1. */
	/** Family B: `code` is the callback code (400, 413, 501, 531), `status` the record-info status. */
	failTask(
		taskId: string,
		options?: { reason?: string; policy?: boolean; partial?: boolean; code?: number; status?: string },
	): void;
	/** Sends the callbacks of the task's current stage again (duplicates, late deliveries). */
	resendCallbacks(taskId: string): void;
	/** Resolves when every callback sent so far has been answered. */
	flushCallbacks(): Promise<void>;
	/** Forgets tasks, requests, callbacks and faults; restores the start options. */
	reset(): void;
	close(): Promise<void>;
}

const DEFAULT_MODE: Record<FakeFamily, FakeMode> = { newapi: 'newapi', sunoapi: 'sunoapi', v1music: 'v1music' };

export async function startFakeProvider(options: FakeProviderOptions): Promise<FakeProvider> {
	const mode = options.mode ?? DEFAULT_MODE[options.family];
	const apiKey = options.apiKey ?? 'sk-fake-provider-key-0001';
	const initialSettings = (): EngineSettings => ({
		outcome: options.outcome ?? 'success',
		timeline: options.timeline ?? { type: 'polls', every: 1 },
		credits: options.credits ?? 1000,
		blockedWords: options.blockedWords ?? ['forbidden'],
		duplicateCallbacks: options.duplicateCallbacks ?? false,
		brokenAudio: options.brokenAudio ?? false,
		rateLimit: options.rateLimit,
	});
	const engine = new FakeEngine(initialSettings());
	const server = new FakeServer(engine, options.family === 'newapi' ? (options.pathPrefix ?? '') : '');
	const studio = options.studio;
	if (studio?.compose) engine.compose = (task) => studio.compose?.(task);
	server.studio = studio;
	server.fileOrigin = options.fileOrigin;
	switch (options.family) {
		case 'newapi':
			server.driver = new NewApiDriver(engine, server, {
				mode: mode as NewApiMode,
				apiKey,
				notifyWrapped: options.notifyWrapped ?? false,
				lyricsSubmitDelayMs: options.lyricsSubmitDelayMs ?? 300,
				concatRefusal: options.concatRefusal ?? 'invalid_action',
			});
			break;
		case 'sunoapi':
			server.driver = new SunoApiDriver(engine, server, {
				mode: mode as SunoApiMode,
				apiKey,
				...(options.webhookKey ? { webhookKey: options.webhookKey } : {}),
			});
			break;
		case 'v1music':
			server.driver = new V1MusicDriver(engine, server, {
				mode: mode as V1MusicMode,
				apiKey,
				routes: options.queryRoutes ?? {},
			});
			break;
	}
	await server.listen(options.host ?? '127.0.0.1', options.port ?? 0);
	const task = (id: string): FakeTask => {
		const found = engine.tasks.get(id);
		if (!found) throw new Error(`fake ${options.family}: no task ${id}`);
		return found;
	};
	return {
		family: options.family,
		mode,
		baseUrl: `${server.origin}${server.prefix}`,
		origin: server.origin,
		apiKey,
		requests: server.requests,
		callbacks: engine.callbacks,
		tasks: engine.tasks,
		requestsOf: (key) => server.requests.filter((r) => r.route === key || r.op === key),
		task,
		get credits() {
			return engine.settings.credits;
		},
		setCredits: (credits) => {
			engine.settings.credits = credits;
		},
		setOutcome: (outcome, taskId) => {
			if (taskId === undefined) engine.settings.outcome = outcome;
			else task(taskId).outcome = outcome;
		},
		setTimeline: (timeline) => {
			engine.settings.timeline = timeline;
		},
		inject: (fault, extra = {}) =>
			server.addFault(typeof fault === 'string' ? { ...extra, kind: fault } : { ...fault, ...extra }),
		clearFaults: () => {
			server.faults.length = 0;
		},
		advance: (taskId, steps = 1) => {
			const targets = taskId === undefined ? [...engine.tasks.values()] : [task(taskId)];
			for (const t of targets) engine.advance(t, steps);
		},
		completeTask: (taskId) => engine.complete(task(taskId)),
		failTask: (taskId, how = {}) => {
			const t = task(taskId);
			// Family B's code 531: failed, and the provider gives the credits of the generation back.
			if (options.family === 'sunoapi' && how.code === 531 && t.stage !== 'done' && t.stage !== 'failed')
				engine.settings.credits += t.kind === 'lyrics' ? 2 : 10;
			engine.fail(t, how);
		},
		resendCallbacks: (taskId) => {
			const t = task(taskId);
			engine.onStage(t, t.stage);
		},
		flushCallbacks: () => engine.flush(),
		reset: () => {
			engine.reset(initialSettings());
			server.requests.length = 0;
			server.faults.length = 0;
		},
		close: async () => {
			engine.stop();
			await engine.flush();
			await server.close();
		},
	};
}
