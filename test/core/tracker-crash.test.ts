import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';

/** A Discord channel reduced to what exactly-once needs: messages with markers, and a search by marker. */
const messages: { id: string; marker: string; bytes: number }[] = [];
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
	fake.reset();
	dir = mkdtempSync(join(tmpdir(), 'songbot-crash-'));
	return () => rmSync(dir, { recursive: true, force: true });
});

/** Runs the child bot on the shared store until it exits; resolves with how it ended. */
function runBot(env: Record<string, string>): Promise<{ code: number | null; signal: string | null; out: string }> {
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
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
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
