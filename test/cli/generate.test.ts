import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeFamily, type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { connect, reason, runCli, tempDir } from './run-cli.ts';

const fakes = {} as Record<FakeFamily, FakeProvider>;
beforeAll(async () => {
	for (const family of ['newapi', 'sunoapi', 'v1music'] as const) fakes[family] = await startFakeProvider({ family });
});
afterAll(async () => {
	for (const fake of Object.values(fakes)) await fake.close();
});
beforeEach(() => {
	for (const fake of Object.values(fakes)) fake.reset();
});

describe('songbot generate', () => {
	for (const family of ['newapi', 'sunoapi', 'v1music'] as const) {
		it(`GIVEN the ${family} fake THEN both takes are downloaded as mp3 into --out and it exits 0`, async () => {
			const out = tempDir();
			const result = await runCli([
				'generate',
				...connect(fakes[family]),
				'--description',
				'a song about tea',
				'--out',
				out,
			]);
			expect(result.code).toBe(0);
			const files = readdirSync(out).sort();
			expect(files).toHaveLength(2);
			expect(files.map((f) => statSync(join(out, f)).size).sort()).toEqual([72_559, 96_592]);
			expect(result.stdout).toMatch(/^saved .*\.mp3 \(Fake Song 1, 12\.0 s\)$/m);
			expect(result.stderr).toContain('done');
		});
	}

	it('GIVEN --json THEN one JSON object with the task, status and each clip with its file', async () => {
		const out = tempDir();
		const result = await runCli([
			'generate',
			...connect(fakes.sunoapi),
			'--lyrics-file',
			lyricsFile('la la'),
			'--style',
			'pop',
			'--title',
			'Tea',
			'--json',
			'--out',
			out,
		]);
		expect(result.code).toBe(0);
		expect(result.json).toMatchObject({ taskId: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'succeeded' });
		const clips = result.json?.clips as { file: string; durationSec: number; title: string; audioUrl: string }[];
		expect(clips.map((c) => [c.title, c.durationSec])).toEqual([
			['Tea', 12],
			['Tea', 9],
		]);
		for (const clip of clips) expect(statSync(clip.file).isFile()).toBe(true);
		expect(result.json).not.toHaveProperty('error');
	});

	it('GIVEN the environment keys instead of flags THEN the same keys the bot uses are honoured', async () => {
		const fake = fakes.newapi;
		const env = { SUNO_PROVIDER: 'newapi', SUNO_BASE_URL: fake.baseUrl, SUNO_API_KEY: fake.apiKey, SUNO_MODEL: 'v5' };
		const result = await runCli(
			['generate', '--description', 'tea', '--poll-interval', '0.02', '--json', '--out', tempDir()],
			{ env },
		);
		expect(result.code).toBe(0);
		expect(fake.requestsOf('music')[0]?.body).toMatchObject({ mv: 'chirp-crow' });
	});

	it('GIVEN invalid input THEN exit 2 with a one-line reason and nothing sent', async () => {
		const fake = fakes.sunoapi;
		const cases: [string[], RegExp][] = [
			[[], /say what to make/],
			[['--description', 'x', '--model', 'v9'], /Unknown model "v9"/],
			[
				['--lyrics-file', lyricsFile('x'.repeat(3001)), '--style', 's', '--title', 't', '--model', 'v4'],
				/3001 characters, at most 3000/,
			],
			[['--description', 'x', '--vocal', 'z'], /--vocal must be f or m/],
			[['--description', 'x', '--bogus'], /Unknown option '--bogus'/],
		];
		for (const [args, why] of cases) {
			const result = await runCli(['generate', ...connect(fake), ...args]);
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.stderr).toMatch(why);
		}
		expect(fake.requests).toHaveLength(0);
	});

	it('GIVEN a wrong key, no credits or a content-policy refusal THEN exit 3 with a reason a person understands', async () => {
		const wrongKey = await runCli([
			'generate',
			...connect(fakes.newapi),
			'--api-key',
			'sk-wrong',
			'--description',
			'x',
		]);
		expect(wrongKey.code).toBe(3);
		expect(reason(wrongKey)).toMatch(/^songbot: .*rejected the API key/);
		expect(wrongKey.stderr).not.toContain(fakes.newapi.apiKey);

		fakes.sunoapi.setCredits(0);
		const broke = await runCli(['generate', ...connect(fakes.sunoapi), '--description', 'x', '--json']);
		expect(broke.code).toBe(3);
		expect(broke.json).toMatchObject({ taskId: null, status: 'rejected', error: { kind: 'credits' } });
		expect(reason(broke)).toMatch(/out of credits/);

		const refused = await runCli(['generate', ...connect(fakes.v1music), '--description', 'forbidden love']);
		expect(refused.code).toBe(3);
		expect(reason(refused)).toMatch(/content policy/);
	});

	it('GIVEN the generation fails or gets stuck past --timeout THEN exit 4', async () => {
		fakes.newapi.setOutcome('failure');
		const failed = await runCli(['generate', ...connect(fakes.newapi), '--description', 'x', '--json']);
		expect(failed.code).toBe(4);
		expect(failed.json).toMatchObject({ status: 'failed', error: { kind: 'generation_failed' } });
		expect(reason(failed)).toMatch(/the generation failed: Internal Error/);

		fakes.sunoapi.setOutcome('stuck');
		const stuck = await runCli(['generate', ...connect(fakes.sunoapi), '--description', 'x', '--timeout', '0.5']);
		expect(stuck.code).toBe(4);
		expect(reason(stuck)).toMatch(/did not finish within 0.5 s/);
	});

	it('GIVEN one take fails THEN the good take is still saved and it exits 4 explaining the partial result', async () => {
		fakes.v1music.setOutcome('partial');
		const out = tempDir();
		const result = await runCli(['generate', ...connect(fakes.v1music), '--description', 'x', '--json', '--out', out]);
		expect(result.code).toBe(4);
		expect(readdirSync(out)).toHaveLength(1);
		expect(((result.json?.clips ?? []) as { file: string | null }[]).map((c) => c.file === null)).toEqual([
			false,
			true,
		]);
		expect(reason(result)).toMatch(/1 of 2 takes finished/);
	});

	it('GIVEN 5xx and 429 answers that clear up THEN it still exits 0 with exactly one task', async () => {
		const fake = fakes.newapi;
		fake.inject('rate_limited', { on: 'submit' });
		fake.inject('unavailable', { on: 'fetch', times: 2 });
		const result = await runCli(['generate', ...connect(fake), '--description', 'x', '--out', tempDir()]);
		expect(result.code).toBe(0);
		expect(fake.tasks.size).toBe(1);
	});

	it('GIVEN a malformed answer or nothing listening THEN exit 1 with the reason', async () => {
		fakes.sunoapi.inject('malformed', { on: 'submit' });
		const malformed = await runCli(['generate', ...connect(fakes.sunoapi), '--description', 'x']);
		expect(malformed.code).toBe(1);
		expect(reason(malformed)).toMatch(/could not understand/);
		const nobody = await runCli([
			'generate',
			'--provider',
			'sunoapi',
			'--base-url',
			'http://127.0.0.1:1',
			'--api-key',
			'k',
			'--description',
			'x',
		]);
		expect(nobody.code).toBe(1);
		expect(reason(nobody)).toMatch(/unavailable/);
	});
});

function lyricsFile(text: string): string {
	const path = join(tempDir(), 'lyrics.txt');
	writeFileSync(path, text);
	return path;
}
