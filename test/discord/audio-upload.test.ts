import { describe, expect, it } from 'vitest';
import { ProviderError, UserError } from '../../src/core/errors.ts';
import type { SongProvider, Submitted, TaskSnapshot } from '../../src/core/provider.ts';
import { uploadAudio } from '../../src/discord/audio-upload.ts';

/** A provider port whose upload answers `submitted` and whose fetches answer `answers` in turn. */
function provider(submitted: Submitted, answers: (TaskSnapshot | Error | undefined)[]) {
	const fetched: string[] = [];
	const port: Pick<SongProvider, 'upload' | 'fetch'> = {
		upload: async () => submitted,
		fetch: async (refs) => {
			fetched.push(...refs.map((r) => `${r.taskId}/${r.kind}`));
			const answer = answers.shift();
			if (answer instanceof Error) throw answer;
			return new Map(answer ? [[answer.taskId, answer]] : []);
		},
	};
	return { port, fetched };
}

/** A clock that moves only when the code under test sleeps. */
function clock() {
	let now = 0;
	return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

const done = (taskId: string): TaskSnapshot => ({
	taskId,
	kind: 'upload',
	status: 'succeeded',
	clips: [{ id: 'clip-up', state: 'complete', audioUrl: 'https://cdn/x.mp3', durationSec: 30 }],
});

describe('uploading an attached file', () => {
	it('GIVEN a provider that answers with a finished upload THEN no status request is made', async () => {
		const { port, fetched } = provider({ taskId: 'u1', snapshot: done('u1') }, []);
		const clip = await uploadAudio(port, 'https://cdn/x.mp3', { intervalMs: 10, timeoutMs: 100, ...clock() });
		expect(clip).toEqual({ taskId: 'u1', clipId: 'clip-up', durationSec: 30 });
		expect(fetched).toEqual([]);
	});

	it('GIVEN an upload task to poll THEN asks as an upload until it is done, through a passing outage', async () => {
		const queued: TaskSnapshot = { taskId: 'u2', kind: 'upload', status: 'queued', clips: [] };
		const outage = new ProviderError({ kind: 'unavailable' });
		const { port, fetched } = provider({ taskId: 'u2' }, [queued, outage, done('u2')]);
		const clip = await uploadAudio(port, 'https://cdn/x.mp3', { intervalMs: 10, timeoutMs: 100, ...clock() });
		expect(clip.clipId).toBe('clip-up');
		expect(fetched).toEqual(['u2/upload', 'u2/upload', 'u2/upload']);
	});

	it('GIVEN an upload that never finishes THEN gives up at the deadline with a clear message', async () => {
		const queued: TaskSnapshot = { taskId: 'u3', kind: 'upload', status: 'running', clips: [] };
		const { port, fetched } = provider(
			{ taskId: 'u3' },
			Array.from({ length: 50 }, () => queued),
		);
		const error = await uploadAudio(port, 'https://cdn/x.mp3', { intervalMs: 10, timeoutMs: 60, ...clock() }).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(UserError);
		expect((error as UserError).id).toBe('upload.timeout');
		expect(fetched.length).toBe(6);
	});

	it('GIVEN the provider rejects the file THEN says so without its raw reason', async () => {
		const failed: TaskSnapshot = { taskId: 'u4', kind: 'upload', status: 'failed', failureReason: 'ERR 77', clips: [] };
		const { port } = provider({ taskId: 'u4' }, [failed]);
		const error = await uploadAudio(port, 'https://cdn/x.mp3', { intervalMs: 10, timeoutMs: 60, ...clock() }).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(UserError);
		expect(error).toMatchObject({ id: 'upload.failed' });
		expect(String((error as Error).message)).not.toContain('ERR 77');
	});

	it('GIVEN a lasting error such as a bad key THEN it is not swallowed', async () => {
		const { port } = provider({ taskId: 'u5' }, [new ProviderError({ kind: 'auth' })]);
		await expect(uploadAudio(port, 'https://cdn/x.mp3', { intervalMs: 10, timeoutMs: 60, ...clock() })).rejects.toThrow(
			ProviderError,
		);
	});
});
