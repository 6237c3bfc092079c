import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SongRequest } from '../../src/core/records.ts';
import type { ToolRequest } from '../../src/core/studio.ts';
import { type Rig, song, startRig, waitFor, who } from './rig.ts';

let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

/** A finished song at the fake, made outside the tracker: the take the tools work on. */
async function finishedTake(r: Rig): Promise<{ taskId: string; clipId: string }> {
	const { id } = await r.tracker.submit({ request: song(), ...who });
	r.fake.completeTask(id);
	await waitFor('the song settles', () => r.tracker.activeCount() === 0);
	await r.tracker.idle();
	return { taskId: id, clipId: r.fake.task(id).clips[0]?.id as string };
}

const tool = (t: ToolRequest): SongRequest => ({ action: 'tool', tool: t });

describe('studio tools through the durable tracker (family-B fake, real adapter, SQLite)', () => {
	it('GIVEN a split with callbacks THEN vocals and instrumental are downloaded and posted exactly once each', async () => {
		rig = await startRig(
			{ family: 'sunoapi', duplicateCallbacks: true, timeline: { type: 'manual' } },
			{ callbacks: true },
		);
		const source = await finishedTake(rig);
		const before = rig.sink.posts.length;
		const { id } = await rig.tracker.submit({ request: tool({ tool: 'split', request: { source } }), ...who });
		expect(rig.fake.requestsOf('split')[0]?.body).toMatchObject({ type: 'separate_vocal', audioId: source.clipId });
		rig.fake.completeTask(id);
		await rig.fake.flushCallbacks();
		await waitFor('the split settles', () => rig!.tracker.activeCount() === 0);
		await rig.tracker.idle();
		const posts = rig.sink.posts.slice(before);
		expect(posts.map((p) => p.marker).sort()).toEqual([`songbot:${id}:stem-instrumental`, `songbot:${id}:stem-vocals`]);
		for (const post of posts) expect(statSync(post.file!.path).size).toBeGreaterThan(1000);
		const record = await rig.store.getTask(id);
		expect(record).toMatchObject({ kind: 'split', state: { status: 'delivered' } });
		expect(record?.clips.map((c) => c.stem)).toEqual(['vocals', 'instrumental']);
	});

	it('GIVEN a WAV without callbacks THEN polling the WAV record-info delivers the WAV file once', async () => {
		rig = await startRig({ family: 'sunoapi' });
		const source = await finishedTake(rig);
		const before = rig.sink.posts.length;
		const { id } = await rig.tracker.submit({ request: tool({ tool: 'wav', source }), ...who });
		await waitFor('the WAV settles', () => rig!.tracker.activeCount() === 0);
		await rig.tracker.idle();
		expect(rig.fake.requestsOf('fetch-wav').length).toBeGreaterThan(0);
		const posts = rig.sink.posts.slice(before);
		expect(posts.map((p) => p.marker)).toEqual([`songbot:${id}:wav`]);
		expect(statSync(posts[0]!.file!.path).size).toBe(44 + 8000);
	});

	it('GIVEN a video the provider fails (callback code 500) THEN the task fails with the reason and posts nothing', async () => {
		rig = await startRig({ family: 'sunoapi', timeline: { type: 'manual' } }, { callbacks: true });
		const source = await finishedTake(rig);
		const before = rig.sink.posts.length;
		const { id } = await rig.tracker.submit({ request: tool({ tool: 'video', source, author: 'ana' }), ...who });
		rig.fake.failTask(id, { code: 500, reason: 'MP4 generation failed' });
		await rig.fake.flushCallbacks();
		await waitFor('the video settles', () => rig!.tracker.activeCount() === 0);
		const record = await rig.store.getTask(id);
		expect(record?.state).toMatchObject({ status: 'failed', failure: { message: expect.stringContaining('MP4') } });
		expect(rig.sink.posts.length).toBe(before);
	});

	it('GIVEN a settled song WHEN the studio keeps its video and WAV on a take THEN the record keeps both, the card is told once, and the same link again changes nothing', async () => {
		rig = await startRig({ family: 'sunoapi' });
		const source = await finishedTake(rig);
		const settled = await rig.store.getTask(source.taskId);
		expect(settled?.settledAt).toBeDefined();
		const told = () => rig!.sink.updates.filter((u) => u.task.id === source.taskId).length;
		const before = told();

		const video = 'https://cdn.example/video.mp4';
		const kept = await rig.tracker.keepStudioLink(source.taskId, source.clipId, { kind: 'video', url: video });
		expect(kept?.clips.find((c) => c.id === source.clipId)?.musicVideoUrl).toBe(video);
		expect(told()).toBe(before + 1);
		expect(rig.sink.updates.at(-1)?.task.clips.find((c) => c.id === source.clipId)?.musicVideoUrl).toBe(video);

		await rig.tracker.keepStudioLink(source.taskId, source.clipId, { kind: 'wav', url: 'https://cdn.example/a.wav' });
		await rig.tracker.idle();
		const saved = await rig.store.getTask(source.taskId);
		expect(saved?.clips.find((c) => c.id === source.clipId)).toMatchObject({
			musicVideoUrl: video,
			wavUrl: 'https://cdn.example/a.wav',
		});
		// The WAV is for /songs: the card does not change for it. Still settled, nothing left to track.
		expect(told()).toBe(before + 1);
		expect(saved?.settledAt).toBeDefined();
		expect(rig.tracker.activeCount()).toBe(0);

		const again = await rig.tracker.keepStudioLink(source.taskId, source.clipId, { kind: 'video', url: video });
		expect(again?.updatedAt).toBe(saved?.updatedAt);
		expect(told()).toBe(before + 1);
		expect(
			await rig.tracker.keepStudioLink(source.taskId, 'no-such-take', { kind: 'video', url: video }),
		).toBeUndefined();
	});

	it('GIVEN family A THEN a tool task is refused as unsupported and nothing reaches the provider', async () => {
		rig = await startRig({ family: 'newapi' });
		const source = { taskId: 'task_x', clipId: 'c1' };
		const submitted = await rig.tracker.submit({ request: tool({ tool: 'wav', source }), ...who }).catch((e) => e);
		const record = submitted?.id ? await rig.store.getTask(submitted.id) : undefined;
		const refusal = record?.state ?? submitted;
		expect(JSON.stringify(refusal)).toContain('unsupported');
		expect(rig.fake.requestsOf('submit')).toHaveLength(0);
	});
});
