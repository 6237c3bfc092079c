import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { TrackerMetrics } from '../core/ports.ts';

/** Why the HTTP server turned a callback away before it reached the tracker. */
export type CallbackRejection = 'unauthorized' | 'wrong_family' | 'too_large' | 'invalid';

export interface Metrics {
	registry: Registry;
	/** Handed to the tracker. */
	tracker: TrackerMetrics;
	callbackRejected(reason: CallbackRejection): void;
}

/**
 * Prometheus figures for operators and the bench, on a registry of their own (no global state).
 * Polls per minute: `rate(songbot_status_requests_total[1m]) * 60`.
 */
export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
	const registry = new Registry();
	const registers = [registry];
	if (options.defaults ?? true) collectDefaultMetrics({ register: registry, prefix: 'songbot_' });
	const active = new Gauge({ name: 'songbot_active_tasks', help: 'Song tasks not yet settled', registers });
	const statusRequests = new Counter({
		name: 'songbot_status_requests_total',
		help: 'Status requests sent to the music provider (a batch counts once)',
		registers,
	});
	const polledTasks = new Counter({
		name: 'songbot_polled_tasks_total',
		help: 'Task statuses asked for by polling',
		registers,
	});
	const callbacks = new Counter({
		name: 'songbot_callbacks_total',
		help: 'Provider callbacks received, by what became of them',
		labelNames: ['result'] as const,
		registers,
	});
	const reports = new Counter({
		name: 'songbot_reports_total',
		help: 'Task snapshots reported to the tracker, by source and result',
		labelNames: ['source', 'result'] as const,
		registers,
	});
	const deliveries = new Counter({ name: 'songbot_deliveries_total', help: 'Takes posted to Discord', registers });
	const failures = new Counter({
		name: 'songbot_failures_total',
		help: 'Failed song tasks and refused submits, by kind',
		labelNames: ['kind'] as const,
		registers,
	});

	return {
		registry,
		tracker: {
			statusRequests(requests, tasks) {
				statusRequests.inc(requests);
				polledTasks.inc(tasks);
			},
			reported(source, result) {
				reports.inc({ source, result });
				if (source === 'callback') callbacks.inc({ result });
			},
			delivered() {
				deliveries.inc();
			},
			failed(kind) {
				failures.inc({ kind });
			},
			activeTasks(count) {
				active.set(count);
			},
		},
		callbackRejected(reason) {
			callbacks.inc({ result: reason });
		},
	};
}
