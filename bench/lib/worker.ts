import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker } from './protocol.ts';

/** Answers a worker's `call(type, payload)`; may be async; a throw becomes the worker's rejection. */
export type CallHandler = (payload: unknown) => unknown;

export interface WorkerOptions {
	/** For error messages. */
	name: string;
	calls?: Record<string, CallHandler>;
	/** The worker is killed and `result` rejects after this long. */
	timeoutMs: number;
	/** Environment variables added to the worker's. */
	env?: Record<string, string>;
}

export interface WorkerHandle<R> {
	readonly pid: number;
	/** The worker's result; rejects when it failed, crashed or timed out (with the tail of its stderr). */
	readonly result: Promise<R>;
	notify(type: string, payload?: unknown): void;
	/** Notifications the worker sends. */
	on(type: string, listener: (payload: unknown) => void): void;
	kill(): void;
}

const STDERR_TAIL = 4_000;

/**
 * Starts `entry` (a module calling `runWorker` of bench/lib/ipc.ts) in a fresh Node process with `--expose-gc` and
 * hands it `input`. One process per side of a comparison keeps CPU, RSS and child processes apart.
 */
export function startWorker<R>(entry: URL, input: unknown, options: WorkerOptions): WorkerHandle<R> {
	const child = fork(fileURLToPath(entry), [], {
		execArgv: ['--expose-gc', '--disable-warning=ExperimentalWarning'],
		stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
		env: { ...process.env, NODE_ENV: 'production', ...options.env },
	});
	const events = new EventEmitter();
	let stderr = '';
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		stderr = (stderr + chunk).slice(-STDERR_TAIL);
	});
	const send = (message: ToWorker) => {
		if (child.connected) child.send(message);
	};
	const result = new Promise<R>((resolve, reject) => {
		const fail = (why: string) =>
			reject(new Error(`${options.name}: ${why}${stderr ? `\n--- stderr ---\n${stderr}` : ''}`));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			fail(`timed out after ${options.timeoutMs} ms`);
		}, options.timeoutMs);
		child.on('message', (raw) => {
			const message = raw as FromWorker;
			if (message.kind === 'result') {
				clearTimeout(timer);
				resolve(message.value as R);
			} else if (message.kind === 'failed') {
				clearTimeout(timer);
				fail(message.error);
			} else if (message.kind === 'notify') {
				events.emit(message.type, message.payload);
			} else {
				const handler = options.calls?.[message.type];
				Promise.resolve()
					.then(() => {
						if (!handler) throw new Error(`no handler for ${message.type}`);
						return handler(message.payload);
					})
					.then(
						(value) => send({ kind: 'reply', id: message.id, value }),
						(error: unknown) => send({ kind: 'reply', id: message.id, error: String(error) }),
					);
			}
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			// After a result this is a no-op: a settled promise ignores later rejections.
			fail(`exited with ${code ?? signal} before reporting a result`);
		});
	});
	child.send({ kind: 'start', input } satisfies ToWorker);
	return {
		pid: child.pid ?? -1,
		result,
		notify: (type, payload) => send({ kind: 'notify', type, payload }),
		on: (type, listener) => void events.on(type, listener),
		kill: () => void child.kill('SIGKILL'),
	};
}
