import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProvider } from '../../src/providers/index.ts';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { connect, reason, runCli, tempDir } from './run-cli.ts';

let suno: FakeProvider;
let relay: FakeProvider;
beforeAll(async () => {
	suno = await startFakeProvider({ family: 'sunoapi' });
	relay = await startFakeProvider({ family: 'newapi' });
});
afterAll(async () => {
	await suno.close();
	await relay.close();
});
beforeEach(() => suno.clearFaults());

/** A finished song on the fake, made through the provider layer directly. */
async function finishedTake(): Promise<{ taskId: string; clipId: string }> {
	const provider = createProvider({ family: 'sunoapi', baseUrl: suno.baseUrl, apiKey: suno.apiKey });
	const { taskId } = await provider.generate({
		mode: 'custom',
		lyrics: '[Verse]\nOld words here',
		style: 'pop',
		title: 'Seed',
		model: 'v5',
	});
	suno.completeTask(taskId);
	return { taskId, clipId: suno.task(taskId).clips[0]?.id ?? '' };
}

const take = (t: { taskId: string; clipId: string }) => ['--task', t.taskId, '--clip', t.clipId];

describe('songbot studio tools (family B)', () => {
	it('GIVEN a finished take THEN split saves vocals and instrumental and --json names each part', async () => {
		const source = await finishedTake();
		const out = tempDir();
		const result = await runCli([
			'split',
			...connect(suno),
			...take(source),
			'--out',
			out,
			'--json',
			'--poll-interval',
			'0.05',
		]);
		expect(result.code).toBe(0);
		expect(result.json).toMatchObject({ status: 'succeeded' });
		const clips = result.json?.clips as { stem: string; file: string }[];
		expect(clips.map((c) => c.stem)).toEqual(['vocals', 'instrumental']);
		expect(readdirSync(out).sort()).toEqual(clips.map((c) => c.file.split('/').at(-1)).sort());
		expect(suno.requestsOf('split').at(-1)?.body).toMatchObject({ type: 'separate_vocal' });
	});

	it('GIVEN --stems THEN split_stem is asked for and 12 parts are saved', async () => {
		const source = await finishedTake();
		const out = tempDir();
		const result = await runCli([
			'split',
			...connect(suno),
			...take(source),
			'--stems',
			'--out',
			out,
			'--json',
			'--poll-interval',
			'0.05',
		]);
		expect(result.code).toBe(0);
		expect(readdirSync(out)).toHaveLength(12);
		expect(suno.requestsOf('split').at(-1)?.body).toMatchObject({ type: 'split_stem' });
	});

	it('GIVEN wav THEN a .wav file is saved; asking again for the same take is rejected by the provider (exit 3)', async () => {
		const source = await finishedTake();
		const out = tempDir();
		const result = await runCli(['wav', ...connect(suno), ...take(source), '--out', out]);
		expect(result.code).toBe(0);
		const [file] = readdirSync(out);
		expect(file).toMatch(/\.wav$/);
		expect(
			readFileSync(join(out, file as string))
				.subarray(0, 4)
				.toString(),
		).toBe('RIFF');
		const again = await runCli(['wav', ...connect(suno), ...take(source), '--json']);
		expect(again.code).toBe(3);
		expect(again.json).toMatchObject({
			status: 'rejected',
			error: { message: expect.stringContaining('already exists') },
		});
	});

	it('GIVEN video THEN its link is printed; a failed video exits 4 (failed)', async () => {
		const source = await finishedTake();
		const result = await runCli([
			'video',
			...connect(suno),
			...take(source),
			'--author',
			'ana',
			'--poll-interval',
			'0.05',
		]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^video http:\/\/127\.0\.0\.1:\d+\/files\/[\w-]+\.mp4$/m);
		suno.setOutcome('failure');
		const failed = await runCli(['video', ...connect(suno), ...take(source), '--json']);
		suno.setOutcome('success');
		expect(failed.code).toBe(4);
		expect(failed.json).toMatchObject({ status: 'failed' });
	});

	it('GIVEN boost THEN the expanded style is printed; without --style exit 2 and nothing sent', async () => {
		const result = await runCli(['boost', ...connect(suno), '--style', 'sad synthwave', '--json']);
		expect(result.code).toBe(0);
		expect(result.json).toMatchObject({ status: 'succeeded', style: expect.stringMatching(/^sad synthwave, .{20,}/) });
		const before = suno.requests.length;
		const missing = await runCli(['boost', ...connect(suno)]);
		expect(missing.code).toBe(2);
		expect(reason(missing)).toMatch(/missing --style/);
		expect(suno.requests.length).toBe(before);
	});

	it('GIVEN replace THEN a new song is made with the section rewritten; a section over half the take is exit 2', async () => {
		const source = await finishedTake();
		const dir = tempDir();
		const lyricsFile = join(dir, 'lyrics.txt');
		writeFileSync(lyricsFile, '[Verse]\nNew words here');
		const args = [...connect(suno), ...take(source), '--lyrics-file', lyricsFile, '--style', 'pop', '--title', 'Seed'];
		const tooLong = await runCli(['replace', ...args, '--from', '0', '--to', '10', '--duration', '12']);
		expect(tooLong.code).toBe(2);
		expect(reason(tooLong)).toMatch(/at most half/);
		const out = tempDir();
		const result = await runCli([
			'replace',
			...args,
			'--from',
			'0',
			'--to',
			'6',
			'--out',
			out,
			'--json',
			'--poll-interval',
			'0.05',
		]);
		expect(result.code).toBe(0);
		expect(readdirSync(out)).toHaveLength(2);
		expect(suno.requestsOf('replace').at(-1)?.body).toMatchObject({
			infillStartS: 0,
			infillEndS: 6,
			prompt: '[Verse]\nNew words here',
		});
	});

	it('GIVEN persona THEN the persona id is printed, and a window under 10 s is exit 2', async () => {
		const source = await finishedTake();
		const args = ['persona', ...connect(suno), ...take(source), '--name', 'Nova', '--description', 'airy pop voice'];
		const result = await runCli([...args, '--json']);
		expect(result.code).toBe(0);
		expect(result.json).toMatchObject({ persona: { id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'Nova' } });
		const short = await runCli([...args, '--vocal-start', '0', '--vocal-end', '4']);
		expect(short.code).toBe(2);
		expect(reason(short)).toMatch(/10 to 30 seconds/);
	});

	it('GIVEN family A THEN every tool is refused before anything is sent (exit 2), and doctor says it has none', async () => {
		const before = relay.requests.length;
		const result = await runCli(['split', ...connect(relay), '--task', 't', '--clip', 'c', '--json']);
		expect(result.code).toBe(2);
		expect(result.json).toMatchObject({ status: 'invalid', error: { message: expect.stringContaining('family B') } });
		expect(relay.requests.length).toBe(before);
		const doctor = await runCli(['doctor'], {
			env: { SUNO_PROVIDER: 'newapi', SUNO_BASE_URL: relay.baseUrl, SUNO_API_KEY: relay.apiKey, DATA_DIR: tempDir() },
		});
		expect(doctor.stdout).toMatch(/^ok {4}studio tools: none \(only family B/m);
	});

	it('GIVEN family B THEN doctor lists every studio tool, less those SUNO_FEATURES turns off', async () => {
		const env = {
			SUNO_PROVIDER: 'sunoapi',
			SUNO_BASE_URL: suno.baseUrl,
			SUNO_API_KEY: suno.apiKey,
			DATA_DIR: tempDir(),
		};
		const all = await runCli(['doctor'], { env });
		expect(all.stdout).toMatch(
			/^ok {4}studio tools: split, stems, WAV, video, style boost, fix a section, house singer, timed lyrics, add vocals, add instrumental$/m,
		);
		const some = await runCli(['doctor'], { env: { ...env, SUNO_FEATURES: '-stems,-video' } });
		expect(some.stdout).toMatch(/^ok {4}studio tools: split, WAV, style boost, /m);
	});
});
