import process from 'node:process';
import type { FromWorker, ToWorker } from './protocol.ts';

/** What a worker can ask of the orchestrator that started it. */
export interface Orchestrator {
	/** A request the orchestrator answers (e.g. voice credentials); rejects with its error. */
	call<T>(type: string, payload?: unknown): Promise<T>;
	notify(type: string, payload?: unknown): void;
	/** Resolves with the next notification of `type` from the orchestrator (or one that arrived before). */
	next<T>(type: string): Promise<T>;
}

/**
 * The worker side of bench/lib/worker.ts: waits for the input, runs `main`, sends its result and exits (open
 * sockets or timers of the code under test never keep a finished worker alive).
 */
export function runWorker<I, R>(main: (input: I, orchestrator: Orchestrator) => Promise<R>): void {
	if (!process.send) throw new Error('bench workers are started by bench/run.ts, not directly');
	const send = (message: FromWorker, then?: () => void) => process.send?.(message, undefined, undefined, then);
	const calls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
	const waiting = new Map<string, ((payload: unknown) => void)[]>();
	const early = new Map<string, unknown[]>();
	let seq = 0;

	const orchestrator: Orchestrator = {
		call<T>(type: string, payload?: unknown): Promise<T> {
			const id = ++seq;
			return new Promise<T>((resolve, reject) => {
				calls.set(id, { resolve: (value) => resolve(value as T), reject });
				send({ kind: 'call', id, type, payload });
			});
		},
		notify: (type, payload) => send({ kind: 'notify', type, payload }),
		next<T>(type: string): Promise<T> {
			const queued = early.get(type);
			if (queued && queued.length > 0) return Promise.resolve(queued.shift() as T);
			return new Promise<T>((resolve) => {
				const list = waiting.get(type) ?? [];
				list.push((payload) => resolve(payload as T));
				waiting.set(type, list);
			});
		},
	};

	const finish = (message: FromWorker) => send(message, () => process.exit(message.kind === 'result' ? 0 : 1));

	process.on('message', (raw) => {
		const message = raw as ToWorker;
		if (message.kind === 'start') {
			main(message.input as I, orchestrator).then(
				(value) => finish({ kind: 'result', value }),
				(error: unknown) =>
					finish({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
			);
		} else if (message.kind === 'reply') {
			const call = calls.get(message.id);
			calls.delete(message.id);
			if (message.error !== undefined) call?.reject(new Error(message.error));
			else call?.resolve(message.value);
		} else {
			const listener = waiting.get(message.type)?.shift();
			if (listener) listener(message.payload);
			else early.set(message.type, [...(early.get(message.type) ?? []), message.payload]);
		}
	});
}
