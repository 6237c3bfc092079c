import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_UNREADABLE } from '../../src/cli/wait.ts';
import { type FakeFamily, type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { connect, reason, runCli, tempDir } from './run-cli.ts';

const families = ['newapi', 'sunoapi', 'v1music'] as const;
const fakes = {} as Record<FakeFamily, FakeProvider>;
beforeAll(async () => {
	for (const family of families) fakes[family] = await startFakeProvider({ family });
});
afterAll(async () => {
	for (const fake of Object.values(fakes)) await fake.close();
});
beforeEach(() => {
	for (const fake of Object.values(fakes)) fake.reset();
});

/** The status answers of a `generate` run: what the CLI asked while it waited. */
const polls = (fake: FakeProvider) => fake.requestsOf('fetch');

describe('songbot generate while the status answers are unreadable', () => {
	for (const family of families) {
		it(`GIVEN ${family} answers a few polls with an HTML page or a body cut short THEN it keeps waiting and saves both takes`, async () => {
			const fake = fakes[family];
			// One fewer in a row than the CLI gives up after.
			fake.inject('malformed', { on: 'fetch', times: 2 });
			fake.inject('truncated', { on: 'fetch', times: MAX_UNREADABLE - 3 });
			const out = tempDir();
			const result = await runCli(['generate', ...connect(fake), '--description', 'x', '--json', '--out', out]);
			expect(result.code, result.stderr).toBe(0);
			expect(result.json).toMatchObject({ status: 'succeeded' });
			expect(result.json).not.toHaveProperty('error');
			expect(readdirSync(out)).toHaveLength(2);
			expect(fake.tasks.size).toBe(1);
			expect(polls(fake).flatMap((r) => (r.fault ? [r.fault] : []))).toEqual([
				'malformed',
				'malformed',
				...Array<string>(MAX_UNREADABLE - 3).fill('truncated'),
			]);
			// The person sees that something is off while it waits (stderr is not a terminal here: one line per change).
			expect(result.stderr).toMatch(/still trying: The music provider sent an answer the bot could not understand/);
		});
	}

	it('GIVEN the provider never answers a poll readably THEN it gives up after a few, exit 1, naming the task', async () => {
		const fake = fakes.sunoapi;
		fake.inject('truncated', { on: 'fetch', times: Number.POSITIVE_INFINITY });
		const result = await runCli(['generate', ...connect(fake), '--description', 'x', '--json']);
		expect(result.code).toBe(1);
		const [task] = [...fake.tasks.keys()];
		expect(result.json).toMatchObject({ taskId: task, status: 'error', error: { kind: 'protocol' } });
		expect(reason(result)).toMatch(
			new RegExp(
				`^songbot: The music provider sent ${MAX_UNREADABLE} status answers in a row .* task ${task} may still finish there\\.$`,
			),
		);
		expect(polls(fake)).toHaveLength(MAX_UNREADABLE);
	});
});
