/**
 * Messages between the bench orchestrator (bench/run.ts) and a worker process, over Node's IPC channel (JSON).
 * Each side of a comparison runs in a worker of its own, so its CPU time, peak RSS and child processes are its own.
 */

/** Orchestrator → worker. */
export type ToWorker =
	| { kind: 'start'; input: unknown }
	| { kind: 'reply'; id: number; value?: unknown; error?: string }
	| { kind: 'notify'; type: string; payload?: unknown };

/** Worker → orchestrator. */
export type FromWorker =
	| { kind: 'call'; id: number; type: string; payload?: unknown }
	| { kind: 'notify'; type: string; payload?: unknown }
	| { kind: 'result'; value: unknown }
	| { kind: 'failed'; error: string };
