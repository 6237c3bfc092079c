import { describe, expect, it, vi } from 'vitest';
import { intentRecord, newIntentId } from '../../src/core/intent.ts';
import type { TaskRecord } from '../../src/core/records.ts';
import { TaskRepository } from '../../src/core/repository.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { song, who } from './tracker-setup.ts';

describe('the task repository', () => {
	it('GIVEN a song settling WHEN a command reads it while the store still writes its indexes THEN it gets the record the store holds, not the older copy in memory', async () => {
		const store = createMemoryStore();
		let release: () => void = () => {};
		let holdIndexes = false;
		// The real store, whose record lands before its indexes (as KeyvStore.saveTask writes them), held there.
		const repo = new TaskRepository({
			getTask: (id) => store.getTask(id),
			async saveTask(record: TaskRecord, before?: TaskRecord) {
				await store.saveTask(record, before);
				if (holdIndexes) await new Promise<void>((resolve) => (release = resolve));
			},
		});
		const running = intentRecord(newIntentId(), 'sunoapi', { request: song, ...who }, 0);
		await repo.save(running);
		expect((await repo.get(running.id))?.settledAt).toBeUndefined();

		holdIndexes = true;
		const settled: TaskRecord = { ...running, settledAt: 5, updatedAt: 5 };
		const saving = repo.save(settled, running);
		await vi.waitFor(async () => expect((await store.getTask(running.id))?.settledAt).toBe(5));
		expect((await repo.get(running.id))?.settledAt).toBe(5);
		release();
		await saving;
		expect((await repo.get(running.id))?.settledAt).toBe(5);
	});
});
