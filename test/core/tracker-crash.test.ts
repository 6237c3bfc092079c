import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { freePort } from '../store/redis-server.ts';

/** A Discord channel reduced to what exactly-once needs: messages with markers, and a search by marker. */
const messages: { id: string; marker: string; bytes: number }[] = [];
/** What the tracker message showed, update by update: the record's id and state. */
const trackerUpdates: { id: string; messageId?: string; status: string; recovery?: string; message?: string }[] = [];
const lookups: string[] = [];
let channel: Server;
let channelUrl: string;
let fake: FakeProvider;
let dir: string;

beforeAll(async () => {
	channel = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const reply = (body: unknown) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.method === 'GET' && url.pathname === '/messages') {
			const marker = url.searchParams.get('marker') ?? '';
			lookups.push(marker);
			return reply({ id: messages.find((m) => m.marker === marker)?.id ?? null });
		}
		let raw = '';
		req.on('data', (chunk: Buffer) => {
			raw += chunk.toString();
		});
		req.on('end', () => {
			if (url.pathname === '/tracker') {
				trackerUpdates.push(JSON.parse(raw) as (typeof trackerUpdates)[number]);
				return reply({});
			}
			const { marker, bytes } = JSON.parse(raw) as { marker: string; bytes: number };
			const id = `msg-${messages.length + 1}`;
			messages.push({ id, marker, bytes });
			reply({ id });
		});
	});
	await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
	channelUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}`;
	fake = await startFakeProvider({ family: 'newapi', timeline: { type: 'polls' } });
});
afterAll(async () => {
	await new Promise((resolve) => channel.close(resolve));
	await fake.close();
});
beforeEach(() => {
	messages.length = 0;
	lookups.length = 0;
	trackerUpdates.length = 0;
	fake.reset();
	dir = mkdtempSync(join(tmpdir(), 'songbot-crash-'));
	return () => rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the child bot on the shared store until it exits; resolves with how it ended. `killWhen` is checked every
 * 20 ms: the test kills the child with SIGKILL as soon as it holds (e.g. the provider has the task, its answer
 * is still on the way).
 */
function runBot(
	env: Record<string, string>,
	killWhen?: () => boolean,
): Promise<{ code: number | null; signal: string | null; out: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [join(import.meta.dirname, 'crash-child.ts')], {
			env: {
				PATH: process.env.PATH ?? '',
				FAMILY: 'newapi',
				FAKE_BASE_URL: fake.baseUrl,
				FAKE_API_KEY: fake.apiKey,
				STORE_PATH: join(dir, 'songbot.sqlite'),
				AUDIO_DIR: join(dir, 'audio'),
				CHANNEL_URL: channelUrl,
				...env,
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout.on('data', (d: Buffer) => {
			out += d.toString();
		});
		child.stderr.on('data', (d: Buffer) => {
			out += d.toString();
		});
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`child did not finish:\n${out}`));
		}, 25_000);
		const watch = killWhen
			? setInterval(() => {
					if (killWhen()) child.kill('SIGKILL');
				}, 20)
			: undefined;
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			clearInterval(watch);
			resolve({ code, signal, out });
		});
	});
}

/** Every take of every task the provider produced, as the markers their messages must carry. */
function expectedMarkers(): string[] {
	return [...fake.tasks.values()].flatMap((t) => t.clips.map((c) => `songbot:${t.id}:${c.id}`)).sort();
}

describe('crash and restart (SIGKILL, same SQLite store)', () => {
	for (const point of ['after-submit', 'after-take', 'between-post-and-mark'] as const) {
		it(`GIVEN the bot killed ${point} THEN after a restart every take is posted exactly once`, async () => {
			const crashed = await runBot({ SUBMIT: '2', CRASH_AT: point });
			expect(crashed.signal, crashed.out).toBe('SIGKILL');
			expect(crashed.out).toContain('crashing');
			const postedBeforeRestart = messages.length;

			const restarted = await runBot({});
			expect(restarted.code, restarted.out).toBe(0);

			expect(fake.tasks.size).toBe(2);
			expect(messages.map((m) => m.marker).sort()).toEqual(expectedMarkers());
			expect(expectedMarkers()).toHaveLength(4);
			expect(messages.every((m) => m.bytes > 0)).toBe(true);
			if (point === 'between-post-and-mark') {
				// Takes posted just before the crash (tasks deliver concurrently) were found by their markers
				// instead of being posted again.
				expect(postedBeforeRestart).toBeGreaterThanOrEqual(1);
				for (const message of messages.slice(0, postedBeforeRestart)) expect(lookups).toContain(message.marker);
			}
		});
	}
});

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

describe('crash right after the submit was sent, before its answer was saved (SIGKILL)', () => {
	it('GIVEN callbacks (family B) THEN on restart the intent is reported on its tracker message, the callback naming it brings the song, and nothing is submitted twice', async () => {
		const b = await startFakeProvider({ family: 'sunoapi', timeline: { type: 'manual' } });
		try {
			const port = String(await freePort());
			const env = { FAMILY: 'sunoapi', FAKE_BASE_URL: b.baseUrl, FAKE_API_KEY: b.apiKey, CALLBACK_PORT: port };
			// The provider creates (and charges) the task, then holds its answer back: the kill lands in between.
			b.inject('slow', { on: 'submit', afterAccept: true, delayMs: 20_000 });
			const crashed = await runBot({ ...env, SUBMIT: '1' }, () => b.tasks.size === 1);
			expect(crashed.signal, crashed.out).toBe('SIGKILL');
			expect(crashed.out).not.toContain('submitted');
			const [task] = [...b.tasks.values()];
			const intentId = /\/(intent-[0-9a-f]+)$/.exec(task?.callbackUrl ?? '')?.[1];
			expect(intentId).toBeDefined();

			const restarted = runBot(env);
			await until(() => trackerUpdates.some((u) => u.id === intentId && u.status === 'unconfirmed'), 'the report');
			expect(trackerUpdates.find((u) => u.status === 'unconfirmed')).toMatchObject({
				messageId: '444444444444444444',
				recovery: 'callback',
			});
			b.completeTask(task?.id ?? '');
			const done = await restarted;
			expect(done.code, done.out).toBe(0);

			expect(b.requestsOf('submit')).toHaveLength(1);
			expect(messages.map((m) => m.marker).sort()).toEqual(task?.clips.map((c) => `songbot:${task.id}:${c.id}`).sort());
			expect(trackerUpdates.filter((u) => u.id === task?.id).at(-1)?.status).toBe('delivered');
		} finally {
			await b.close();
		}
	});

	it('GIVEN no callbacks (family A stock) THEN on restart the intent is reported on its tracker message and, when nothing more can be learnt, ends with a plain message, never submitted again', async () => {
		fake.inject('slow', { on: 'submit', afterAccept: true, delayMs: 20_000 });
		const crashed = await runBot({ SUBMIT: '1', TASK_TIMEOUT_MS: '4000' }, () => fake.tasks.size === 1);
		expect(crashed.signal, crashed.out).toBe('SIGKILL');

		const restarted = await runBot({ TASK_TIMEOUT_MS: '4000' });
		expect(restarted.code, restarted.out).toBe(0);
		const shown = trackerUpdates.map((u) => u.status);
		expect(shown).toContain('unconfirmed');
		expect(shown.at(-1)).toBe('failed');
		expect(trackerUpdates.find((u) => u.status === 'unconfirmed')?.recovery).toBe('none');
		expect(trackerUpdates.at(-1)?.message).toContain('never said whether it took this request');
		expect(new Set(trackerUpdates.map((u) => u.id)).size).toBe(1);
		expect(fake.requestsOf('submit')).toHaveLength(1);
		expect(messages).toHaveLength(0);
	});
});
