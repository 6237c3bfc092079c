import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type Rig, sample, song, startRig, waitFor, who } from './rig.ts';

const takeSizes = ['take-1.mp3', 'take-2.mp3'].map(
	(f) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'audio', f)).length,
);
let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

describe('tracker against the fake providers (real adapters, real HTTP, SQLite)', () => {
	it('GIVEN 20 family-A tasks THEN each tick is one batch fetch carrying all of them, and all 40 takes arrive once', async () => {
		rig = await startRig({ family: 'newapi', timeline: { type: 'manual' } });
		const { fake, tracker, sink } = rig;
		const ids: string[] = [];
		for (let i = 0; i < 20; i++) ids.push((await tracker.submit({ request: song(), ...who })).id);
		// A tick already running while the last tasks were submitted may lack them: skip it.
		const settledFrom = fake.requestsOf('fetch').length + 1;
		await waitFor('three polling ticks', () => fake.requestsOf('fetch').length >= settledFrom + 3);
		for (const id of ids) fake.completeTask(id);
		await waitFor('every task settled', () => tracker.activeCount() === 0);
		await tracker.idle();

		const fetches = fake.requestsOf('fetch');
		expect(fake.requestsOf('fetch-one')).toEqual([]);
		const batches = fetches.map((r) => [...((r.body as { ids: string[] }).ids ?? [])].sort());
		// Until the first task finished, every request asked about all 20 tasks at once.
		const all = [...ids].sort();
		expect(batches.slice(settledFrom, settledFrom + 3)).toEqual([all, all, all]);
		for (const batch of batches) expect(batch.every((id) => ids.includes(id))).toBe(true);

		const markers = sink.posts.map((p) => p.marker);
		expect(markers).toHaveLength(40);
		expect(new Set(markers).size).toBe(40);
		for (const post of sink.posts) {
			expect(post.file).toBeDefined();
			expect(takeSizes).toContain(statSync(post.file!.path).size);
		}
	});

	it('GIVEN family-B callbacks duplicated, mixed with polls and replayed out of order THEN each take is posted exactly once', async () => {
		rig = await startRig(
			{ family: 'sunoapi', duplicateCallbacks: true, timeline: { type: 'manual' } },
			{ callbacks: true },
		);
		const { fake, tracker, sink, metrics } = rig;
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) ids.push((await tracker.submit({ request: song(), ...who })).id);
		// The provider moves on its own schedule; callbacks and safety polls both see the changes.
		for (let step = 0; tracker.activeCount() > 0; step++) {
			if (step > 100) throw new Error('tasks did not finish');
			fake.advance();
			await sleep(150);
		}
		await fake.flushCallbacks();
		// Replay the oldest callbacks of each task after it finished (a provider retry arriving late).
		const early = fake.callbacks.filter((c) => ids.includes(c.taskId)).slice(0, 6);
		for (const cb of early) {
			const body = JSON.stringify(cb.body);
			const res = await fetch(cb.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
			expect(res.status).toBe(200);
		}
		for (const id of ids) fake.resendCallbacks(id);
		await fake.flushCallbacks();
		await tracker.idle();

		expect(fake.callbacks.every((c) => c.status === 200)).toBe(true);
		expect(await sample(metrics, 'songbot_reports_total', 'source="callback",result="applied"')).toBeGreaterThan(0);
		expect(await sample(metrics, 'songbot_reports_total', 'source="callback",result="unchanged"')).toBeGreaterThan(0);
		expect(fake.requestsOf('fetch').length).toBeGreaterThan(0);
		expect(sink.markers()).toEqual(
			ids.flatMap((id) => fake.task(id).clips.map((clip) => `songbot:${id}:${clip.id}`)).sort(),
		);
		expect(sink.events().filter((e) => e.type === 'finished')).toHaveLength(ids.length);
		for (const id of ids) {
			expect((await tracker.get(id))?.state).toMatchObject({ status: 'delivered', outcome: 'complete' });
		}
	});

	it('GIVEN a task stuck while streaming THEN the user hears of the stall with the task id and it fails cleanly at the timeout', async () => {
		rig = await startRig(
			{ family: 'newapi', outcome: 'stuck', timeline: { type: 'polls' } },
			{ deadlines: { stallMs: 1_000, taskTimeoutMs: 4_000 } },
		);
		const { fake, tracker, sink, store } = rig;
		const { id } = await tracker.submit({ request: song(), ...who });
		await waitFor('the task to fail', () => sink.events().some((e) => e.type === 'failed'));
		await tracker.idle();
		const events = sink.events();
		expect(events.find((e) => e.type === 'stalled')).toMatchObject({ taskId: id });
		expect(events.find((e) => e.type === 'failed')).toMatchObject({ failure: { kind: 'timeout', source: 'timeout' } });
		expect(events.findIndex((e) => e.type === 'stalled')).toBeLessThan(events.findIndex((e) => e.type === 'failed'));
		expect(await store.listActive()).toEqual([]);
		const polls = fake.requestsOf('fetch').length;
		await sleep(800);
		expect(fake.requestsOf('fetch').length).toBe(polls);
		expect(sink.posts).toEqual([]);
	});

	it('GIVEN one take failing and the other succeeding (family C) THEN the good take is posted and the failure explained', async () => {
		rig = await startRig({ family: 'v1music', outcome: 'partial', timeline: { type: 'polls' } });
		const { fake, tracker, sink } = rig;
		const { id } = await tracker.submit({ request: song(), ...who });
		await waitFor('the task to settle', () => tracker.activeCount() === 0);
		await tracker.idle();
		const first = fake.task(id).clips[0]!;
		expect(sink.markers()).toEqual([`songbot:${id}:${first.id}`]);
		expect(sink.events()).toContainEqual(expect.objectContaining({ type: 'take-failed', take: 2 }));
		expect(sink.events()).toContainEqual({ type: 'finished', outcome: 'partial' });
	});

	it('GIVEN a blocked word THEN the task fails with the content-policy explanation and nothing is posted', async () => {
		rig = await startRig({ family: 'sunoapi', timeline: { type: 'polls' } });
		const { tracker, sink } = rig;
		await tracker.submit({ request: song('[Verse] something forbidden'), ...who });
		await waitFor('the task to fail', () => sink.events().some((e) => e.type === 'failed'));
		expect(sink.events().find((e) => e.type === 'failed')).toMatchObject({
			failure: { kind: 'content_policy', source: 'provider' },
		});
		expect(sink.posts).toEqual([]);
	});
});
