import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvider } from '../../src/providers/index.ts';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { connect, reason, runCli, tempDir } from './run-cli.ts';

let reseller: FakeProvider;
let suno: FakeProvider;
beforeAll(async () => {
	reseller = await startFakeProvider({ family: 'newapi', mode: 'reseller' });
	suno = await startFakeProvider({ family: 'sunoapi' });
});
afterAll(async () => {
	await reseller.close();
	await suno.close();
});

/** A finished song on the fake, made through the provider layer directly. */
async function finishedSong(fake: FakeProvider): Promise<{ taskId: string; clipId: string }> {
	const provider = createProvider({ family: fake.family, baseUrl: fake.baseUrl, apiKey: fake.apiKey });
	const { taskId } = await provider.generate({ mode: 'describe', description: 'seed', model: 'v4.5+' });
	fake.completeTask(taskId);
	return { taskId, clipId: fake.task(taskId).clips[0]?.id ?? '' };
}

describe('songbot extend, lyrics and concat', () => {
	it('GIVEN a finished take THEN extend continues it at --at and downloads the extension', async () => {
		const { taskId, clipId } = await finishedSong(reseller);
		const out = tempDir();
		const result = await runCli([
			'extend',
			...connect(reseller),
			'--task',
			taskId,
			'--clip',
			clipId,
			'--at',
			'7.5',
			'--out',
			out,
			'--json',
		]);
		expect(result.code).toBe(0);
		expect(reseller.requestsOf('music').at(-1)?.body).toMatchObject({
			task_id: taskId,
			continue_clip_id: clipId,
			continue_at: 7.5,
		});
		expect(readdirSync(out)).toHaveLength(2);
	});

	it('GIVEN an extend without --at THEN exit 2 and nothing sent', async () => {
		const before = suno.requests.length;
		const result = await runCli(['extend', ...connect(suno), '--clip', 'c1']);
		expect(result.code).toBe(2);
		expect(reason(result)).toMatch(/missing --at/);
		expect(suno.requests.length).toBe(before);
	});

	it('GIVEN a theme THEN lyrics prints every version, and --json carries them', async () => {
		const text = await runCli(['lyrics', ...connect(suno), '--prompt', 'the sea at night']);
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(/^# Lyrics 1\n\n\[Verse\]\nVersion 1 about the sea at night/m);
		const json = await runCli(['lyrics', ...connect(suno), '--prompt', 'the sea', '--json']);
		expect(json.json).toMatchObject({
			status: 'succeeded',
			clips: [],
			lyrics: [{ title: 'Lyrics 1' }, { title: 'Lyrics 2' }],
		});
	});

	it('GIVEN an extended take on a reseller THEN concat saves the full song; on family B it is unsupported (exit 2)', async () => {
		const { taskId, clipId } = await finishedSong(reseller);
		const out = tempDir();
		const full = await runCli(['concat', ...connect(reseller), '--task', taskId, '--clip', clipId, '--out', out]);
		expect(full.code).toBe(0);
		expect(full.stdout).toMatch(/saved .*\.mp3 \(.*, 21\.0 s\)/);
		expect(readdirSync(out)).toHaveLength(1);
		const unsupported = await runCli(['concat', ...connect(suno), '--clip', 'c1']);
		expect(unsupported.code).toBe(2);
		expect(reason(unsupported)).toMatch(/does not offer joining/);
	});

	it('GIVEN no command, help or an unknown command THEN usage, with exit 2 except for help', async () => {
		expect((await runCli([])).code).toBe(2);
		const help = await runCli(['help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('exit codes: 0 done, 2 invalid input');
		expect((await runCli(['dance'])).code).toBe(2);
	});
});

describe('songbot doctor', () => {
	it('GIVEN a complete configuration THEN one ok line per check, credits included, exit 0, no secrets printed', async () => {
		const dataDir = join(tempDir(), 'data');
		const env = {
			DISCORD_TOKEN: 'MTIz.discord-token-secret',
			SUNO_PROVIDER: 'sunoapi',
			SUNO_BASE_URL: suno.baseUrl,
			SUNO_API_KEY: suno.apiKey,
			DATA_DIR: dataDir,
		};
		const result = await runCli(['doctor'], { env });
		expect(result.code).toBe(0);
		const lines = result.stdout.trim().split('\n');
		expect(lines.slice(0, -1).every((l) => l.startsWith('ok'))).toBe(true);
		expect(result.stdout).toMatch(
			/^ok {4}provider: sunoapi API reachable at 127\.0\.0\.1:\d+ and the API key was accepted$/m,
		);
		expect(result.stdout).toMatch(/^ok {4}credits: \d+ left$/m);
		expect(result.stdout).toMatch(/^ok {4}ffmpeg: version /m);
		expect(result.stdout).toContain(`store: ${dataDir} is writable`);
		expect(result.stdout).not.toContain(suno.apiKey);
		expect(result.stdout).not.toContain('discord-token-secret');
	});

	it('GIVEN a missing token, a rejected key, no ffmpeg and an unwritable store THEN each fails with its fix, exit 1', async () => {
		// A DATA_DIR below a regular file cannot be created, whoever runs the test (root ignores chmod).
		const file = join(tempDir(), 'not-a-folder');
		writeFileSync(file, 'x');
		const env = {
			PATH: '/nonexistent',
			SUNO_PROVIDER: 'sunoapi',
			SUNO_BASE_URL: suno.baseUrl,
			SUNO_API_KEY: 'wrong-key',
			DATA_DIR: join(file, 'data'),
		};
		const result = await runCli(['doctor', '--json'], { env });
		expect(result.code).toBe(1);
		const checks = (result.json?.checks ?? []) as { name: string; ok: boolean; fix?: string }[];
		const failed = Object.fromEntries(checks.filter((c) => !c.ok).map((c) => [c.name, c.fix]));
		expect(failed.DISCORD_TOKEN).toMatch(/Developer Portal/);
		expect(failed.provider).toMatch(/check SUNO_API_KEY/);
		expect(failed.ffmpeg).toMatch(/install ffmpeg/);
		expect(failed.store).toMatch(/DATA_DIR/);
		expect(result.stdout).not.toContain('wrong-key');
	});

	it('GIVEN nothing listening at the base URL THEN the provider check says so and how to fix it', async () => {
		const env = {
			SUNO_PROVIDER: 'newapi',
			SUNO_BASE_URL: 'http://127.0.0.1:1',
			SUNO_API_KEY: 'k',
			DATA_DIR: tempDir(),
		};
		const result = await runCli(['doctor'], { env });
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^FAIL {2}provider: .*unavailable.* → fix: check SUNO_BASE_URL/m);
	});
});
