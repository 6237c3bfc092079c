import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import process from 'node:process';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './index.ts';

/** The fakes' own scripting surface, which the tracker, e2e and sandbox rely on. */

const open: FakeProvider[] = [];
afterEach(async () => {
	for (const fake of open.splice(0)) await fake.close();
});
async function start(...args: Parameters<typeof startFakeProvider>) {
	const fake = await startFakeProvider(...args);
	open.push(fake);
	return fake;
}
const auth = (fake: FakeProvider) => ({ authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' });

describe('fake providers', () => {
	it('GIVEN a manual timeline THEN tasks move only through advance / completeTask / failTask', async () => {
		const fake = await start({ family: 'sunoapi', timeline: { type: 'manual' } });
		const post = async () =>
			(await (
				await fetch(`${fake.baseUrl}/api/v1/generate`, {
					method: 'POST',
					headers: auth(fake),
					body: JSON.stringify({
						customMode: false,
						instrumental: false,
						callBackUrl: 'https://x.invalid/cb',
						model: 'V4',
						prompt: 'hi',
					}),
				})
			).json()) as { data: { taskId: string } };
		const a = (await post()).data.taskId;
		const b = (await post()).data.taskId;
		await fetch(`${fake.baseUrl}/api/v1/generate/record-info?taskId=${a}`, { headers: auth(fake) });
		expect(fake.task(a).stage).toBe('submitted');
		fake.advance(a, 2);
		expect(fake.task(a).stage).toBe('text');
		fake.completeTask(a);
		fake.failTask(b, { reason: 'nope' });
		expect([fake.task(a).stage, fake.task(b).stage]).toEqual(['done', 'failed']);
		expect(fake.task(b).failure?.reason).toBe('nope');
		expect(() => fake.task('unknown')).toThrow(/no task/);
	});

	it('GIVEN a clock timeline THEN a task finishes on its own without polls', async () => {
		const fake = await start({ family: 'v1music', timeline: { type: 'clock', stepMs: 5 } });
		const res = await fetch(`${fake.baseUrl}/v1/music/generations`, {
			method: 'POST',
			headers: auth(fake),
			body: JSON.stringify({ prompt: 'x' }),
		});
		const id = ((await res.json()) as { data: { task_id: string } }).data.task_id;
		await expect.poll(() => fake.task(id).stage, { timeout: 5_000, interval: 20 }).toBe('done');
		expect(fake.task(id).polls).toBe(0);
	});

	it('GIVEN a finished clip THEN its mp3, cover and live stream are served with the fixture bytes', async () => {
		const fake = await start({ family: 'newapi', brokenAudio: true });
		const res = await fetch(`${fake.baseUrl}/suno/submit/music`, {
			method: 'POST',
			headers: auth(fake),
			body: JSON.stringify({ gpt_description_prompt: 'x' }),
		});
		const id = ((await res.json()) as { data: string }).data;
		fake.completeTask(id);
		const [first, second] = fake.task(id).clips;
		const mp3 = await fetch(`${fake.origin}/files/${first?.id}.mp3`);
		expect((await mp3.arrayBuffer()).byteLength).toBe(96_592);
		expect((await (await fetch(`${fake.origin}/files/${second?.id}.mp3`)).arrayBuffer()).byteLength).toBe(4_000);
		expect((await fetch(`${fake.origin}/files/${first?.id}.png`)).headers.get('content-type')).toBe('image/png');
		expect((await (await fetch(`${fake.origin}/stream/${first?.id}`)).arrayBuffer()).byteLength).toBe(96_592);
		expect((await fetch(`${fake.origin}/files/None.mp3`)).status).toBe(404);
		expect(fake.requestsOf('file')).toHaveLength(5);
	});

	it('GIVEN faults scripted by count and route THEN exactly those requests fail, and reset forgets everything', async () => {
		const fake = await start({ family: 'newapi' });
		fake.inject('unavailable', { on: 'fetch', times: 2 });
		const fetchBatch = () =>
			fetch(`${fake.baseUrl}/suno/fetch`, { method: 'POST', headers: auth(fake), body: JSON.stringify({ ids: [] }) });
		expect([(await fetchBatch()).status, (await fetchBatch()).status, (await fetchBatch()).status]).toEqual([
			503, 503, 200,
		]);
		expect(fake.requests.map((r) => r.fault)).toEqual(['unavailable', 'unavailable', undefined]);
		fake.reset();
		expect(fake.requests).toHaveLength(0);
		const wrongKey = await fetch(`${fake.baseUrl}/suno/fetch`, { method: 'POST', body: JSON.stringify({ ids: [] }) });
		expect(wrongKey.status).toBe(401);
	});

	it('GIVEN an accepted submit whose answer is held back or lost THEN the task exists before the answer, and a body-matched fault hits only its requests', async () => {
		const fake = await start({ family: 'newapi', timeline: { type: 'manual' } });
		const submit = () =>
			fetch(`${fake.baseUrl}/suno/submit/music`, {
				method: 'POST',
				headers: auth(fake),
				body: JSON.stringify({ gpt_description_prompt: 'hi', mv: 'chirp-v4' }),
			});
		fake.inject('slow', { on: 'submit', afterAccept: true, delayMs: 400 });
		const held = submit();
		while (fake.tasks.size === 0) await new Promise((resolve) => setTimeout(resolve, 10));
		const answer = (await (await held).json()) as { data: string };
		expect([...fake.tasks.keys()]).toEqual([answer.data]);

		fake.inject('disconnect', { on: 'submit', afterAccept: true });
		await expect(submit()).rejects.toThrow();
		expect(fake.tasks.size).toBe(2);

		const [first] = fake.tasks.keys();
		const carries = (r: { body: unknown }) => ((r.body as { ids?: string[] }).ids ?? []).includes(first ?? '');
		fake.inject('unavailable', { on: '/suno/fetch', match: carries, times: Infinity });
		const fetchIds = (ids: string[]) =>
			fetch(`${fake.baseUrl}/suno/fetch`, { method: 'POST', headers: auth(fake), body: JSON.stringify({ ids }) });
		expect((await fetchIds([first ?? ''])).status).toBe(503);
		expect((await fetchIds([...fake.tasks.keys()].slice(1))).status).toBe(200);
	});

	it('GIVEN the sandbox entry point THEN it prints where it listens and serves until stopped', async () => {
		const child = spawn(
			process.execPath,
			[join(import.meta.dirname, 'serve.ts'), '--family', 'v1music', '--step-ms', '50'],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		const [line] = (await once(child.stdout, 'data')) as [Buffer];
		const info = JSON.parse(line.toString()) as { baseUrl: string; apiKey: string; family: string };
		expect(info.family).toBe('v1music');
		const res = await fetch(`${info.baseUrl}/v1/music/tasks/unknown`, {
			headers: { authorization: `Bearer ${info.apiKey}` },
		});
		expect(res.status).toBe(404);
		child.kill('SIGTERM');
		const [code] = await once(child, 'exit');
		expect(code).toBe(0);
	});
});
