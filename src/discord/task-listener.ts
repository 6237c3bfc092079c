import type { TaskRecord } from '../core/records.ts';
import type { TaskSink } from '../core/sink.ts';

/**
 * The sink the tracker is given: the Discord sink, plus `listener` told of every task it renders. The sink itself
 * stays as it is (its delivery rules are its own); the listener only looks.
 */
export function withTaskListener(sink: TaskSink, listener: (task: TaskRecord) => void): TaskSink {
	return {
		update: async (task, events) => {
			await sink.update(task, events);
			listener(task);
		},
		// Every argument is passed on as is (the delivery options included).
		deliver: (...args) => sink.deliver(...args),
		findDelivered: (...args) => sink.findDelivered(...args),
	};
}
