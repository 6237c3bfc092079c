import type { Logger } from '../log.ts';
import { NotSentError, ProviderError } from './errors.ts';
import type { Fleet } from './fleet.ts';
import {
	answerLost,
	canBind,
	intentRecord,
	isIntentId,
	moved,
	newIntentId,
	refused,
	settleMoved,
	taskOf,
} from './intent.ts';
import type { ReportResult, ReportSource, TrackerMetrics } from './ports.ts';
import type { Family, SongProvider, SubmitOptions, Submitted, TaskSnapshot } from './provider.ts';
import { isPollable, type Recovery, type TaskRecord } from './records.ts';
import type { TaskRepository } from './repository.ts';
import { callProvider } from './submit.ts';
import { apply, type TaskEvent, type Transition } from './task.ts';
import type { SubmitInput } from './tracker-types.ts';

export interface IntakeDeps {
	provider: SongProvider;
	repo: TaskRepository;
	fleet: Fleet;
	/** The tracker's change of a record (saved, then announced). */
	mutate(id: string, change: (r: TaskRecord) => Transition | undefined): Promise<TaskRecord | undefined>;
	/** Starts looking after a record just saved. */
	keep(record: TaskRecord, nextPollAt: number): void;
	/** Shows the record on its tracker message (the task that takes over from an intent: its id at once). */
	show(id: string, events: readonly TaskEvent[]): void;
	report(snapshot: TaskSnapshot, source: ReportSource, family?: Family): Promise<ReportResult>;
	/** Base callback URL (without the intent id); undefined = polling only. */
	callbackUrl: string | undefined;
	fastMs: number;
	metrics: TrackerMetrics;
	log: Logger;
	now: () => number;
	wake(): void;
}

/**
 * How requests enter the tracker: the intent is saved before the submit leaves the bot; the answer (or the
 * first callback naming the intent) turns it into the provider's task; a lost answer is shown on the tracker
 * message and waited for, never silently dropped and never sent again.
 */
export function createIntake(deps: IntakeDeps) {
	const { provider, repo, fleet, log, now } = deps;
	const recovery: Recovery = deps.callbackUrl && provider.capabilities.callbacks ? 'callback' : 'none';

	const inFlight = new Set<Promise<unknown>>();

	/** Submits in flight finish (their answers saved) before an orderly stop gives the leases back. */
	function submit(input: SubmitInput): Promise<TaskRecord> {
		const running = send(input);
		inFlight.add(running);
		void running.catch(() => {}).finally(() => inFlight.delete(running));
		return running;
	}

	async function idle(): Promise<void> {
		while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
	}

	async function send(input: SubmitInput): Promise<TaskRecord> {
		const r = input.request;
		try {
			// Input the provider would refuse is refused here, before anything is saved or sent.
			if (r.action === 'generate' || r.action === 'extend' || r.action === 'cover') provider.validate(r.request);
		} catch (error) {
			deps.metrics.failed(error instanceof ProviderError ? error.kind : 'generation');
			throw error;
		}
		const intentId = newIntentId();
		const intent = intentRecord(intentId, provider.family, input, now());
		if (!(await fleet.acquire(intentId))) log.error({ intentId }, 'a new intent is leased elsewhere');
		try {
			await repo.locked(intentId, async () => {
				await repo.save(intent);
				deps.keep(intent, now());
			});
		} catch (error) {
			// Never sent unsaved: a lost answer could not be recovered. Nothing left the bot, so nothing is owed.
			await fleet.release(intentId).catch(() => {});
			throw new NotSentError(error);
		}
		const opts: SubmitOptions = {};
		// The intent id in the path lets the first callback name the task even if the answer below is lost.
		if (deps.callbackUrl) opts.callbackUrl = `${deps.callbackUrl}/${intentId}`;
		if (input.signal) opts.signal = input.signal;
		let submitted: Submitted;
		try {
			submitted = await callProvider(provider, input.request, opts);
		} catch (error) {
			deps.metrics.failed(error instanceof ProviderError ? error.kind : 'generation');
			if (error instanceof ProviderError && error.maybeAccepted) {
				log.warn({ err: error, intentId, recovery }, 'submit answer lost; the provider may have the request');
				return (await deps.mutate(intentId, (r) => answerLost(r, recovery, now()))) ?? intent;
			}
			const reason =
				error instanceof ProviderError
					? { kind: error.kind, message: error.userMessage }
					: { kind: 'generation' as const, message: 'The request could not be sent.' };
			await deps.mutate(intentId, (r) => refused(r, reason, now()));
			throw error;
		}
		const record = await bind(intentId, submitted.taskId, submitted.snapshot);
		if (record === undefined && !fleet.holds(intentId)) {
			// The intent's lease moved to another process while the answer was on its way (a pause, a partition):
			// the answer goes to that process, which binds it, rather than being lost here.
			const snapshot = submitted.snapshot ?? {
				taskId: submitted.taskId,
				kind: intent.kind,
				status: 'queued',
				clips: [],
			};
			await fleet.forward(intentId, { snapshot, source: 'submit', family: provider.family, intentId });
		}
		const guildId = input.place.guildId;
		log.info({ taskId: submitted.taskId, intentId, action: input.request.action, guildId }, 'task submitted');
		if (submitted.snapshot) await deps.report(submitted.snapshot, 'submit');
		deps.wake();
		return (await repo.get(submitted.taskId)) ?? record ?? intent;
	}

	/** The intent's task id is known (from the answer or a callback): its own record takes over. */
	async function bind(intentId: string, taskId: string, snapshot?: TaskSnapshot): Promise<TaskRecord | undefined> {
		const intent = await deps.mutate(intentId, (r) => moved(r, taskId, now()));
		if (intent?.state.status !== 'moved') return undefined;
		if (intent.state.taskId !== taskId) {
			log.warn({ intentId, taskId, bound: intent.state.taskId }, 'intent already names another task');
			return undefined;
		}
		return finishMove(intent, taskId, snapshot);
	}

	/** Saves the task's record (unless it exists), then settles the intent: a crash in between is redone. */
	async function finishMove(intent: TaskRecord, taskId: string, snapshot?: TaskSnapshot): Promise<TaskRecord> {
		let events: readonly TaskEvent[] = [];
		// The lease first, so no other process adopts the new record before this one tracks it.
		if (!fleet.holds(taskId) && !(await fleet.acquire(taskId))) log.error({ taskId }, 'a new task is leased elsewhere');
		const record = await repo.locked(taskId, async () => {
			const existing = await repo.get(taskId);
			if (existing) return existing;
			// A submit answer still in progress goes in the first write (its report then changes nothing): one write
			// less. An answer that ends the task takes the report's way (refund, failure count).
			const created = taskOf(intent, taskId, now());
			const first = snapshot && apply(created, snapshot, now());
			const fresh = first && isPollable(first.record) ? first.record : created;
			if (first && fresh === first.record) events = first.events;
			await repo.save(fresh);
			deps.keep(fresh, now() + deps.fastMs);
			return fresh;
		});
		await deps.mutate(intent.id, (r) => settleMoved(r, now()));
		deps.show(taskId, events);
		deps.wake();
		return record;
	}

	/**
	 * A callback whose URL names an intent and whose body names a task nobody knows yet: the lost answer, found.
	 * Returns `forwarded` when another process holds the intent (it binds it when it applies the update).
	 */
	async function bindFromCallback(
		intentId: string,
		snapshot: TaskSnapshot,
		source: ReportSource,
		family: Family,
	): Promise<'bound' | 'forwarded' | 'no'> {
		if (!isIntentId(intentId) || (await repo.get(snapshot.taskId)) !== undefined) return 'no';
		const intent = await repo.read(intentId);
		if (intent === undefined || intent.family !== family || !canBind(intent)) return 'no';
		if (!fleet.holds(intentId) && !(await fleet.claim(intentId))) {
			return (await fleet.forward(intentId, { snapshot, source, family, intentId })) ? 'forwarded' : 'no';
		}
		const record = await bind(intentId, snapshot.taskId);
		if (record) log.info({ intentId, taskId: record.id }, 'lost submit answer recovered from a callback');
		return record ? 'bound' : 'no';
	}

	/** `tracker.report`, plus the intent named in a callback URL: a lost submit answer is bound to its task first. */
	async function report(
		snapshot: TaskSnapshot,
		source: ReportSource,
		family: Family = provider.family,
		intentId?: string,
	): Promise<ReportResult> {
		if (intentId !== undefined && (await bindFromCallback(intentId, snapshot, source, family)) === 'forwarded') {
			return 'forwarded';
		}
		return deps.report(snapshot, source, family);
	}

	/** After a restart or a takeover: an intent still `sending` lost its answer with the process that sent it. */
	async function recover(id: string): Promise<void> {
		const record = await repo.get(id);
		if (record === undefined || record.settledAt !== undefined) return;
		if (record.state.status === 'sending') {
			log.warn({ intentId: id }, 'a submit was cut off before its answer was saved; the provider may have it');
			await deps.mutate(id, (r) => answerLost(r, recovery, now()));
		} else if (record.state.status === 'moved') {
			await finishMove(record, record.state.taskId);
		}
	}

	return { submit, report, recover, idle };
}
